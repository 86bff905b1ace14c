// Analytics aggregates equal a direct recomputation from the raw tables, for every metric and interval, on real
// mainnet blocks 0–583 indexed by the real engine and Bitcoin adapter, on a synthetic EVM chain, and after rollbacks.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDb, type TestDb } from "../../helpers/db";
import { indexMainnet, rollbackChain, rollbackEvm, seedEvm, startApi, type AnalyticsBitcoinAdapter, type Api, type EvmSeed } from "./harness";
import { expectKeptExact, keptPeriods } from "./periods";
import { expectedSeries, recompute, type IntervalName } from "./recompute";

const BTC = 7, EVM = 8;
const BTC_METRICS = ["TX_COUNT", "BLOCK_COUNT", "FEES_TOTAL", "FEE_RATE_MEDIAN", "FEE_RATE_PERCENTILES", "BLOCK_SIZE", "BLOCK_WEIGHT", "ACTIVE_ADDRESSES", "NEW_ADDRESSES", "SCRIPT_TYPES"];
const EVM_METRICS = ["TX_COUNT", "BLOCK_COUNT", "FEES_TOTAL", "FEE_RATE_MEDIAN", "FEE_RATE_PERCENTILES", "BLOCK_SIZE", "GAS_USED", "ACTIVE_ADDRESSES", "NEW_ADDRESSES", "TOKEN_TRANSFERS"];
const INTERVALS: IntervalName[] = ["BLOCK", "HOUR", "DAY", "WEEK", "MONTH"];

const SERIES = /* GraphQL */ `
query S($chain: ID!, $metric: SeriesMetric!, $interval: SeriesInterval!, $from: String, $to: String) {
  series(chain: $chain, metric: $metric, interval: $interval, from: $from, to: $to) {
    unit from to points { time height blocks value percentiles { p value } mix { key value } }
  }
}`;

let db: TestDb;
let api: Api;
let adapter: AnalyticsBitcoinAdapter;
let evm: EvmSeed;

beforeAll(async () => {
  db = await startTestDb();
  adapter = await indexMainnet(db.sql, BTC, "btc", 583);
  evm = await seedEvm(db.sql, EVM, "evm", 200);
  api = await startApi(db.url);
});
afterAll(async () => {
  await api?.stop();
  await db?.stop();
});

/** Every metric × interval over the whole chain (BLOCK in windows of ≤ 1,000), compared point by point. */
async function checkAll(chain: string, chainId: number, family: "bitcoin" | "evm", metrics: string[]) {
  const ref = await recompute(db.sql, chainId, family);
  const heights = [...ref.keys()];
  const times = [...ref.values()].map((b) => b.time);
  const [lo, hi] = [Math.min(...heights), Math.max(...heights)];
  const [t0, t1] = [Math.min(...times), Math.max(...times) + 1];
  let compared = 0;
  for (const metric of metrics) {
    for (const interval of INTERVALS) {
      if (metric === "ACTIVE_ADDRESSES" && interval === "HOUR") continue;
      const ranges: [number, number][] = interval === "BLOCK" ? [[lo, Math.min(hi, lo + 999)]] : [[t0, t1]];
      if (interval === "HOUR" && (t1 - t0) / 3600 > 1000) ranges[0] = [t1 - 900 * 3600, t1];
      for (const [from, to] of ranges) {
        const r = await api.gql(SERIES, { chain, metric, interval, from: String(from), to: String(to) });
        expect(r.errors, `${metric} ${interval}`).toBeUndefined();
        const s = r.data.series;
        const want = expectedSeries(ref, family, metric, interval, Number(s.from), interval === "BLOCK" ? Number(s.to) : Number(s.to));
        const got = s.points.map((p: any) => ({
          key: interval === "BLOCK" ? p.height : p.time, blocks: p.blocks, value: p.value,
          ...(metric === "FEE_RATE_PERCENTILES" ? { percentiles: p.percentiles } : {}), ...(metric === "SCRIPT_TYPES" ? { mix: p.mix } : {}),
        }));
        const bad = got.findIndex((g: any, i: number) => JSON.stringify(g) !== JSON.stringify(want[i]));
        if (bad >= 0) console.log(metric, interval, JSON.stringify(got[bad]), JSON.stringify(want[bad]));
        expect(got, `${chain} ${metric} ${interval}`).toEqual(want);
        expect(got.length, `${metric} ${interval} has points`).toBeGreaterThan(0);
        compared += got.length;
      }
    }
  }
  return compared;
}

/** What `read` sees once a migration's backfill has rebuilt `table` (emptied first), in a transaction then undone. */
async function afterBackfill<T>(migration: string, table: string, read: (sql: typeof db.sql) => Promise<T>): Promise<T> {
  const text = await readFile(new URL(`../../../prisma/migrations/${migration}/migration.sql`, import.meta.url), "utf8");
  const backfill = text.slice(text.indexOf(`INSERT INTO "${table}"`));
  let out: T | undefined;
  const undo = new Error("undo");
  await db.sql.begin(async (tx) => {
    await tx.unsafe(`delete from ${table}`);
    await tx.unsafe(backfill);
    out = await read(tx as unknown as typeof db.sql);
    throw undo;
  }).catch((e) => { if (e !== undo) throw e; });
  return out!;
}

describe("Bitcoin aggregates (mainnet 0–583 through the engine)", () => {
  it("per-block rows equal the raw tables", async () => {
    const ref = await recompute(db.sql, BTC, "bitcoin");
    const rows = await db.sql`select height::int as h, tx_count, fees_total::text as f, size::text as s, weight::text as w, active_addresses as a, new_addresses as n from analytics_block where chain_id = ${BTC} order by height`;
    expect(rows.length).toBe(584);
    for (const r of rows) {
      const b = ref.get(r.h)!;
      expect([r.tx_count, r.f, r.s, r.w, r.a, r.n], `block ${r.h}`).toEqual([b.txs, b.fees.toString(), b.size.toString(), b.weight!.toString(), b.active.size, b.fresh]);
    }
    // Real chain facts: block 170 holds 2 txs (the first payment), early blocks pay no fees.
    expect(ref.get(170)!.txs).toBe(2);
  });

  it("every series equals its recomputation, for every interval", async () => {
    expect(await checkAll("btc", BTC, "bitcoin", BTC_METRICS)).toBeGreaterThan(1000);
  });

  it("active addresses per day/week/month are exact distinct counts", async () => {
    const [{ n }] = await db.sql`select count(*)::int as n from analytics_day_address where chain_id = ${BTC}`;
    const ref = await recompute(db.sql, BTC, "bitcoin");
    const days = new Map<number, Set<string>>();
    for (const b of ref.values()) {
      const d = Math.floor(b.time / 86400);
      const s = days.get(d) ?? new Set();
      for (const a of b.active) s.add(a);
      days.set(d, s);
    }
    expect(n).toBe([...days.values()].reduce((s, x) => s + x.size, 0));
  });

  it("after a rollback to 300 and after re-indexing, the aggregates still equal the raw tables", async () => {
    await rollbackChain(db.sql, BTC, adapter, 300);
    const [{ n }] = await db.sql`select count(*)::int as n from analytics_block where chain_id = ${BTC}`;
    expect(n).toBe(301);
    expect(await checkAll("btc", BTC, "bitcoin", BTC_METRICS)).toBeGreaterThan(300);
    await indexMainnet(db.sql, BTC, "btc", 583);
    expect(await checkAll("btc", BTC, "bitcoin", BTC_METRICS)).toBeGreaterThan(1000);
  });

  it("the per-day rows equal the migration's backfill of them (after the rollback, for both chains)", async () => {
    const dump = async (sql: typeof db.sql) => (await sql`select row_to_json(x)::text as j from analytics_day x order by chain_id, day`).map((r) => r.j as string);
    const kept = await dump(db.sql);
    expect(new Set(kept.map((j) => JSON.parse(j).chain_id))).toEqual(new Set([BTC, EVM]));
    expect(await afterBackfill("20261203000000_analytics_day", "analytics_day", dump)).toEqual(kept);
  });

  it("weeks and months keep exact active counts, through a rollback into them; closed ones equal the migration's backfill", async () => {
    // The bundled slice spans 2009-01-03 (genesis) and 2009-01-09 to 01-15: the weeks of Dec 29 and Jan 5 close; the
    // week of Jan 12 and the month are open, counted from the addresses the indexer holds.
    const label = (p: { unit: string; start: string; closed: boolean }) => `${p.unit} ${p.start}${p.closed ? "" : " open"}`;
    expect((await expectKeptExact(db.sql, BTC)).map(label)).toEqual(["week 2008-12-29", "week 2009-01-05", "week 2009-01-12 open", "month 2009-01-01 open"]);
    // Blocks 101–168 are mined on 2009-01-11: a rollback to 100 deletes day rows of the closed week, which loses its
    // count (and no longer closes: the median time is back on the 11th), and of the open week and month.
    await rollbackChain(db.sql, BTC, adapter, 100);
    expect((await expectKeptExact(db.sql, BTC)).map(label)).toEqual(["week 2008-12-29"]);
    // The same adapter goes on, to 200 first: the addresses it held of the open week and month were the undone
    // blocks' too, which must not count.
    await indexMainnet(db.sql, BTC, "btc", 200, adapter);
    expect((await expectKeptExact(db.sql, BTC)).map(label)).toEqual(["week 2008-12-29", "week 2009-01-05", "week 2009-01-12 open", "month 2009-01-01 open"]);
    await indexMainnet(db.sql, BTC, "btc", 583, adapter);
    expect((await expectKeptExact(db.sql, BTC)).length).toBe(4);
    await expectKeptExact(db.sql, EVM);

    const closed = async (sql: typeof db.sql) => [
      ...(await keptPeriods(sql, BTC)).filter((p) => p.closed),
      ...(await keptPeriods(sql, EVM)).filter((p) => p.closed),
    ];
    const kept = await closed(db.sql);
    expect(new Set(kept.map((p) => p.unit))).toEqual(new Set(["week"]));
    expect(await afterBackfill("20261203100000_analytics_period_active", "analytics_period_active", closed)).toEqual(kept);
  });

  it("a weekly series reads the kept counts, and counts day rows only for a week without one", async () => {
    const [closedWeek, openWeek] = (await keptPeriods(db.sql, BTC)).slice(1, 3);
    const from = String(closedWeek.startDay * 86400), to = String((closedWeek.startDay + 14) * 86400);
    const points = async () => (await api.gql(SERIES, { chain: "btc", metric: "ACTIVE_ADDRESSES", interval: "WEEK", from, to })).data.series.points.map((p: any) => p.value);
    const counting = () => api.statements.log.filter((q) => q.includes("count(DISTINCT address_id)"));
    api.statements.reset();
    expect(await points()).toEqual([closedWeek.active, openWeek.active]);
    expect(counting()).toEqual([]);
    // A kept count is what the series says; a week without one is counted from its day rows alone.
    await db.sql`update analytics_period_active set active_addresses = 999999 where chain_id = ${BTC} and unit = 'week' and start_day = ${closedWeek.startDay}`;
    await db.sql`delete from analytics_period_active where chain_id = ${BTC} and unit = 'week' and start_day = ${openWeek.startDay}`;
    try {
      api.statements.reset();
      expect(await points()).toEqual(["999999", openWeek.active]);
      expect(counting()).toHaveLength(1);
      expect(counting()[0]).toMatch(/day >= \$\d+::int/);
    } finally {
      await db.sql`update analytics_period_active set active_addresses = ${closedWeek.active} where chain_id = ${BTC} and unit = 'week' and start_day = ${closedWeek.startDay}`;
      await db.sql`insert into analytics_period_active values (${BTC}, 'week', ${openWeek.startDay}, ${openWeek.endDay}, ${openWeek.active})`;
    }
  });

  it("RICHEST is the top balances; EVM-only lists refuse a Bitcoin chain", async () => {
    const r = await api.gql(`{ top(chain: "btc", metric: RICHEST, first: 5) { rank value address { address balance } } }`);
    expect(r.errors).toBeUndefined();
    const want = await db.sql`select balance::text as b from btc_address where chain_id = ${BTC} order by balance desc limit 5`;
    expect(r.data.top.map((e: any) => e.value)).toEqual(want.map((w) => w.b));
    expect(r.data.top[0].address.balance).toBe(want[0].b);
    const bad = await api.gql(`{ top(chain: "btc", metric: BUSIEST_TOKENS) { rank } }`);
    expect(bad.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("refuses ranges over 1,000 points, HOUR active addresses and metrics of the other family", async () => {
    const cases = [
      { metric: "TX_COUNT", interval: "BLOCK", from: "0", to: "1500" },
      { metric: "TX_COUNT", interval: "HOUR", from: "1231006505", to: "1241006505" },
      { metric: "ACTIVE_ADDRESSES", interval: "HOUR" },
      { metric: "GAS_USED", interval: "DAY" },
    ];
    for (const c of cases) {
      const r = await api.gql(SERIES, { chain: "btc", ...c });
      expect(r.errors?.[0].extensions?.code, JSON.stringify(c)).toBe("BAD_USER_INPUT");
    }
  });
});

describe("EVM aggregates (synthetic chain, 200 blocks over 8 days)", () => {
  it("every series equals its recomputation, for every interval", async () => {
    expect(await checkAll("evm", EVM, "evm", EVM_METRICS)).toBeGreaterThan(500);
  });

  it("BUSIEST_TOKENS and BUSIEST_CONTRACTS equal direct counts", async () => {
    const r = await api.gql(`{ t: top(chain: "evm", metric: BUSIEST_TOKENS, first: 10) { rank value address { address } }
      c: top(chain: "evm", metric: BUSIEST_CONTRACTS, first: 10) { rank value address { address ... on EvmAddress { isContract } } } }`);
    expect(r.errors).toBeUndefined();
    const tokens = await db.sql`select encode(a.address, 'hex') as a, count(*)::text as n from evm_token_transfer x join evm_address a on a.id = x.token_address_id where x.chain_id = ${EVM} group by a.address order by count(*) desc, min(a.id)`;
    expect(r.data.t.map((e: any) => [e.address.address.toLowerCase(), e.value])).toEqual(tokens.map((t) => [`0x${t.a}`, t.n]));
    const contracts = await db.sql`select encode(a.address, 'hex') as a, count(*)::text as n from evm_tx t join evm_address a on a.id = t.to_id where t.chain_id = ${EVM} and a.is_contract group by a.address, a.id order by count(*) desc, a.id`;
    expect(r.data.c.map((e: any) => [e.address.address.toLowerCase(), e.value])).toEqual(contracts.map((t) => [`0x${t.a}`, t.n]));
    expect(r.data.c.every((e: any) => e.address.isContract)).toBe(true);
    expect(evm.tokens.length).toBe(3);
  });

  it("after a rollback the aggregates and counters equal the raw tables; the wrong call order is refused", async () => {
    await expect(rollbackEvm(db.sql, EVM, 150, false)).rejects.toThrow(/before the adapter's rollback/);
    await rollbackEvm(db.sql, EVM, 120);
    expect(await checkAll("evm", EVM, "evm", EVM_METRICS)).toBeGreaterThan(300);
    const r = await api.gql(`{ top(chain: "evm", metric: BUSIEST_TOKENS, first: 10) { value address { address } } }`);
    const tokens = await db.sql`select encode(a.address, 'hex') as a, count(*)::text as n from evm_token_transfer x join evm_address a on a.id = x.token_address_id where x.chain_id = ${EVM} group by a.address order by count(*) desc`;
    expect(r.data.top.map((e: any) => [e.address.address.toLowerCase(), e.value])).toEqual(tokens.map((t) => [`0x${t.a}`, t.n]));
  });
});
