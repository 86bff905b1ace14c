// The reference: every analytics figure recomputed straight from the raw tables (canonical rows only), with the
// bucketing, medians and histograms done here in JS — independently of the SQL in indexer/store/analytics.ts.
import type postgres from "postgres";
import { feeRateBucket, feeRateBucketFloor } from "../../../indexer/store/analytics";
import { scriptTypeFromCode } from "../../../lib/bitcoin/script";

export interface BlockRef {
  height: number; time: number; txs: number; fees: bigint; size: bigint; weight: bigint | null; gas: bigint | null;
  rates: bigint[]; active: Set<string>; fresh: number; scripts: Map<number, number>; transfers: number;
}

export async function recompute(sql: postgres.Sql, chainId: number, family: "bitcoin" | "evm"): Promise<Map<number, BlockRef>> {
  const blocks = new Map<number, BlockRef>();
  const bk = family === "bitcoin"
    ? await sql`select k.height::int as h, k.time::int as t, k.size::text as s, bb.weight::text as w, null as g from block k join btc_block bb on bb.chain_id = k.chain_id and bb.hash = k.hash where k.chain_id = ${chainId} and not k.stale`
    : await sql`select k.height::int as h, k.time::int as t, k.size::text as s, null as w, eb.gas_used::text as g from block k join evm_block eb on eb.chain_id = k.chain_id and eb.hash = k.hash where k.chain_id = ${chainId} and not k.stale`;
  for (const r of bk) {
    blocks.set(r.h, { height: r.h, time: r.t, txs: 0, fees: 0n, size: BigInt(r.s), weight: r.w === null ? null : BigInt(r.w), gas: r.g === null ? null : BigInt(r.g), rates: [], active: new Set(), fresh: 0, scripts: new Map(), transfers: 0 });
  }
  if (family === "bitcoin") {
    for (const r of await sql`select height::int as h, fee::text as fee, vsize, is_coinbase from btc_tx where chain_id = ${chainId}`) {
      const b = blocks.get(r.h)!;
      b.txs++;
      b.fees += BigInt(r.fee);
      if (!r.is_coinbase) b.rates.push(r.vsize > 0 ? (BigInt(r.fee) * 1000n) / BigInt(r.vsize) : 0n);
    }
    for (const r of await sql`
      select t.height::int as h, i.address_id::text as a from btc_input i join btc_tx t on t.id = i.tx_id where t.chain_id = ${chainId} and i.address_id is not null
      union all
      select t.height::int, o.address_id::text from btc_output o join btc_tx t on t.id = o.tx_id where t.chain_id = ${chainId} and o.address_id is not null`) blocks.get(r.h)!.active.add(r.a);
    for (const r of await sql`select first_height::int as h, count(*)::int as n from btc_address where chain_id = ${chainId} group by 1`) blocks.get(r.h)!.fresh = r.n;
    for (const r of await sql`select t.height::int as h, o.script_type::int as c, count(*)::int as n from btc_output o join btc_tx t on t.id = o.tx_id where t.chain_id = ${chainId} group by 1, 2`) {
      blocks.get(r.h)!.scripts.set(r.c, r.n);
    }
  } else {
    for (const r of await sql`select height::int as h, fee::text as fee, effective_gas_price::text as p, from_id::text as f, to_id::text as t, contract_created_id::text as c from evm_tx where chain_id = ${chainId}`) {
      const b = blocks.get(r.h)!;
      b.txs++;
      b.fees += BigInt(r.fee);
      b.rates.push(BigInt(r.p));
      for (const a of [r.f, r.t, r.c]) if (a) b.active.add(a);
    }
    for (const r of await sql`select height::int as h, from_id::text as f, to_id::text as t from evm_token_transfer where chain_id = ${chainId}`) {
      const b = blocks.get(r.h)!;
      b.transfers++;
      b.active.add(r.f);
      b.active.add(r.t);
    }
    for (const r of await sql`select t.height::int as h, l.address_id::text as a from evm_log l join evm_tx t on t.id = l.tx_id where t.chain_id = ${chainId}`) blocks.get(r.h)!.active.add(r.a);
    // New = first seen at the height, among the block's active addresses (addresses only ever seen otherwise, e.g. as miner, are not counted).
    const firsts = new Map((await sql`select id::text as id, first_height::int as h from evm_address where chain_id = ${chainId}`).map((r) => [r.id as string, r.h as number]));
    for (const b of blocks.values()) b.fresh = [...b.active].filter((a) => firsts.get(a) === b.height).length;
  }
  return blocks;
}

export type IntervalName = "HOUR" | "DAY" | "WEEK" | "MONTH" | "BLOCK";

export function bucketOf(interval: Exclude<IntervalName, "BLOCK">, t: number): number {
  const d = new Date(t * 1000);
  switch (interval) {
    case "HOUR": return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()) / 1000;
    case "DAY": return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 1000;
    case "WEEK": return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)) / 1000;
    case "MONTH": return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
  }
}

/** Nearest-rank percentile from a JS histogram of the rates (bucket floors), as the API defines it. */
export function histPercentile(rates: bigint[], p: number): bigint | null {
  if (!rates.length) return null;
  const buckets = rates.map(feeRateBucket).sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p * buckets.length) / 100));
  return feeRateBucketFloor(buckets[rank - 1]);
}

export function lowerMedian(rates: bigint[]): bigint | null {
  if (!rates.length) return null;
  const s = [...rates].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return s[Math.ceil(s.length / 2) - 1];
}

export const fmtRate = (x: bigint | null, family: "bitcoin" | "evm") => {
  if (x === null) return null;
  if (family === "evm") return x.toString();
  const frac = (x % 1000n).toString().padStart(3, "0").replace(/0+$/, "");
  return frac ? `${x / 1000n}.${frac}` : `${x / 1000n}`;
};

/** Expected points of a series over the blocks in range (time-interval ranges [from, to), BLOCK heights inclusive). */
export function expectedSeries(blocks: Map<number, BlockRef>, family: "bitcoin" | "evm", metric: string, interval: IntervalName, from: number, to: number) {
  const inRange = [...blocks.values()].filter((b) => (interval === "BLOCK" ? b.height >= from && b.height <= to : b.time >= from && b.time < to)).sort((a, b) => a.height - b.height);
  const groups = new Map<number, BlockRef[]>();
  for (const b of inRange) {
    const k = interval === "BLOCK" ? b.height : bucketOf(interval, b.time);
    const l = groups.get(k);
    if (l) l.push(b); else groups.set(k, [b]);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([k, bs]) => {
    const sum = (f: (b: BlockRef) => bigint | number) => bs.reduce((s, b) => s + BigInt(f(b)), 0n);
    const rates = bs.flatMap((b) => b.rates);
    const point: { key: number; blocks: number; value: string | null; percentiles?: { p: number; value: string }[]; mix?: { key: string; value: string }[] } = { key: k, blocks: bs.length, value: null };
    switch (metric) {
      case "TX_COUNT": point.value = sum((b) => b.txs).toString(); break;
      case "BLOCK_COUNT": point.value = String(bs.length); break;
      case "FEES_TOTAL": point.value = sum((b) => b.fees).toString(); break;
      case "FEE_RATE_MEDIAN": point.value = interval === "BLOCK" ? fmtRate(lowerMedian(rates), family) : fmtRate(histPercentile(rates, 50), family); break;
      case "FEE_RATE_PERCENTILES":
        point.value = fmtRate(histPercentile(rates, 50), family);
        point.percentiles = rates.length ? [10, 25, 50, 75, 90].map((p) => ({ p, value: fmtRate(histPercentile(rates, p), family)! })) : [];
        break;
      case "BLOCK_SIZE": point.value = (sum((b) => b.size) / BigInt(bs.length)).toString(); break;
      case "BLOCK_WEIGHT": point.value = (sum((b) => b.weight!) / BigInt(bs.length)).toString(); break;
      case "GAS_USED": point.value = sum((b) => b.gas!).toString(); break;
      case "ACTIVE_ADDRESSES": point.value = String(new Set(bs.flatMap((b) => [...b.active])).size); break;
      case "NEW_ADDRESSES": point.value = sum((b) => b.fresh).toString(); break;
      case "TOKEN_TRANSFERS": point.value = sum((b) => b.transfers).toString(); break;
      case "SCRIPT_TYPES": {
        const m = new Map<number, number>();
        for (const b of bs) for (const [c, n] of b.scripts) m.set(c, (m.get(c) ?? 0) + n);
        point.mix = [...m.entries()].sort((a, b) => a[0] - b[0]).map(([c, n]) => ({ key: scriptTypeFromCode(c), value: String(n) }));
        point.value = String([...m.values()].reduce((s, n) => s + n, 0));
        break;
      }
    }
    return point;
  });
}
