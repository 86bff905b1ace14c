// Analytics API: time/height series and top lists, answered from the aggregate tables the indexer maintains
// (indexer/store/analytics.ts), never by scanning history. One SQL statement per series (plus the chain list),
// two when `to` is omitted on a time interval (the tip's time). Series run as plain SQL on the pg pool (sqlRows):
// through Prisma's $queryRaw an 87-point BLOCK series cost 4.8 ms of server CPU, most of it mapping the rows.
import { Prisma, type Chain } from "../../generated/prisma/client";
import { scriptTypeFromCode } from "../../lib/bitcoin/script";
import { bucketStart, INTERVAL_SECONDS, nextBucket } from "../../lib/time-buckets";
import { chainBySlug, familyOf, type Context, type EvmAddressRow, type Family } from "../context";
import { badInput } from "../errors";
import { COLUMNS, rawRows, sqlRows } from "../sql";
import { MAX_PAGE } from "../pagination";
import { dontCache } from "../response-cache";
import { formatFeeRate, histogramPercentiles, PERCENTILES } from "./histogram";

export const typeDefs = /* GraphQL */ `
extend type Query {
  """
  A chart series from the indexer's aggregates. BLOCK: one point per canonical block, from/to are heights
  (inclusive, default the last 100 blocks). HOUR/DAY/WEEK/MONTH: UTC buckets (weeks start on Monday) by block time;
  from/to are unix seconds or ISO-8601 dates, widened to whole buckets, \`to\` exclusive (default: 30 buckets ending
  at the tip). Buckets without blocks are omitted. At most 1,000 points.
  """
  series(chain: ID!, metric: SeriesMetric!, interval: SeriesInterval!, from: String, to: String): Series!
  "Top addresses by a metric. BUSIEST_CONTRACTS and BUSIEST_TOKENS are EVM only. At most 100."
  top(chain: ID!, metric: TopMetric!, first: Int): [TopEntry!]!
}

enum SeriesInterval {
  HOUR
  DAY
  WEEK
  MONTH
  BLOCK
}

enum SeriesMetric {
  "Transactions (coinbase included)."
  TX_COUNT
  BLOCK_COUNT
  "Sum of fees (satoshis or wei)."
  FEES_TOTAL
  "Median fee rate (Bitcoin sat/vB, EVM effective wei/gas). BLOCK: the block's exact median; intervals: from the merged histogram."
  FEE_RATE_MEDIAN
  "value is the median; percentiles 10, 25, 50, 75, 90 from the merged log histogram (8 buckets per doubling; each value is its bucket's floor)."
  FEE_RATE_PERCENTILES
  "Mean block size in bytes (floored)."
  BLOCK_SIZE
  "Mean block weight in weight units (floored). Bitcoin only."
  BLOCK_WEIGHT
  "Total gas used. EVM only."
  GAS_USED
  "Distinct addresses that sent or received (EVM: senders, recipients, created contracts, token parties, log emitters). Exact per BLOCK, DAY, WEEK and MONTH; not kept per HOUR."
  ACTIVE_ADDRESSES
  "Addresses first seen."
  NEW_ADDRESSES
  "Outputs created; mix gives the count per script type (p2pkh, p2tr, op_return, ...). Bitcoin only."
  SCRIPT_TYPES
  "ERC-20/721/1155 transfers. EVM only."
  TOKEN_TRANSFERS
}

type Series {
  chain: Chain!
  metric: SeriesMetric!
  interval: SeriesInterval!
  "sat, wei, sat/vB, wei/gas, bytes, WU, gas, transactions, blocks, addresses, outputs or transfers."
  unit: String!
  "The range answered: heights for BLOCK, else unix seconds (to exclusive)."
  from: String!
  to: String!
  points: [SeriesPoint!]!
}

type SeriesPoint {
  "Bucket start (UTC), or the block's time for BLOCK."
  time: UnixTime!
  "BLOCK only."
  height: Int
  "Blocks in the bucket."
  blocks: Int!
  "Exact decimal string; null when undefined (a fee rate of a bucket without fee-paying transactions)."
  value: String
  percentiles: [SeriesPercentile!]
  mix: [SeriesMixEntry!]
}

type SeriesPercentile {
  p: Int!
  value: String!
}

type SeriesMixEntry {
  key: String!
  value: String!
}

enum TopMetric {
  "Highest confirmed native balance."
  RICHEST
  "Contracts receiving the most transactions."
  BUSIEST_CONTRACTS
  "Token contracts with the most transfers."
  BUSIEST_TOKENS
}

type TopEntry {
  rank: Int!
  "Balance (RICHEST) or count."
  value: BigInt!
  address: Address!
}
`;

export type Interval = "HOUR" | "DAY" | "WEEK" | "MONTH" | "BLOCK";
export type Metric =
  | "TX_COUNT" | "BLOCK_COUNT" | "FEES_TOTAL" | "FEE_RATE_MEDIAN" | "FEE_RATE_PERCENTILES" | "BLOCK_SIZE" | "BLOCK_WEIGHT" | "GAS_USED"
  | "ACTIVE_ADDRESSES" | "NEW_ADDRESSES" | "SCRIPT_TYPES" | "TOKEN_TRANSFERS";

const ONLY: Partial<Record<Metric, Family>> = { BLOCK_WEIGHT: "bitcoin", SCRIPT_TYPES: "bitcoin", GAS_USED: "evm", TOKEN_TRANSFERS: "evm" };
export const MAX_POINTS = 1000;
const DEFAULT_BUCKETS = 30;

function unitOf(metric: Metric, f: Family): string {
  switch (metric) {
    case "TX_COUNT": return "transactions";
    case "BLOCK_COUNT": return "blocks";
    case "FEES_TOTAL": return f === "evm" ? "wei" : "sat";
    case "FEE_RATE_MEDIAN": case "FEE_RATE_PERCENTILES": return f === "evm" ? "wei/gas" : "sat/vB";
    case "BLOCK_SIZE": return "bytes";
    case "BLOCK_WEIGHT": return "WU";
    case "GAS_USED": return "gas";
    case "ACTIVE_ADDRESSES": case "NEW_ADDRESSES": return "addresses";
    case "SCRIPT_TYPES": return "outputs";
    case "TOKEN_TRANSFERS": return "transfers";
  }
}

function parseTime(s: string, arg: string): number {
  if (/^\d{1,12}$/.test(s)) return Number(s);
  const ms = s.length <= 40 ? Date.parse(s) : NaN;
  if (Number.isNaN(ms)) throw badInput(`${arg}: expected unix seconds or an ISO-8601 date, got "${s.slice(0, 60)}"`, { argument: arg });
  return Math.floor(ms / 1000);
}

function parseHeightArg(s: string, arg: string): number {
  if (!/^\d{1,15}$/.test(s)) throw badInput(`${arg}: expected a block height for interval BLOCK, got "${s.slice(0, 60)}"`, { argument: arg });
  return Number(s);
}

interface Point { time: number; height: number | null; blocks: number; value: string | null; percentiles: { p: number; value: string }[] | null; mix: { key: string; value: string }[] | null }

const n = (v: unknown) => (v === null || v === undefined ? null : BigInt(v as string));

async function series(ctx: Context, a: { chain: string; metric: Metric; interval: Interval; from?: string | null; to?: string | null }) {
  const chain = await chainBySlug(ctx, a.chain);
  const family = familyOf(chain);
  const only = ONLY[a.metric];
  if (only && only !== family) throw badInput(`metric ${a.metric} is for ${only === "evm" ? "EVM" : "Bitcoin-family"} chains; ${chain.slug} is ${family === "evm" ? "EVM" : "Bitcoin-family"}`, { argument: "metric" });
  const base = { chain, metric: a.metric, interval: a.interval, unit: unitOf(a.metric, family) };
  if (a.interval === "BLOCK") {
    const tip = chain.tipHeight === null ? -1 : Number(chain.tipHeight);
    const hi = a.to ? parseHeightArg(a.to, "to") : tip;
    const lo = a.from ? parseHeightArg(a.from, "from") : Math.max(0, hi - 99);
    if (hi < lo) throw badInput("from must not be above to", { argument: "from" });
    if (hi - lo + 1 > MAX_POINTS) throw badInput(`at most ${MAX_POINTS} points per series; the range ${lo}..${hi} has ${hi - lo + 1} blocks`, { argument: "to", max: MAX_POINTS });
    const points = hi < 0 ? [] : await blockPoints(chain, family, a.metric, lo, hi);
    return { ...base, from: String(lo), to: String(hi), points };
  }
  if (a.metric === "ACTIVE_ADDRESSES" && a.interval === "HOUR") {
    throw badInput("ACTIVE_ADDRESSES is exact per BLOCK, DAY, WEEK and MONTH; it is not kept per HOUR", { argument: "interval" });
  }
  let to = a.to ? parseTime(a.to, "to") : undefined;
  if (to === undefined) {
    const [r] = await sqlRows<{ t: string | null }>(Prisma.sql`SELECT max(time)::text AS t FROM analytics_block WHERE chain_id = ${chain.id}::smallint`);
    to = r?.t ? Number(r.t) + 1 : Math.floor(Date.now() / 1000);
    // An empty chain's range ends now: that answer changes with the clock, not with the tip.
    if (!r?.t) dontCache(ctx);
  }
  const end = nextBucket(a.interval, to - 1);
  let start: number;
  if (a.from) start = bucketStart(a.interval, parseTime(a.from, "from"));
  else {
    start = end;
    for (let i = 0; i < DEFAULT_BUCKETS; i++) start = bucketStart(a.interval, start - 1);
  }
  if (end <= start) throw badInput("from must be before to", { argument: "from" });
  const approx = a.interval === "MONTH" ? (end - start) / (28 * 86_400) : (end - start) / INTERVAL_SECONDS[a.interval];
  if (approx > MAX_POINTS) throw badInput(`at most ${MAX_POINTS} points per series; narrow the range or use a longer interval`, { argument: "from", max: MAX_POINTS });
  const points = await timePoints(chain, family, a.metric, a.interval, start, end);
  return { ...base, from: String(start), to: String(end), points };
}

const UNIT_SQL: Record<Exclude<Interval, "BLOCK">, string> = { HOUR: "hour", DAY: "day", WEEK: "week", MONTH: "month" };

/** SQL for the UTC bucket start (unix seconds) of a unix-seconds expression. */
const bucketSql = (interval: Exclude<Interval, "BLOCK">, expr: Prisma.Sql) =>
  Prisma.sql`extract(epoch from date_trunc(${UNIT_SQL[interval]}, to_timestamp(${expr}) at time zone 'UTC'))::bigint`;

/** The analytics_block columns a BLOCK point of each metric reads (a block's histograms are the widest part of its row). */
const BLOCK_COLUMNS: Record<Metric, string> = {
  TX_COUNT: "tx_count", BLOCK_COUNT: "NULL AS none", FEES_TOTAL: "fees_total::text AS fees", FEE_RATE_MEDIAN: "fee_rate_median::text AS med",
  FEE_RATE_PERCENTILES: "fee_buckets, fee_counts", BLOCK_SIZE: "size::text AS size", BLOCK_WEIGHT: "weight::text AS weight", GAS_USED: "gas_used::text AS gas",
  ACTIVE_ADDRESSES: "active_addresses", NEW_ADDRESSES: "new_addresses", SCRIPT_TYPES: "script_codes, script_counts", TOKEN_TRANSFERS: "token_transfers",
};

async function blockPoints(chain: Chain, family: Family, metric: Metric, lo: number, hi: number): Promise<Point[]> {
  const rows = await sqlRows<Record<string, unknown>>(Prisma.sql`
    SELECT height::text AS height, time::text AS time, ${Prisma.raw(BLOCK_COLUMNS[metric])}
    FROM analytics_block WHERE chain_id = ${chain.id}::smallint AND height BETWEEN ${lo}::bigint AND ${hi}::bigint ORDER BY analytics_block.height`);
  return rows.map((r) => {
    const p: Point = { time: Number(r.time), height: Number(r.height), blocks: 1, value: null, percentiles: null, mix: null };
    switch (metric) {
      case "TX_COUNT": p.value = String(r.tx_count); break;
      case "BLOCK_COUNT": p.value = "1"; break;
      case "FEES_TOTAL": p.value = r.fees as string; break;
      case "FEE_RATE_MEDIAN": p.value = r.med === null ? null : formatFeeRate(BigInt(r.med as string), family); break;
      case "FEE_RATE_PERCENTILES": Object.assign(p, percentilePoint(r.fee_buckets as number[], r.fee_counts as number[], family)); break;
      case "BLOCK_SIZE": p.value = r.size as string; break;
      case "BLOCK_WEIGHT": p.value = (r.weight as string | null) ?? null; break;
      case "GAS_USED": p.value = (r.gas as string | null) ?? null; break;
      case "ACTIVE_ADDRESSES": p.value = String(r.active_addresses); break;
      case "NEW_ADDRESSES": p.value = String(r.new_addresses); break;
      case "SCRIPT_TYPES": Object.assign(p, mixPoint(r.script_codes as number[], r.script_counts as number[])); break;
      case "TOKEN_TRANSFERS": p.value = String(r.token_transfers); break;
    }
    return p;
  });
}

function percentilePoint(buckets: number[], counts: number[], family: Family): Pick<Point, "value" | "percentiles"> {
  const vs = histogramPercentiles(buckets, counts, PERCENTILES);
  if (vs[0] === null) return { value: null, percentiles: [] };
  const percentiles = PERCENTILES.map((p, i) => ({ p, value: formatFeeRate(vs[i]!, family) }));
  return { value: percentiles[PERCENTILES.indexOf(50)].value, percentiles };
}

function mixPoint(codes: (number | bigint)[], counts: (number | bigint | string)[]): Pick<Point, "value" | "mix"> {
  let total = 0n;
  const mix = codes.map((c, i) => {
    total += BigInt(counts[i]);
    let key: string;
    try { key = scriptTypeFromCode(Number(c)); } catch { key = `code${c}`; }
    return { key, value: BigInt(counts[i]).toString() };
  });
  return { value: total.toString(), mix };
}

/**
 * Where an interval's points are summed from: HOUR from analytics_block, whole days from analytics_day (the indexer's
 * per-day sums, so a 30-day range reads 30 rows, not every block). Both have the columns the sums read.
 */
function rowsOf(c: number, interval: Exclude<Interval, "BLOCK">, start: number, end: number) {
  if (interval === "HOUR") {
    return {
      table: Prisma.raw("analytics_block"), where: Prisma.sql`chain_id = ${c}::smallint AND time >= ${start}::bigint AND time < ${end}::bigint`,
      time: Prisma.raw("time"), blocks: Prisma.raw("count(*)"),
    };
  }
  // Day-or-longer buckets start at UTC midnight, so start and end are whole days.
  return {
    table: Prisma.raw("analytics_day"), where: Prisma.sql`chain_id = ${c}::smallint AND day >= ${start / 86_400}::int AND day < ${end / 86_400}::int`,
    time: Prisma.raw("day::bigint * 86400"), blocks: Prisma.raw("sum(blocks)"),
  };
}

async function timePoints(chain: Chain, family: Family, metric: Metric, interval: Exclude<Interval, "BLOCK">, start: number, end: number): Promise<Point[]> {
  const c = chain.id;
  const src = rowsOf(c, interval, start, end);
  const bucket = bucketSql(interval, src.time);
  if (metric === "ACTIVE_ADDRESSES" && interval !== "DAY") {
    // Exact: distinct addresses over the days of each bucket (buckets are whole days). The indexer keeps the counts
    // of weeks and months (analytics_period_active); a bucket without one (an open period the indexer did not hold)
    // counts its day rows here. A DAY point is its day's count, which analytics_day keeps (below).
    const buckets = await sqlRows<{ b: string; blocks: string; kept: string | null }>(Prisma.sql`
      SELECT d.b::text AS b, d.n::text AS blocks, p.active_addresses::text AS kept
      FROM (SELECT ${bucket} AS b, ${src.blocks} AS n FROM ${src.table} WHERE ${src.where} GROUP BY 1) d
      LEFT JOIN analytics_period_active p ON p.chain_id = ${c}::smallint AND p.unit = ${UNIT_SQL[interval]} AND p.start_day = d.b / 86400
      ORDER BY d.b`);
    const counted = new Map<string, string>();
    const open = buckets.find((r) => r.kept === null);
    if (open) {
      const rows = await sqlRows<{ b: string; v: string }>(Prisma.sql`
        SELECT ${bucket}::text AS b, count(DISTINCT address_id)::text AS v FROM analytics_day_address
        WHERE chain_id = ${c}::smallint AND day >= ${Number(open.b) / 86_400}::int AND day < ${end / 86_400}::int GROUP BY 1`);
      for (const r of rows) counted.set(r.b, r.v);
    }
    // A bucket without day rows has no point (a kept count of 0 is such a bucket).
    return buckets.flatMap((r) => {
      const v = r.kept ?? counted.get(r.b);
      return v === undefined || v === "0" ? [] : [{ time: Number(r.b), height: null, blocks: Number(r.blocks), value: v, percentiles: null, mix: null }];
    });
  }
  if (metric === "FEE_RATE_MEDIAN" || metric === "FEE_RATE_PERCENTILES" || metric === "SCRIPT_TYPES") {
    const [codes, counts] = metric === "SCRIPT_TYPES" ? [Prisma.raw("script_codes"), Prisma.raw("script_counts")] : [Prisma.raw("fee_buckets"), Prisma.raw("fee_counts")];
    // One row per (bucket, code) plus a row with code NULL carrying the bucket's block count.
    const rows = await sqlRows<{ b: string; code: number | null; n: string }>(Prisma.sql`
      SELECT ${bucket}::text AS b, u.code, sum(u.n)::text AS n
      FROM ${src.table} CROSS JOIN LATERAL unnest(${codes}, ${counts}) AS u(code, n) WHERE ${src.where} GROUP BY 1, 2
      UNION ALL
      SELECT ${bucket}::text, NULL, ${src.blocks}::text FROM ${src.table} WHERE ${src.where} GROUP BY 1
      ORDER BY 1, 2`);
    // Rows come ordered by bucket, then code.
    const byBucket = new Map<string, { blocks: number; codes: number[]; counts: number[] }>();
    for (const r of rows) {
      let e = byBucket.get(r.b);
      if (!e) byBucket.set(r.b, (e = { blocks: 0, codes: [], counts: [] }));
      if (r.code === null) e.blocks = Number(r.n);
      else { e.codes.push(Number(r.code)); e.counts.push(Number(r.n)); }
    }
    return [...byBucket.entries()].sort((x, y) => Number(x[0]) - Number(y[0])).map(([b, e]) => {
      const p: Point = { time: Number(b), height: null, blocks: e.blocks, value: null, percentiles: null, mix: null };
      if (metric === "SCRIPT_TYPES") Object.assign(p, mixPoint(e.codes, e.counts));
      else {
        const pp = percentilePoint(e.codes, e.counts, family);
        if (metric === "FEE_RATE_PERCENTILES") Object.assign(p, pp);
        else p.value = pp.value;
      }
      return p;
    });
  }
  const rows = await sqlRows<Record<string, string>>(Prisma.sql`
    SELECT ${bucket}::text AS b, ${src.blocks}::text AS blocks, sum(tx_count)::text AS txs, sum(fees_total)::text AS fees,
      div(sum(size), ${src.blocks})::text AS size, div(sum(weight), ${src.blocks})::text AS weight, sum(gas_used)::text AS gas,
      sum(new_addresses)::text AS fresh, sum(active_addresses)::text AS active, sum(token_transfers)::text AS transfers
    FROM ${src.table} WHERE ${src.where} GROUP BY 1 ORDER BY 1`);
  const col: Record<string, string> = {
    TX_COUNT: "txs", BLOCK_COUNT: "blocks", FEES_TOTAL: "fees", BLOCK_SIZE: "size", BLOCK_WEIGHT: "weight", GAS_USED: "gas", NEW_ADDRESSES: "fresh",
    ACTIVE_ADDRESSES: "active", TOKEN_TRANSFERS: "transfers",
  };
  return rows.map((r) => ({ time: Number(r.b), height: null, blocks: Number(r.blocks), value: r[col[metric]] ?? null, percentiles: null, mix: null })).sort((x, y) => x.time - y.time);
}

// ------------------------------------------------------------------------------------------------- top

async function top(ctx: Context, a: { chain: string; metric: "RICHEST" | "BUSIEST_CONTRACTS" | "BUSIEST_TOKENS"; first?: number | null }) {
  const chain = await chainBySlug(ctx, a.chain);
  const first = a.first ?? 10;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw badInput(`first must be between 0 and ${MAX_PAGE} (got ${first})`, { argument: "first", max: MAX_PAGE });
  const family = familyOf(chain);
  if (a.metric === "RICHEST") {
    if (family === "evm") {
      const rows = await rawRows<EvmAddressRow>(`SELECT ${COLUMNS.evmAddress} FROM evm_address WHERE chain_id = $1::smallint ORDER BY balance DESC LIMIT $2`, [chain.id, first]);
      return rows.map((r, i) => ({ rank: i + 1, value: r.balance, address: r }));
    }
    // Bitcoin keeps its rich list in btc_rich (see the schema): btc_address has no balance index.
    const rows = await ctx.db.btcRich.findMany({ where: { chainId: chain.id }, orderBy: [{ balance: "desc" }, { addressId: "asc" }], take: first });
    const addrs = await ctx.loaders.btcAddress.loadMany(rows.map((r) => r.addressId));
    return rows.map((r, i) => ({ rank: i + 1, value: r.balance, address: addrs[i] }));
  }
  if (family !== "evm") throw badInput(`${a.metric} is for EVM chains; ${chain.slug} is Bitcoin-family`, { argument: "metric" });
  const kind = a.metric === "BUSIEST_CONTRACTS" ? 1 : 2;
  const rows = await sqlRows<{ id: bigint; n: string }>(Prisma.sql`
    SELECT k.address_id AS id, k.count::text AS n FROM analytics_counter k JOIN evm_address a ON a.id = k.address_id
    WHERE k.chain_id = ${chain.id}::smallint AND k.kind = ${kind}::smallint AND a.is_contract
    ORDER BY k.count DESC, k.address_id LIMIT ${first}`);
  const addrs = await ctx.loaders.evmAddress.loadMany(rows.map((r) => BigInt(r.id)));
  return rows.map((r, i) => ({ rank: i + 1, value: BigInt(r.n), address: addrs[i] }));
}

export const resolvers = {
  Query: {
    series: (_: unknown, a: Parameters<typeof series>[1], ctx: Context) => series(ctx, a),
    top: (_: unknown, a: Parameters<typeof top>[1], ctx: Context) => top(ctx, a),
  },
};
