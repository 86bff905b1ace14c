// The explorer site in a real browser against a real PostgreSQL: search, block → tx → funding/spending links,
// live home updates, hostile token names, screenshots at desktop and phone widths, and block page timing.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, SCREENSHOTS } from "../helpers/browser";
import { startTestDb, type TestDb } from "../helpers/db";
import { startSite, type SiteServer } from "../helpers/site-server";
import { EVIL_TOKEN_NAME, EVM_ADDRS, EVM_BLOCK_2, EVM_STALE_BLOCK, EVM_TXS, seedBitcoin, seedEvm } from "../helpers/site-seed";

const TX170 = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16";
const TX9 = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9";
const HAL = "04ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7303b8a0626f1baded5c72a704f7e6cd84c";
const SATOSHI_9 = "0411db93e1dcdb8a016b49840f8c53bc1eb68a382e97b1482ecad7b148a6909a5cb2e0eaddfb84ccf9744464f82e160bfa9b8b64f9d4c03f999b8643f656b412a3";

describe("explorer site", () => {
  let db: TestDb;
  let site: SiteServer;
  let browser: Browser;

  beforeAll(async () => {
    db = await startTestDb();
    await seedBitcoin(db.sql, 0, 580);
    await seedEvm(db.sql);
    [site, browser] = await Promise.all([startSite({ DATABASE_URL: db.url }), launchBrowser()]);
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await db?.stop();
  });

  async function newPage(width = 1280): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: width < 600 ? 844 : 900 } });
    page.on("pageerror", (e) => console.error("page error:", e.message));
    return page;
  }

  it("search 170 → block 170 → its second tx: 50 BTC in from block 9, 10 BTC out to Hal Finney, spend links both ways", async () => {
    const page = await newPage();
    await page.goto(site.url + "/");
    await page.getByRole("searchbox", { name: /height, block hash/i }).first().fill("170");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/btc-demo\/block\/00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee$/);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(/Block\s+170/);
    const badges = await page.getByRole("list", { name: "Verification checks" }).innerText();
    expect(badges).toMatch(/Proof of work/);
    expect(badges).toMatch(/Merkle root/);

    await page.locator('tr[data-position="1"] a').first().click();
    await page.waitForURL(new RegExp(`/btc-demo/tx/${TX170}$`));
    const inputs = page.locator('[data-section="inputs"]');
    const outputs = page.locator('[data-section="outputs"]');
    expect(await inputs.innerText()).toMatch(/50 BTC/);
    expect(await inputs.innerText()).toMatch(/in block 9\b/);
    const out0 = outputs.locator('[data-vout="0"]');
    expect(await out0.innerText()).toMatch(/10 BTC/);
    expect(await out0.locator("a").first().getAttribute("href")).toBe(`/btc-demo/address/${HAL}`);
    expect(await outputs.locator('[data-vout="1"]').innerText()).toMatch(/40 BTC/);
    await expect.poll(() => page.locator('[data-proof-result="ok"]').count(), { timeout: 10_000 }).toBe(1);

    // Units: sat instead of BTC, kept across a reload (localStorage).
    await page.getByRole("button", { name: "sat · gwei" }).click();
    expect(await out0.innerText()).toMatch(/1,000,000,000 sat/);
    await page.reload();
    await expect.poll(() => out0.innerText(), { timeout: 15_000 }).toMatch(/1,000,000,000 sat/);
    await page.getByRole("button", { name: "BTC · ETH" }).click();
    expect(await out0.innerText()).toMatch(/10 BTC/);

    // ← the funding transaction (block 9's coinbase), whose output 0 links forward to our tx again.
    await inputs.locator('a[data-link="funding"]').click();
    await page.waitForURL(new RegExp(`/btc-demo/tx/${TX9}$`));
    expect(await page.locator('[data-section="inputs"]').innerText()).toMatch(/coinbase/i);
    expect(await page.locator('[data-section="outputs"] a[data-link="spent-by"]').getAttribute("href")).toBe(`/btc-demo/tx/${TX170}`);
    expect(await page.locator('[data-section="outputs"] [data-vout="0"] a').first().getAttribute("href")).toBe(`/btc-demo/address/${SATOSHI_9}`);
    await page.locator('[data-section="outputs"] a[data-link="spent-by"]').click();
    await page.waitForURL(new RegExp(`/btc-demo/tx/${TX170}$`));

    // → the spending transaction of the 40 BTC change, whose input links back here.
    await page.locator('[data-section="outputs"] [data-vout="1"] a[data-link="spent-by"]').click();
    await page.waitForURL(/\/btc-demo\/tx\/a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be$/);
    expect(await page.locator('[data-section="inputs"] a[data-link="funding"]').first().getAttribute("href")).toBe(`/btc-demo/tx/${TX170}`);
    await page.close();
  });

  it("search that matches nothing shows not found with suggestions", async () => {
    const page = await newPage();
    const main = () => page.locator("main").innerText();
    await page.goto(site.url + "/search?q=nothing-like-this");
    await expect.poll(main, { timeout: 15_000 }).toMatch(/Nothing found|Not found/i);
    expect(await main()).toMatch(/Try searching for/);
    await page.goto(site.url + "/btc-demo/block/99999");
    await expect.poll(main, { timeout: 15_000 }).toMatch(/not found/i);
    await page.goto(site.url + "/btc-demo/tx/not-a-hash");
    await expect.poll(main, { timeout: 15_000 }).toMatch(/Transaction not found[\s\S]*64 hex/i);
    await page.close();
  });

  it("marks a stale block and links the winning block", async () => {
    const page = await newPage();
    await page.goto(site.url + `/evm-test/block/${EVM_STALE_BLOCK}`);
    const banner = page.locator("[data-stale]");
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/Stale block/);
    expect(await banner.locator("a").first().getAttribute("href")).toBe(`/evm-test/block/${EVM_BLOCK_2}`);
    await page.close();
  });

  it("the home page shows a newly indexed block within 10 s, without a reload", async () => {
    const page = await newPage();
    await page.goto(site.url + "/");
    const latest = page.locator('[data-chain-latest="btc-demo"]');
    await latest.locator('tr[data-height="580"]').waitFor();
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    expect(await latest.locator('tr[data-height="581"]').count()).toBe(0);
    const t0 = Date.now();
    await seedBitcoin(db.sql, 581, 581);
    await latest.locator('tr[data-height="581"]').waitFor({ timeout: 10_000 });
    console.log(`new block appeared on the home page after ${Date.now() - t0} ms`);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await page.locator('table[aria-label="Chains and sync status"] tr[data-chain="btc-demo"]').innerText()).toMatch(/581/);
    await page.close();
  });

  it("renders a hostile token name as text: no dialog, no injected element", async () => {
    const page = await newPage();
    let dialogs = 0;
    page.on("dialog", async (d) => {
      dialogs++;
      await d.dismiss();
    });
    for (const url of [`/evm-test/address/${EVM_ADDRS.token}`, `/evm-test/tx/${EVM_TXS.transfer}`, `/evm-test/tx/${EVM_TXS.deploy}`]) {
      await page.goto(site.url + url);
      await page.waitForLoadState("networkidle");
      await expect.poll(() => page.locator("main").innerText(), { timeout: 15_000 }).toContain(EVIL_TOKEN_NAME);
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.locator("main b").count()).toBe(0);
    }
    await page.waitForTimeout(500);
    expect(dialogs).toBe(0);
    await page.close();
  });

  it("saves screenshots of home, block, tx and address pages at desktop and phone widths", async () => {
    const pages: [string, string][] = [
      ["home", "/"],
      ["block", "/btc-demo/block/170"],
      ["tx", `/btc-demo/tx/${TX170}`],
      ["address", `/btc-demo/address/${HAL}`],
      ["evm-tx", `/evm-test/tx/${EVM_TXS.transfer}`],
    ];
    for (const width of [1280, 390]) {
      const page = await newPage(width);
      for (const [name, url] of pages) {
        await page.goto(site.url + url);
        await page.waitForLoadState("networkidle");
        if (name === "tx") await page.locator('[data-proof-result="ok"]').waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${name} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(SCREENSHOTS, `site-${name}-${width}.png`), fullPage: true });
      }
      await page.close();
    }
    const dark = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: "dark" });
    await dark.goto(site.url + `/btc-demo/tx/${TX170}`);
    await dark.locator('[data-proof-result="ok"]').waitFor();
    await dark.screenshot({ path: path.join(SCREENSHOTS, "site-tx-1280-dark.png"), fullPage: true });
    await dark.close();
  });

  it("answers the block page quickly (server response time)", async () => {
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      const id = i % 2 === 0 ? "170" : "00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee";
      const t0 = performance.now();
      const res = await fetch(`${site.url}/btc-demo/block/${id}`);
      await res.text();
      times.push(performance.now() - t0);
      expect(res.status).toBe(200);
    }
    const warm = times.slice(2).sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)];
    console.log(`block page server response: first ${times[0].toFixed(0)} ms, warm median ${median.toFixed(0)} ms, warm max ${warm.at(-1)!.toFixed(0)} ms`);
    expect(median).toBeLessThan(200);
  });
});
