// Per-block analytics of a Bitcoin batch (analytics_block and its days, analytics_day_address), computed from the
// batch's rows in memory: the SQL form re-read every row the batch had just written and cost ~18% of PostgreSQL's
// ingest time.
// Definitions are those of indexer/store/analytics.ts (and of test/integration/analytics/recompute.ts, which checks
// them against the raw tables).
import { blockWeight, txVsize } from "../../lib/bitcoin/codec";
import type { Tx } from "../engine/adapter";
import type { BitcoinBlock } from "../sources/bitcoin-block";
import { addActiveAddresses, addBlocksToDays, addDayCounts, feeRateColumns, insertKnownDayAddresses, type DayAddress, SECONDS_PER_DAY } from "./analytics";
import { keepPeriodActive } from "./analytics-periods";
import type { AddressEffects } from "./bitcoin-addresses";
import type { BatchRows } from "./bitcoin-rows";
import { copyInBinary, pgArray } from "./bitcoin-sql";
import { CopyBinaryWriter } from "./copy-binary";
import type { DayAddressCache, IdSet } from "./day-address-cache";
import type { PeriodAddressCache } from "./period-address-cache";

interface BlockMetrics {
  height: number;
  time: number;
  size: number;
  weight: number;
  txCount: number;
  fees: bigint;
  /** Non-coinbase fee rates, msat/vB. */
  rates: bigint[];
  active: number;
  fresh: number;
  scriptCounts: Map<number, number>;
}

/** A batch's analytics rows, computed from memory. */
export interface BitcoinMetrics {
  per: BlockMetrics[];
  median: (string | null)[];
  buckets: string[];
  counts: string[];
  mix: [number, number][][];
  /** Per UTC day: the first height of each active address's activity that day (by local address index). */
  days: Map<number, { first: Int32Array; locals: number[] }>;
}

export function bitcoinMetrics(blocks: BitcoinBlock[], rows: BatchRows, effects: AddressEffects): BitcoinMetrics {
  const per: BlockMetrics[] = blocks.map((b) => ({
    height: b.header.height, time: b.header.time, size: b.header.size, weight: blockWeight(b.block), txCount: b.block.txs.length,
    fees: 0n, rates: [], active: 0, fresh: 0, scriptCounts: new Map(),
  }));
  const at = new Map(per.map((m) => [m.height, m]));
  for (const t of rows.txs) {
    if (t.coinbase) continue;
    const m = per[t.block];
    const fee = t.inputValue - t.outputValue;
    m.fees += fee;
    const vsize = txVsize(blocks[t.block].block.txs[t.position]);
    m.rates.push(vsize > 0 ? (fee * 1000n) / BigInt(vsize) : 0n);
  }
  for (const o of rows.outs) {
    const m = per[rows.txs[o.tx].block];
    m.scriptCounts.set(o.scriptType, (m.scriptCounts.get(o.scriptType) ?? 0) + 1);
  }
  const h = effects.history;
  // Distinct addresses per block: history runs in chain order, so one marker per address counts each once.
  const seenIn = new Int32Array(effects.ids.length).fill(-1);
  for (let k = 0; k < h.length; k++) {
    const l = h.local[k];
    const b = rows.txs[h.tx[k]].block;
    if (seenIn[l] !== b) {
      seenIn[l] = b;
      per[b].active++;
    }
  }
  for (let s = 0; s < rows.scripts.length; s++) if (effects.fresh[s]) at.get(rows.scriptFirstHeight[s])!.fresh++;

  const { median, buckets, counts } = feeRateColumns(per.map((m) => m.rates));
  const mix = per.map((m) => [...m.scriptCounts.entries()].sort((a, b) => a[0] - b[0]));
  // Every (UTC day, address) active in the batch, with the first height of that day's activity (a batch spans a
  // day or two: one array over the local address indexes per day).
  const days = new Map<number, { first: Int32Array; locals: number[] }>();
  for (let k = 0; k < h.length; k++) {
    const m = per[rows.txs[h.tx[k]].block];
    const day = Math.floor(m.time / SECONDS_PER_DAY);
    let d = days.get(day);
    if (!d) days.set(day, (d = { first: new Int32Array(effects.ids.length).fill(-1), locals: [] }));
    const l = h.local[k];
    if (d.first[l] < 0) {
      d.first[l] = m.height;
      d.locals.push(l);
    }
  }
  return { per, median, buckets, counts, mix, days };
}

/** The in-memory records a write keeps up to date (each optional: without it, PostgreSQL is asked or counts). */
export interface MetricsCaches {
  dayAddresses?: DayAddressCache;
  periodAddresses?: PeriodAddressCache;
}

/** Writes the batch's analytics rows; returns what to record in the caches once the transaction has committed.
 *  `nextAddrSeq` is the chain's address counter after the batch's new addresses. */
export async function writeBitcoinMetrics(sql: Tx, chainId: number, effects: AddressEffects, { per, median, buckets, counts, mix, days }: BitcoinMetrics,
  { dayAddresses, periodAddresses }: MetricsCaches, nextAddrSeq: bigint): Promise<() => void> {
  const inserted = await sql`
    insert into analytics_block (chain_id, height, time, tx_count, fees_total, fee_rate_median, fee_buckets, fee_counts, size, weight,
      gas_used, active_addresses, new_addresses, script_codes, script_counts, token_transfers)
    select ${chainId}, u.height, u.time, u.txs, u.fees, u.median, u.buckets::int[], u.counts::int[], u.size, u.weight, null, u.active, u.fresh,
      u.codes::int[], u.ns::int[], 0
    from unnest(${per.map((m) => m.height)}::bigint[], ${per.map((m) => m.time)}::bigint[], ${per.map((m) => m.txCount)}::int[],
      ${per.map((m) => m.fees.toString())}::numeric[], ${median}::numeric[], ${buckets}::text[], ${counts}::text[], ${per.map((m) => m.size)}::bigint[],
      ${per.map((m) => m.weight)}::bigint[], ${per.map((m) => m.active)}::int[], ${per.map((m) => m.fresh)}::int[],
      ${mix.map((x) => pgArray(x.map((e) => e[0])))}::text[], ${mix.map((x) => pgArray(x.map((e) => e[1])))}::text[])
      as u(height, time, txs, fees, median, buckets, counts, size, weight, active, fresh, codes, ns)
    on conflict (chain_id, height) do nothing
    returning height`;
  await addBlocksToDays(sql, chainId, inserted.map((r) => Number(r.height)));

  // A fresh address has no row for any day yet, and the cache knows which others have one: those rows go in with
  // COPY. Without a cache, rows of addresses seen before may already be there (insertKnownDayAddresses).
  const held = new Map<number, IdSet | undefined>();
  if (dayAddresses) for (const day of days.keys()) held.set(day, await dayAddresses.day(sql, chainId, day));
  const known: DayAddress[] = [];
  const written = [...days.keys()].map((day) => ({ day, ids: [] as bigint[] }));
  const w = new CopyBinaryWriter();
  await copyInBinary(sql, "analytics_day_address", ["chain_id", "day", "address_id", "first_height"], w, (function* () {
    let k = 0;
    for (const [day, d] of days) {
      const set = held.get(day);
      const ids = written[k++].ids;
      for (const l of d.locals) {
        const id = effects.ids[l];
        if (set && set.has(id)) continue;
        if (!effects.fresh[l] && !set) known.push({ day, id, height: d.first[l] });
        else {
          w.row(4).int2(chainId).int4(day).int8(id).int8(d.first[l]);
          ids.push(id);
          yield;
        }
      }
    }
  })());
  const added = await insertKnownDayAddresses(sql, chainId, known);
  const moved = addDayCounts(added, new Map(written.map((x) => [x.day, x.ids.length])));
  await addActiveAddresses(sql, chainId, moved);
  const open = periodAddresses && {
    cache: periodAddresses, fromHeight: per[0].height, nextAddrSeq,
    active: new Map([...days].map(([day, d]) => [day, d.locals.map((l) => effects.ids[l])])),
  };
  const commitPeriods = await keepPeriodActive(sql, chainId, moved, open);
  return () => {
    dayAddresses?.commit(written);
    commitPeriods();
  };
}
