// The explorer site (built, as `npm start` serves it, no request interception) in a real browser against a real
// PostgreSQL indexed by the real indexer from real data: Bitcoin mainnet 0–583 ("btc-demo"), btcd's reorg files
// ("btcd-reorg", real stale blocks) and an anvil devnet with the traffic generator's transactions ("devnet"),
// which the engine keeps following during the tests. Search, block → tx → funding/spending links, live home
// updates from a newly mined block, a hostile ERC-20 name, screenshots at desktop and phone widths, block page timing.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XSS_TOKEN_NAME } from "../../indexer/devnet/traffic";
import { launchBrowser, SCREENSHOTS } from "../helpers/browser";
import { startTestDb, type TestDb } from "../helpers/db";
import { followDevnet, mineBlock, type Follower } from "../helpers/e2e-follow";
import { indexBitcoinDemo, indexBtcdReorg, startDevnetWithTraffic, type Devnet, type IndexedDevnet, type ReorgChain } from "../helpers/indexed";
import { startSite, type SiteServer } from "../helpers/site-server";

const BTC = "btc-demo";
const REORG = "btcd-reorg";
const EVM = "devnet";
/** Devnet blocks with traffic: the setup block (deployments, the hostile token's first transfer) and 7 rounds. */
const DEVNET_BLOCKS = 8;

const TX170 = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16";
const TX9 = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9";
const HAL = "04ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7303b8a0626f1baded5c72a704f7e6cd84c";
const SATOSHI_9 = "0411db93e1dcdb8a016b49840f8c53bc1eb68a382e97b1482ecad7b148a6909a5cb2e0eaddfb84ccf9744464f82e160bfa9b8b64f9d4c03f999b8643f656b412a3";

const display = (b: Uint8Array | string) => Buffer.from(typeof b === "string" ? Buffer.from(b, "hex") : b).reverse().toString("hex");
const hex0x = (b: Uint8Array) => "0x" + Buffer.from(b).toString("hex");

describe("explorer site", () => {
  let db: TestDb;
  let devnet: Devnet | undefined;
  let evm: IndexedDevnet;
  let reorg: ReorgChain;
  let follower: Follower | undefined;
  let site: SiteServer;
  let browser: Browser;
  /** The hostile token's address and the txs deploying it / transferring it, from the index. */
  let xss: { token: string; deployTx: string; transferTx: string; transferHeight: number; recipient: string };

  beforeAll(async () => {
    const t0 = Date.now();
    // PostgreSQL, the devnet's traffic, the browser and (once the database is up) the site start side by side.
    const dbP = startTestDb();
    const started = await Promise.allSettled([
      dbP,
      startDevnetWithTraffic({ blocks: DEVNET_BLOCKS }),
      launchBrowser(),
      dbP.then((d) => startSite({ DATABASE_URL: d.url })),
    ]);
    const v = <T,>(r: PromiseSettledResult<T>) => (r.status === "fulfilled" ? r.value : undefined);
    db = v(started[0]) as TestDb;
    devnet = v(started[1]) as Devnet | undefined;
    browser = v(started[2]) as Browser;
    site = v(started[3]) as SiteServer;
    const failed = started.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
    if (failed) throw failed.reason;
    const tStarted = Date.now();
    // Sequential: chain ids (and so the order of chains on the home page) follow registration.
    await indexBitcoinDemo(db.sql, { slug: BTC });
    reorg = await indexBtcdReorg(db.sql, { slug: REORG });
    evm = await devnet!.index(db.sql, { slug: EVM });
    follower = followDevnet(db.sql, evm);
    const token = Buffer.from(evm.contracts.xssToken.slice(2), "hex");
    const [deploy] = await db.sql`
      select t.hash from evm_tx t join evm_address a on a.id = t.contract_created_id where a.chain_id = ${evm.chain.id} and a.address = ${token}`;
    const [transfer] = await db.sql`
      select t.hash, tt.height::int as height, r.address as recipient
      from evm_token_transfer tt join evm_tx t on t.id = tt.tx_id join evm_address a on a.id = tt.token_address_id join evm_address r on r.id = tt.to_id
      where tt.chain_id = ${evm.chain.id} and a.address = ${token} and t.contract_created_id is null order by tt.height, tt.log_index limit 1`;
    expect(deploy, "the index holds the hostile token's deployment").toBeDefined();
    expect(transfer, "the index holds a transfer of the hostile token").toBeDefined();
    xss = { token: evm.contracts.xssToken.toLowerCase(), deployTx: hex0x(deploy.hash), transferTx: hex0x(transfer.hash), transferHeight: transfer.height, recipient: hex0x(transfer.recipient) };
    await mkdir(SCREENSHOTS, { recursive: true });
    console.log(`setup: db + devnet + browser + site ${tStarted - t0} ms, indexing ${Date.now() - tStarted} ms (devnet tip ${evm.tip})`);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await follower?.stop();
    await devnet?.stop();
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
    await page.waitForURL(new RegExp(`/${BTC}/block/00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee$`));
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(/Block\s+170/);
    const badges = await page.getByRole("list", { name: "Verification checks" }).innerText();
    expect(badges).toMatch(/Proof of work/);
    expect(badges).toMatch(/Merkle root/);

    await page.locator('tr[data-position="1"] a').first().click();
    await page.waitForURL(new RegExp(`/${BTC}/tx/${TX170}$`));
    const inputs = page.locator('[data-section="inputs"]');
    const outputs = page.locator('[data-section="outputs"]');
    expect(await inputs.innerText()).toMatch(/50 BTC/);
    expect(await inputs.innerText()).toMatch(/in block 9\b/);
    const out0 = outputs.locator('[data-vout="0"]');
    expect(await out0.innerText()).toMatch(/10 BTC/);
    expect(await out0.locator("a").first().getAttribute("href")).toBe(`/${BTC}/address/${HAL}`);
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
    await page.waitForURL(new RegExp(`/${BTC}/tx/${TX9}$`));
    expect(await page.locator('[data-section="inputs"]').innerText()).toMatch(/coinbase/i);
    expect(await page.locator('[data-section="outputs"] a[data-link="spent-by"]').getAttribute("href")).toBe(`/${BTC}/tx/${TX170}`);
    expect(await page.locator('[data-section="outputs"] [data-vout="0"] a').first().getAttribute("href")).toBe(`/${BTC}/address/${SATOSHI_9}`);
    await page.locator('[data-section="outputs"] a[data-link="spent-by"]').click();
    await page.waitForURL(new RegExp(`/${BTC}/tx/${TX170}$`));

    // → the spending transaction of the 40 BTC change, whose input links back here.
    await page.locator('[data-section="outputs"] [data-vout="1"] a[data-link="spent-by"]').click();
    await page.waitForURL(new RegExp(`/${BTC}/tx/a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be$`));
    expect(await page.locator('[data-section="inputs"] a[data-link="funding"]').first().getAttribute("href")).toBe(`/${BTC}/tx/${TX170}`);
    await page.close();
  });

  it("search that matches nothing shows not found with suggestions", async () => {
    const page = await newPage();
    const main = () => page.locator("main").innerText();
    await page.goto(site.url + "/search?q=nothing-like-this");
    await expect.poll(main, { timeout: 15_000 }).toMatch(/Nothing found|Not found/i);
    expect(await main()).toMatch(/Try searching for/);
    await page.goto(site.url + `/${BTC}/block/99999`);
    await expect.poll(main, { timeout: 15_000 }).toMatch(/not found/i);
    await page.goto(site.url + `/${BTC}/tx/not-a-hash`);
    await expect.poll(main, { timeout: 15_000 }).toMatch(/Transaction not found[\s\S]*64 hex/i);
    await page.close();
  });

  it("marks a block a real reorg left stale and links the winning block", async () => {
    expect(reorg.stale.map((s) => s.height)).toEqual([3, 4]);
    const page = await newPage();
    for (const s of reorg.stale) {
      const [winner] = await db.sql`select hash from block where chain_id = ${reorg.chain.id} and height = ${s.height} and not stale`;
      await page.goto(site.url + `/${REORG}/block/${s.hash}`);
      const banner = page.locator("[data-stale]");
      await banner.waitFor();
      expect(await banner.innerText()).toMatch(/Stale block/);
      expect(await banner.locator("a").first().getAttribute("href")).toBe(`/${REORG}/block/${display(winner.hash)}`);
    }
    // The winning block itself carries no marker.
    await page.goto(site.url + `/${REORG}/block/3`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await page.locator("[data-stale]").count()).toBe(0);
    await page.close();
  });

  it("home page shows a new devnet block within 10 s of it being mined, without reload", async () => {
    const page = await newPage();
    await page.goto(site.url + "/");
    const latest = page.locator(`[data-chain-latest="${EVM}"]`);
    const [{ tip }] = await db.sql`select tip_height::int as tip from chain where id = ${evm.chain.id}`;
    await latest.locator(`tr[data-height="${tip}"]`).waitFor();
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    expect(await latest.locator(`tr[data-height="${tip + 1}"]`).count()).toBe(0);
    const t0 = Date.now();
    const mined = await mineBlock(evm.rpcUrl);
    expect(mined).toBe(tip + 1);
    await latest.locator(`tr[data-height="${mined}"]`).waitFor({ timeout: 10_000 });
    const ms = Date.now() - t0;
    const [{ indexedAt }] = await db.sql`select tip_height::int as "indexedAt" from chain where id = ${evm.chain.id}`;
    console.log(`mined devnet block ${mined}: on the home page after ${ms} ms (engine tip now ${indexedAt})`);
    expect(ms).toBeLessThan(10_000);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await expect.poll(() => page.locator(`table[aria-label="Chains and sync status"] tr[data-chain="${EVM}"]`).innerText(), { timeout: 5_000 }).toMatch(new RegExp(`\\b${mined}\\b`));
    await page.close();
  });

  it("renders the devnet's hostile ERC-20 name as text: no dialog, no injected element", async () => {
    const page = await newPage();
    let dialogs = 0;
    page.on("dialog", async (d) => {
      dialogs++;
      await d.dismiss();
    });
    for (const url of [`/${EVM}/address/${xss.token}`, `/${EVM}/tx/${xss.transferTx}`, `/${EVM}/tx/${xss.deployTx}`]) {
      await page.goto(site.url + url);
      await page.waitForLoadState("networkidle");
      await expect.poll(() => page.locator("main").innerText(), { timeout: 15_000, message: url }).toContain(XSS_TOKEN_NAME);
      expect(await page.locator('img[src="x"]').count(), url).toBe(0);
      expect(await page.locator("main img").count(), url).toBe(0);
      expect(await page.locator("main b").count(), url).toBe(0);
    }
    await page.waitForTimeout(300);
    expect(dialogs).toBe(0);
    await page.close();
  });

  it("saves screenshots of home, block, tx and address pages (Bitcoin and EVM) at desktop and phone widths", async () => {
    const pages: [string, string][] = [
      ["home", "/"],
      ["block", `/${BTC}/block/170`],
      ["tx", `/${BTC}/tx/${TX170}`],
      ["address", `/${BTC}/address/${HAL}`],
      ["evm-block", `/${EVM}/block/${xss.transferHeight}`],
      ["evm-tx", `/${EVM}/tx/${xss.transferTx}`],
      // The hostile token's first recipient (anvil's account 1, which also sends traffic every round).
      ["evm-address", `/${EVM}/address/${xss.recipient}`],
      ["evm-token", `/${EVM}/address/${xss.token}`],
    ];
    const overflows: string[] = [];
    await Promise.all([1280, 390].map(async (width) => {
      const page = await newPage(width);
      for (const [name, url] of pages) {
        await page.goto(site.url + url);
        await page.waitForLoadState("networkidle");
        if (name === "tx") await page.locator('[data-proof-result="ok"]').waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) overflows.push(`${name} at ${width}px scrolls sideways by ${overflow}px`);
        await page.screenshot({ path: path.join(SCREENSHOTS, `site-${name}-${width}.png`), fullPage: true });
      }
      await page.close();
    }));
    const dark = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: "dark" });
    await dark.goto(site.url + `/${BTC}/tx/${TX170}`);
    await dark.locator('[data-proof-result="ok"]').waitFor();
    await dark.screenshot({ path: path.join(SCREENSHOTS, "site-tx-1280-dark.png"), fullPage: true });
    await dark.close();
    expect(overflows).toEqual([]);
  });

  // Speed is measured by the API bench (bench/api-graphql.ts), not asserted here: a loaded machine would make it flaky.
  it("serves the block page by height and by hash, reporting its server response time", async () => {
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      const id = i % 2 === 0 ? "170" : "00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee";
      const t0 = performance.now();
      const res = await fetch(`${site.url}/${BTC}/block/${id}`);
      await res.text();
      times.push(performance.now() - t0);
      expect(res.status).toBe(200);
    }
    const warm = times.slice(2).sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)];
    console.log(`block page server response: first ${times[0].toFixed(0)} ms, warm median ${median.toFixed(0)} ms, warm max ${warm.at(-1)!.toFixed(0)} ms`);
  });
});
