// The product as a user runs it: `npm start` against a PostgreSQL, the home page in a real browser, a clean stop.
import { mkdtemp, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, SCREENSHOTS } from "../helpers/browser";
import { startTestDb, type TestDb } from "../helpers/db";
import { processesMatching, startProduct, type RunningProduct } from "../helpers/product";

describe("npm start", () => {
  let db: TestDb;
  let product: RunningProduct;
  let dataDir: string;

  beforeAll(async () => {
    db = await startTestDb();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "chainproof-data-"));
    // DATABASE_URL set: the product must use that server and start no PostgreSQL of its own.
    product = await startProduct({ DATABASE_URL: db.url, CHAINPROOF_DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await product?.stop();
    await db?.stop();
  });

  it("uses the given DATABASE_URL and starts no embedded PostgreSQL", async () => {
    expect(product.output()).toContain("using DATABASE_URL");
    expect(await processesMatching(path.join(dataDir, "pg"))).toEqual([]);
    // The indexer process registers its chains as it starts, alongside the site: wait for it rather than race it.
    await expect.poll(async () => (await db.sql`select slug from chain order by id`).map((c) => c.slug), { timeout: 30_000 }).toContain("btc-demo");
  });

  it("serves the home page with the chains read from PostgreSQL, in a real browser", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(product.url + "/");
      await expect(page.getByRole("table", { name: /chains/i }).isVisible()).resolves.toBe(true);
      const text = await page.locator("body").innerText();
      expect(text).toContain("Bitcoin mainnet 0–583 (bundled)");
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, "home-start.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it("serves GraphiQL from its own assets, and it runs a query", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const outside: string[] = [];
      page.on("request", (r) => { if (!r.url().startsWith(product.url) && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) outside.push(r.url()); });
      await page.goto(product.url + "/api/graphql");
      await page.locator(".graphiql-container").first().waitFor({ timeout: 30_000 });
      await page.locator(".graphiql-execute-button").click();
      await expect.poll(() => page.locator(".result-window").innerText(), { timeout: 30_000 }).toContain("btc-demo");
      expect(outside).toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, "graphiql.png") });
    } finally {
      await browser.close();
    }
  });

  it("stops every process it started on SIGTERM", async () => {
    const [, indexerPid, sitePid] = product.output().match(/indexer pid (\d+), site pid (\d+)/) ?? [];
    const [, anvilPid] = product.output().match(/anvil listening .*\(pid (\d+)/) ?? [];
    const pids = [Number(indexerPid), Number(sitePid), Number(anvilPid)].filter(Boolean);
    expect(pids.length).toBe(3);
    const code = await product.stop("SIGTERM");
    expect(code, product.output()).toBe(0);
    const alive = pids.filter((pid) => {
      try { process.kill(pid, 0); return true; } catch { return false; }
    });
    expect(alive).toEqual([]);
  });
});
