// The trace and analytics pages in a real browser against the built site (as `npm start` serves it, no request
// interception) over real mainnet blocks 0–583 indexed by the real indexer (test/helpers/indexed.ts). What the
// pages draw is compared with what the site's own /api/graphql answers.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, SCREENSHOTS } from "../helpers/browser";
import { startTestDb, type TestDb } from "../helpers/db";
import { indexBitcoinDemo } from "../helpers/indexed";
import { startSite, type SiteServer } from "../helpers/site-server";

const COINBASE_9 = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9";
const TX_170 = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16";

let db: TestDb;
let site: SiteServer;
let url: string;
let browser: Browser;

beforeAll(async () => {
  const dbP = startTestDb();
  const started = await Promise.allSettled([dbP, dbP.then((d) => startSite({ DATABASE_URL: d.url })), launchBrowser()]);
  if (started[0].status === "fulfilled") db = started[0].value;
  if (started[1].status === "fulfilled") site = started[1].value;
  if (started[2].status === "fulfilled") browser = started[2].value;
  const failed = started.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
  if (failed) throw failed.reason;
  url = site.url;
  await indexBitcoinDemo(db.sql, { slug: "btc" });
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await db?.stop();
});

/** The site's GraphQL API, as the pages call it. */
async function gql(query: string): Promise<any> {
  const res = await fetch(`${url}/api/graphql`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (res.status !== 200 || body.errors) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body;
}

describe("trace page", () => {
  it("draws the API's graph (same node and edge ids), expands a node on click, exports JSON", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${url}/btc/trace?from=${COINBASE_9}&direction=FORWARD&depth=2`);
    const graph = page.getByTestId("trace-graph");
    await page.waitForFunction(() => (window.__trace?.nodes.length ?? 0) > 0, undefined, { timeout: 60_000 });
    const expected = (await gql(`{ trace(chain: "btc", from: "${COINBASE_9}", direction: FORWARD, depth: 2, limit: 300) { nodes { id } edges { id } } }`)).data.trace;
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
    const want = (await gql(`{ series(chain: "btc", metric: TX_COUNT, interval: DAY) { points { time } } }`)).data.series.points.length;
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
