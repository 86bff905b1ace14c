// The trace and analytics pages in a real browser against real mainnet blocks 0–583 indexed by the engine. The
// site runs under `next dev`; until the lead merges graphql/analytics and graphql/trace into graphql/yoga.ts, the
// browser's /api/graphql requests are answered by a yoga with the merged schema in this process (same database).
// After the merge, delete the page.route() interception: nothing else changes.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../indexer/net";
import { launchBrowser, SCREENSHOTS } from "../helpers/browser";
import { startTestDb, type TestDb } from "../helpers/db";
import { indexMainnet, startApi, type Api } from "../integration/analytics/harness";

const COINBASE_9 = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9";
const TX_170 = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16";

let db: TestDb;
let api: Api;
let site: ChildProcess;
let url: string;
let browser: Browser;
let out = "";

beforeAll(async () => {
  db = await startTestDb();
  await indexMainnet(db.sql, 1, "btc", 583);
  api = await startApi(db.url);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  site = spawn(process.execPath, [nextBin, "dev", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, DATABASE_URL: db.url, NEXT_TELEMETRY_DISABLED: "1" }, stdio: ["ignore", "pipe", "pipe"], detached: true,
  });
  site.stdout!.on("data", (d) => (out += d));
  site.stderr!.on("data", (d) => (out += d));
  const until = Date.now() + 120_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/btc/analytics`);
      if (r.status < 500) break;
    } catch { /* not up yet */ }
    if (Date.now() > until || site.exitCode !== null) throw new Error(`next dev did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await launchBrowser();
  await mkdir(SCREENSHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (site && site.exitCode === null) {
    const done = new Promise((r) => site.once("exit", r));
    process.kill(-site.pid!, "SIGTERM");
    await done;
  }
  await api?.stop();
  await db?.stop();
});

/** Answer the page's GraphQL with the merged schema (see the header). */
async function withMergedApi(page: Page) {
  await page.route("**/api/graphql", async (route) => {
    const req = route.request();
    const res = await api.fetch(new Request("http://x/api/graphql", { method: req.method(), headers: { "content-type": "application/json", accept: "application/json" }, body: req.postData() ?? undefined }));
    await route.fulfill({ status: res.status, contentType: "application/json", body: await res.text() });
  });
}

describe("trace page", () => {
  it("draws the API's graph (same node and edge ids), expands a node on click, exports JSON", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await withMergedApi(page);
    await page.goto(`${url}/btc/trace?from=${COINBASE_9}&direction=FORWARD&depth=2`);
    const graph = page.getByTestId("trace-graph");
    await page.waitForFunction(() => (window.__trace?.nodes.length ?? 0) > 0, undefined, { timeout: 60_000 });
    const expected = (await api.gql(`{ trace(chain: "btc", from: "${COINBASE_9}", direction: FORWARD, depth: 2, limit: 300) { nodes { id } edges { id } } }`)).data.trace;
    const drawn = await page.evaluate(() => ({ nodes: window.__trace!.nodes.map((n) => n.id).sort(), edges: window.__trace!.edges.map((e) => e.id).sort() }));
    expect(drawn.nodes).toEqual(expected.nodes.map((n: any) => n.id).sort());
    expect(drawn.edges).toEqual(expected.edges.map((e: any) => e.id).sort());
    expect(Number(await graph.getAttribute("data-node-count"))).toBe(expected.nodes.length);
    expect(Number(await graph.getAttribute("data-edge-count"))).toBe(expected.edges.length);
    expect(drawn.nodes).toContain(TX_170);
    // cytoscape drew into canvases inside the box.
    expect(await graph.locator("canvas").count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "trace-btc-coinbase9.png"), fullPage: true });

    // Click an expandable node (positions from cytoscape's own model) and the graph grows.
    const before = expected.nodes.length;
    const pos = await page.evaluate(() => {
      const n = window.__trace!.nodes.find((x) => x.expandable);
      return n?.id ?? null;
    });
    expect(pos).not.toBeNull();
    const box = (await graph.boundingBox())!;
    const rendered = await page.evaluate((id) => {
      const el = document.querySelector('[data-testid="trace-graph"]') as HTMLElement & { _cyreg?: { cy: { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } } };
      return el._cyreg?.cy.getElementById(id!).renderedPosition() ?? null;
    }, pos);
    expect(rendered).not.toBeNull();
    await page.mouse.click(box.x + rendered!.x, box.y + rendered!.y);
    await page.waitForFunction((n) => (window.__trace?.nodes.length ?? 0) > n, before, { timeout: 30_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, "trace-btc-expanded.png"), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export JSON" }).click()]);
    expect(download.suggestedFilename()).toBe("trace.json");
    const [png] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export PNG" }).click()]);
    expect(png.suggestedFilename()).toBe("trace.png");
    await page.close();
  });
});

describe("analytics page", () => {
  it("renders every chart as an SVG with points and shows the exact query behind one", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await withMergedApi(page);
    await page.goto(`${url}/btc/analytics`);
    await page.locator("select[name=interval]").selectOption("DAY");
    const charts = page.locator("figure.chart");
    await expect.poll(() => charts.count(), { timeout: 60_000 }).toBe(9);
    await page.waitForFunction(() => [...document.querySelectorAll("figure.chart")].every((f) => Number(f.getAttribute("data-points")) > 0 && f.querySelector("svg.recharts-surface")), undefined, { timeout: 60_000 });
    // Line charts have a path with points; the script-type mix has bars.
    const tx = page.locator('figure[data-metric="TX_COUNT"]');
    expect(await tx.locator("path.recharts-line-curve").getAttribute("d")).toMatch(/^M[\d.]+,[\d.]+/);
    expect(await page.locator('figure[data-metric="SCRIPT_TYPES"] .recharts-bar-rectangle').count()).toBeGreaterThan(0);
    // The points drawn are the API's.
    const want = (await api.gql(`{ series(chain: "btc", metric: TX_COUNT, interval: DAY) { points { time } } }`)).data.series.points.length;
    expect(Number(await tx.getAttribute("data-points"))).toBe(want);
    await tx.getByRole("button", { name: /Copy as GraphQL/ }).click();
    const q = await tx.getByTestId("chart-query").innerText();
    expect(q).toContain("series(chain: $chain, metric: $metric, interval: $interval");
    expect(q).toContain('"metric": "TX_COUNT"');
    await page.screenshot({ path: path.join(SCREENSHOTS, "analytics-btc-day.png"), fullPage: true });
    await page.locator("select[name=interval]").selectOption("BLOCK");
    await page.waitForFunction(() => Number(document.querySelector('figure[data-metric="BLOCK_SIZE"]')?.getAttribute("data-points")) === 100, undefined, { timeout: 60_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, "analytics-btc-block.png"), fullPage: true });
    await page.close();
  });
});
