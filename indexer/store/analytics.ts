// Analytics aggregates, maintained by the indexer inside the batch transaction (so they commit with the blocks and
// roll back with them) from the rows the adapter has just written for the batch's heights:
// - analytics_block: one row per canonical block (tx count, fees, fee-rate median and log histogram, size, weight,
//   gas, active and new addresses, output script-type mix, token transfers);
// - analytics_day: analytics_block summed per UTC day (addBlocksToDays), what day/week/month series read;
// - analytics_day_address: every (UTC day, address) with activity, so day/week/month active counts are exact;
// - analytics_period_active: those counts per week and month, closed ones counted once, open ones moved by each
//   batch (analytics-periods.ts);
// - analytics_counter: per-contract tx counts and per-token transfer counts for the `top` lists (EVM).
// Both families' stores compute them from the batch in memory (bitcoin-analytics.ts, evm-analytics.ts); the EVM
// definition in SQL is writeEvmMetricsFromTables below. rollbackBlockMetrics undoes either family's in four to
// eight statements.
import type { Tx } from "../engine/adapter";
import { keepPeriodActive } from "./analytics-periods";
import { compareBigints, pgArray } from "./bitcoin-sql";

export type Family = "bitcoin" | "evm";

/** A chain's heights fromHeight..toHeight. */
export interface HeightRange {
  chainId: number;
  fromHeight: number;
  toHeight: number;
}

export interface RollbackMetricsArgs {
  chainId: number;
  /** Everything above this height is undone (the common ancestor). */
  aboveHeight: number;
  /** Defaults to the chain's family from the `chain` table. */
  family?: Family;
}

export const COUNTER_CONTRACT_TXS = 1;
export const COUNTER_TOKEN_TRANSFERS = 2;
export const SECONDS_PER_DAY = 86_400;

/** Sub-buckets per power of two of the fee-rate histogram: each bucket spans at most 12.5% of its lower bound. */
export const FEE_SUB_BUCKETS = 8;

/**
 * The histogram bucket of a fee rate (a non-negative integer: Bitcoin msat/vB, EVM wei/gas): 0 for 0, else
 * 1 + 8·⌊log2 x⌋ + the next three bits below the leading one. Integer-exact (no floating point), so SQL and JS agree.
 */
export function feeRateBucket(x: bigint): number {
  if (x <= 0n) return 0;
  const e = x.toString(2).length - 1;
  const sub = e >= 3 ? Number((x >> BigInt(e - 3)) & 7n) : Number((x << BigInt(3 - e)) & 7n);
  return 1 + e * FEE_SUB_BUCKETS + sub;
}

/** Blocks' fee rates as analytics_block's columns: per block the median (percentile_disc(0.5), as a numeric
 *  literal) and the log histogram as int[] literals of buckets and their counts. Sorts each list. */
export function feeRateColumns(perBlock: bigint[][]): { median: (string | null)[]; buckets: string[]; counts: string[] } {
  const out = { median: [] as (string | null)[], buckets: [] as string[], counts: [] as string[] };
  for (const rates of perBlock) {
    rates.sort(compareBigints);
    // percentile_disc(0.5): the first rate whose cumulative share reaches one half.
    out.median.push(rates.length ? rates[Math.ceil(rates.length / 2) - 1].toString() : null);
    const hist = new Map<number, number>();
    for (const r of rates) {
      const b = feeRateBucket(r);
      hist.set(b, (hist.get(b) ?? 0) + 1);
    }
    const h = [...hist.entries()].sort((a, b) => a[0] - b[0]);
    out.buckets.push(pgArray(h.map((x) => x[0])));
    out.counts.push(pgArray(h.map((x) => x[1])));
  }
  return out;
}

/** A day's activity of an address: the first height it was active at that day. */
export interface DayAddress {
  day: number;
  id: bigint;
  height: number;
}

/** Rows per UTC day: those a batch added to analytics_day_address, or (negative) those a rollback removed. */
export type DayCounts = Map<number, number>;

/** Daily-active rows of addresses seen before the batch: an earlier batch may have stored the same day's row, hence
 *  ON CONFLICT (5× slower per row than the COPY that new addresses' rows take, measured). Returns the rows added. */
export async function insertKnownDayAddresses(sql: Tx, chainId: number, rows: DayAddress[]): Promise<DayCounts> {
  if (!rows.length) return new Map();
  const added = await sql`
    with ins as (
      insert into analytics_day_address (chain_id, day, address_id, first_height)
      select ${chainId}, u.day, u.id, u.height
      from unnest(${pgArray(rows.map((x) => x.day))}::int[], ${pgArray(rows.map((x) => x.id))}::bigint[], ${pgArray(rows.map((x) => x.height))}::bigint[]) as u(day, id, height)
      order by 2, 3
      on conflict (chain_id, day, address_id) do nothing
      returning day)
    select day, count(*)::int as n from ins group by day`;
  return new Map(added.map((r) => [r.day as number, r.n as number]));
}

/** Sums two DayCounts into the first. */
export function addDayCounts(into: DayCounts, more: DayCounts): DayCounts {
  for (const [day, n] of more) into.set(day, (into.get(day) ?? 0) + n);
  return into;
}

/** Moves analytics_day.active_addresses by the analytics_day_address rows added or removed per day. Runs after
 *  addBlocksToDays, which keeps the column as it was. */
export async function addActiveAddresses(sql: Tx, chainId: number, counts: DayCounts): Promise<void> {
  const moved = [...counts].filter(([, n]) => n !== 0);
  if (!moved.length) return;
  await sql`
    update analytics_day a set active_addresses = a.active_addresses + u.n
    from unnest(${moved.map((x) => x[0])}::int[], ${moved.map((x) => x[1])}::bigint[]) as u(day, n)
    where a.chain_id = ${chainId} and a.day = u.day`;
}

/** The UTC days of heights above `above` (up to `upTo` when given) in analytics_block. */
export async function blockDays(sql: Tx, chainId: number, above: number, upTo?: number): Promise<number[]> {
  const rows = await sql`
    select distinct (time / ${SECONDS_PER_DAY})::int as day from analytics_block
    where chain_id = ${chainId} and height > ${above} and (${upTo ?? null}::bigint is null or height <= ${upTo ?? null}::bigint)`;
  return rows.map((r) => r.day as number);
}

/**
 * Adds the analytics_block rows of these heights to their UTC days in analytics_day, or with sign -1 takes them
 * away (a rollback, before it deletes them). Each touched day's row is summed again with just these blocks, so a
 * batch costs its own blocks, not its day's (a day is 144 Bitcoin blocks, 7,200 Ethereum ones: summing a whole
 * 100-bucket Bitcoin day took 13 ms). Block times are not monotonic, so a block counts in its own day, whatever
 * batch brings it. A day left with no blocks loses its row. active_addresses is moved apart (addActiveAddresses).
 */
export async function addBlocksToDays(sql: Tx, chainId: number, heights: number[] | { above: number }, sign: 1 | -1 = 1): Promise<void> {
  if (Array.isArray(heights) && !heights.length) return;
  const which = Array.isArray(heights) ? sql`height = any(${heights}::bigint[])` : sql`height > ${heights.above}`;
  await sql`
    with blk as (select (time / ${SECONDS_PER_DAY})::int as day, * from analytics_block where chain_id = ${chainId} and ${which}),
    b as (
      select day, ${sign}::int as s, 1 as n, tx_count::bigint, fees_total, size, weight, gas_used, new_addresses::bigint, token_transfers::bigint,
        fee_buckets, fee_counts::bigint[], script_codes, script_counts::bigint[]
      from blk
      union all
      select day, 1, blocks, tx_count, fees_total, size, weight, gas_used, new_addresses, token_transfers, fee_buckets, fee_counts, script_codes, script_counts
      from analytics_day where chain_id = ${chainId} and day in (select day from blk)),
    sums as (
      select day, sum(s * n)::int as blocks, sum(s * tx_count) as txs, sum(s * fees_total) as fees, sum(s * size) as size, sum(s * weight) as weight,
        sum(s * gas_used) as gas, sum(s * new_addresses) as fresh, sum(s * token_transfers) as transfers
      from b group by day),
    fee as (
      select day, array_agg(code order by code) as codes, array_agg(n order by code) as ns
      from (select day, u.code, sum(s * u.n)::bigint as n from b cross join lateral unnest(b.fee_buckets, b.fee_counts) as u(code, n)
        group by 1, 2 having sum(s * u.n) <> 0) x
      group by day),
    mix as (
      select day, array_agg(code order by code) as codes, array_agg(n order by code) as ns
      from (select day, u.code, sum(s * u.n)::bigint as n from b cross join lateral unnest(b.script_codes, b.script_counts) as u(code, n)
        group by 1, 2 having sum(s * u.n) <> 0) x
      group by day),
    gone as (delete from analytics_day x using sums where x.chain_id = ${chainId} and x.day = sums.day and sums.blocks = 0)
    insert into analytics_day (chain_id, day, blocks, tx_count, fees_total, fee_buckets, fee_counts, size, weight, gas_used, new_addresses,
      script_codes, script_counts, token_transfers)
    select ${chainId}, s.day, s.blocks, s.txs, s.fees, coalesce(fee.codes, '{}'), coalesce(fee.ns, '{}'), s.size, s.weight, s.gas, s.fresh,
      coalesce(mix.codes, '{}'), coalesce(mix.ns, '{}'), s.transfers
    from sums s left join fee using (day) left join mix using (day)
    where s.blocks > 0
    on conflict (chain_id, day) do update set blocks = excluded.blocks, tx_count = excluded.tx_count, fees_total = excluded.fees_total,
      fee_buckets = excluded.fee_buckets, fee_counts = excluded.fee_counts, size = excluded.size, weight = excluded.weight, gas_used = excluded.gas_used,
      new_addresses = excluded.new_addresses, script_codes = excluded.script_codes, script_counts = excluded.script_counts,
      token_transfers = excluded.token_transfers`;
}

/** The smallest rate in a bucket (what interval percentiles report). */
export function feeRateBucketFloor(bucket: number): bigint {
  if (bucket <= 0) return 0n;
  const e = Math.floor((bucket - 1) / FEE_SUB_BUCKETS);
  const s = BigInt((bucket - 1) % FEE_SUB_BUCKETS);
  const num = (8n + s) << BigInt(e);
  return (num + 7n) / 8n; // ceil((8 + s) · 2^e / 8)
}

/** feeRateBucket in SQL, over a bigint expression `x`. Rates are capped at 2^62 (no real fee rate comes close). */
const BUCKET_SQL = (x: string) => `(case when ${x} <= 0 then 0 else (
  select 1 + e * ${FEE_SUB_BUCKETS} + (case when e >= 3 then (${x} >> (e - 3)) & 7 else (${x} << (3 - e)) & 7 end)::int
  from (select 64 - position('1' in ${x}::bit(64)::text) as e) l) end)`;

/** EVM aggregates of heights lo..hi computed from the rows already written: the definition evm-analytics.ts
 *  implements in memory (tests compare the two), and what synthetic chains written straight into the tables use.
 *  Counters are incremented: run it once per range. */
export async function writeEvmMetricsFromTables(sql: Tx, { chainId: c, fromHeight: lo, toHeight: hi }: HeightRange): Promise<void> {
  if (hi < lo) return;
  await sql.unsafe(
    `
    with b as (
      select k.height, k.time, k.size, eb.gas_used from block k
      left join evm_block eb on eb.chain_id = k.chain_id and eb.hash = k.hash
      where k.chain_id = $1 and not k.stale and k.height between $2 and $3),
    t as (select id, height, fee, effective_gas_price, from_id, to_id, contract_created_id from evm_tx where chain_id = $1 and height between $2 and $3),
    tt as (select t.height, x.from_id, x.to_id, x.token_address_id from t join evm_token_transfer x on x.tx_id = t.id),
    tx_agg as (select height, count(*)::int as n, sum(fee) as fees from t group by height),
    r as (select height, least(effective_gas_price, 4611686018427387904)::bigint as x from t),
    med as (select height, percentile_disc(0.5) within group (order by x) as m from r group by height),
    rb as (select height, ${BUCKET_SQL("x")} as bucket, count(*)::int as n from r group by 1, 2),
    hist as (select height, array_agg(bucket order by bucket) as bs, array_agg(n order by bucket) as ns from rb group by height),
    io as (
      select height, from_id as address_id from t
      union select height, to_id from t where to_id is not null
      union select height, contract_created_id from t where contract_created_id is not null
      union select height, from_id from tt
      union select height, to_id from tt
      union select t.height, l.address_id from t join evm_log l on l.tx_id = t.id),
    act as (
      select io.height, count(*)::int as active, (count(*) filter (where ad.first_height = io.height))::int as fresh
      from io join evm_address ad on ad.id = io.address_id group by io.height),
    tr as (select height, count(*)::int as n from tt group by height),
    day_rows as (
      insert into analytics_day_address (chain_id, day, address_id, first_height)
      select $1, (b.time / ${SECONDS_PER_DAY})::int, io.address_id, min(io.height) from io join b using (height) group by 2, 3
      on conflict (chain_id, day, address_id) do nothing)
    insert into analytics_block (chain_id, height, time, tx_count, fees_total, fee_rate_median, fee_buckets, fee_counts, size, weight,
      gas_used, active_addresses, new_addresses, script_codes, script_counts, token_transfers)
    select $1, b.height, b.time, coalesce(tx_agg.n, 0), coalesce(tx_agg.fees, 0), med.m, coalesce(hist.bs, '{}'), coalesce(hist.ns, '{}'),
      b.size, null, b.gas_used, coalesce(act.active, 0), coalesce(act.fresh, 0), '{}', '{}', coalesce(tr.n, 0)
    from b left join tx_agg using (height) left join med using (height) left join hist using (height) left join act using (height)
      left join tr using (height)
    on conflict (chain_id, height) do nothing`,
    [c, lo, hi],
  );
  await sql.unsafe(
    `
    with t as (select id, to_id from evm_tx where chain_id = $1 and height between $2 and $3),
    d as (
      select ${COUNTER_CONTRACT_TXS} as kind, to_id as address_id, count(*) as n from t where to_id is not null group by to_id
      union all
      select ${COUNTER_TOKEN_TRANSFERS}, x.token_address_id, count(*) from t join evm_token_transfer x on x.tx_id = t.id group by x.token_address_id)
    insert into analytics_counter (chain_id, kind, address_id, count)
    select $1, kind, address_id, n from d
    on conflict (chain_id, kind, address_id) do update set count = analytics_counter.count + excluded.count`,
    [c, lo, hi],
  );
  const days = await blockDays(sql, c, lo - 1, hi);
  await addBlocksToDays(sql, c, Array.from({ length: hi - lo + 1 }, (_, i) => lo + i));
  // The definition of a day's active addresses: its analytics_day_address rows (the writers count what they add).
  await sql`
    update analytics_day a set active_addresses = (select count(*) from analytics_day_address x where x.chain_id = a.chain_id and x.day = a.day)
    where a.chain_id = ${c} and a.day = any(${days}::int[])`;
  await keepPeriodActive(sql, c, new Map(days.map((day) => [day, 1])));
}

/**
 * Undo the aggregates of every block above `aboveHeight`. Must run BEFORE the adapter's rollback in the same
 * transaction: the EVM counters are decremented from the family rows that are about to be deleted (it checks).
 */
export async function rollbackBlockMetrics(sql: Tx, a: RollbackMetricsArgs): Promise<void> {
  const c = a.chainId;
  const h = a.aboveHeight;
  let family = a.family;
  if (!family) {
    const [row] = await sql`select family from chain where id = ${c}`;
    family = row?.family === "evm" ? "evm" : "bitcoin";
  }
  if (family === "evm") {
    const [chk] = await sql`
      select (select coalesce(sum(tx_count), 0) from analytics_block where chain_id = ${c} and height > ${h})::bigint::text as agg,
        (select count(*) from evm_tx where chain_id = ${c} and height > ${h})::bigint::text as raw`;
    if (chk.agg !== chk.raw) {
      throw new Error(`rollbackBlockMetrics(chain ${c}, above ${h}): the aggregates count ${chk.agg} transactions above the height but evm_tx holds ${chk.raw}; call it before the adapter's rollback, in the same transaction`);
    }
    await sql`
      with t as (select id, to_id from evm_tx where chain_id = ${c} and height > ${h}),
      d as (
        select ${COUNTER_CONTRACT_TXS}::int as kind, to_id as address_id, count(*) as n from t where to_id is not null group by to_id
        union all
        select ${COUNTER_TOKEN_TRANSFERS}::int, x.token_address_id, count(*) from t join evm_token_transfer x on x.tx_id = t.id group by x.token_address_id)
      update analytics_counter k set count = k.count - d.n from d
      where k.chain_id = ${c} and k.kind = d.kind and k.address_id = d.address_id`;
    await sql`delete from analytics_counter where chain_id = ${c} and count <= 0`;
  }
  // Days of the rolled-back blocks (block times are not monotonic, so by the blocks themselves, not a time range).
  const days = await blockDays(sql, c, h);
  const removed = await sql`
    with del as (delete from analytics_day_address where chain_id = ${c} and day = any(${days}::int[]) and first_height > ${h} returning day)
    select day, count(*)::int as n from del group by day`;
  await addBlocksToDays(sql, c, { above: h }, -1);
  const moved: DayCounts = new Map(removed.map((r) => [r.day as number, -r.n]));
  await addActiveAddresses(sql, c, moved);
  await sql`delete from analytics_block where chain_id = ${c} and height > ${h}`;
  await keepPeriodActive(sql, c, moved);
}
