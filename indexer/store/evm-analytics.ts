// Per-block analytics of an EVM batch (analytics_block and its days, analytics_day_address, analytics_counter),
// computed from the batch in memory as the store walks it: the SQL form (writeEvmMetricsFromTables in analytics.ts,
// still the definition) re-read every row the batch had just written and was PostgreSQL's largest statement per
// batch (~35 µs/tx of ~75). test/integration/evm/anvil.test.ts checks the two agree on a real chain.
import type { BlockHeader, Tx } from "../engine/adapter";
import {
  addActiveAddresses, addBlocksToDays, addDayCounts, COUNTER_CONTRACT_TXS, COUNTER_TOKEN_TRANSFERS, feeRateColumns, insertKnownDayAddresses, SECONDS_PER_DAY,
  type DayAddress, type DayCounts,
} from "./analytics";
import { keepPeriodActive, type OpenPeriods } from "./analytics-periods";
import { copyInBinary } from "./bitcoin-sql";
import { CopyBinaryWriter } from "./copy-binary";

/** Fee rates above this are counted as this (the SQL definition casts to bigint). */
const RATE_CAP = 4611686018427387904n; // 2^62

export interface EvmBlockMetrics {
  height: number;
  time: number;
  size: number;
  gasUsed: bigint;
  txCount: number;
  fees: bigint;
  /** Effective gas price of each tx, capped at 2^62. */
  rates: bigint[];
  /** Ids of every address a tx of the block touches (from, to, created, log emitters, token parties). */
  active: Set<bigint>;
  transfers: number;
}

export function blockMetrics(header: BlockHeader, gasUsed: bigint): EvmBlockMetrics {
  return { height: header.height, time: header.time, size: header.size, gasUsed, txCount: 0, fees: 0n, rates: [], active: new Set(), transfers: 0 };
}

export function addTxMetrics(m: EvmBlockMetrics, fee: bigint, effectiveGasPrice: bigint): void {
  m.txCount++;
  m.fees += fee;
  m.rates.push(effectiveGasPrice > RATE_CAP ? RATE_CAP : effectiveGasPrice);
}

/** Per-batch increments of the `top` counters: txs sent to each address, transfers of each token. */
export interface EvmCounters {
  contractTxs: Map<bigint, number>;
  tokenTransfers: Map<bigint, number>;
}

export const count = (m: Map<bigint, number>, id: bigint) => m.set(id, (m.get(id) ?? 0) + 1);

/** Writes the batch's analytics rows; returns what to record in `periods.cache` once the transaction has committed.
 *  `per` in height order; `firstSeen`: id → the height where an address new to the chain in this batch first appears. */
export async function writeEvmMetrics(sql: Tx, chainId: number, per: EvmBlockMetrics[], firstSeen: Map<bigint, number>, counters: EvmCounters,
  periods?: Pick<OpenPeriods, "cache" | "nextAddrSeq">): Promise<() => void> {
  const { median, buckets, counts } = feeRateColumns(per.map((m) => m.rates));
  const fresh = per.map((m) => {
    let n = 0;
    for (const id of m.active) if (firstSeen.get(id) === m.height) n++;
    return n;
  });
  const inserted = await sql`
    insert into analytics_block (chain_id, height, time, tx_count, fees_total, fee_rate_median, fee_buckets, fee_counts, size, weight,
      gas_used, active_addresses, new_addresses, script_codes, script_counts, token_transfers)
    select ${chainId}, u.height, u.time, u.txs, u.fees, u.median, u.buckets::int[], u.counts::int[], u.size, null, u.gas, u.active, u.fresh, '{}', '{}', u.tt
    from unnest(${per.map((m) => m.height)}::bigint[], ${per.map((m) => m.time)}::bigint[], ${per.map((m) => m.txCount)}::int[],
      ${per.map((m) => m.fees.toString())}::numeric[], ${median}::numeric[], ${buckets}::text[], ${counts}::text[], ${per.map((m) => m.size)}::bigint[],
      ${per.map((m) => m.gasUsed.toString())}::bigint[], ${per.map((m) => m.active.size)}::int[], ${fresh}::int[], ${per.map((m) => m.transfers)}::int[])
      as u(height, time, txs, fees, median, buckets, counts, size, gas, active, fresh, tt)
    on conflict (chain_id, height) do nothing
    returning height`;
  await addBlocksToDays(sql, chainId, inserted.map((r) => Number(r.height)));

  // Every (UTC day, address) active in the batch, with the first height of that day's activity.
  const byDay = new Map<number, Map<bigint, number>>();
  for (const m of per) {
    const day = Math.floor(m.time / SECONDS_PER_DAY);
    let ids = byDay.get(day);
    if (!ids) byDay.set(day, (ids = new Map()));
    for (const id of m.active) {
      const h = ids.get(id);
      if (h === undefined || m.height < h) ids.set(id, m.height);
    }
  }
  // An address new to the chain has no row for any day yet (a rollback removes both), so its rows go in with COPY;
  // the others may already have the day's row from an earlier batch and need ON CONFLICT.
  const known: DayAddress[] = [];
  const copied: DayCounts = new Map();
  const w = new CopyBinaryWriter(1 << 14);
  for (const [day, ids] of byDay) {
    for (const [id, height] of ids) {
      if (firstSeen.has(id)) {
        w.row(4).int2(chainId).int4(day).int8(id).int8(height);
        copied.set(day, (copied.get(day) ?? 0) + 1);
      } else known.push({ day, id, height });
    }
  }
  await copyInBinary(sql, "analytics_day_address", ["chain_id", "day", "address_id", "first_height"], w, []);
  const moved = addDayCounts(await insertKnownDayAddresses(sql, chainId, known), copied);
  await addActiveAddresses(sql, chainId, moved);
  const active = new Map([...byDay].map(([day, ids]) => [day, [...ids.keys()]]));
  const commitPeriods = await keepPeriodActive(sql, chainId, moved, periods && { ...periods, active, fromHeight: per[0].height });

  const rows = [
    ...[...counters.contractTxs].map(([id, n]) => [COUNTER_CONTRACT_TXS, id, n] as const),
    ...[...counters.tokenTransfers].map(([id, n]) => [COUNTER_TOKEN_TRANSFERS, id, n] as const),
  ];
  if (!rows.length) return commitPeriods;
  await sql`
    insert into analytics_counter (chain_id, kind, address_id, count)
    select ${chainId}, u.kind, u.id, u.n
    from unnest(${rows.map((r) => r[0])}::smallint[], ${rows.map((r) => r[1].toString())}::bigint[], ${rows.map((r) => r[2])}::bigint[]) as u(kind, id, n)
    on conflict (chain_id, kind, address_id) do update set count = analytics_counter.count + excluded.count`;
  return commitPeriods;
}
