// Fee-rate histograms: sparse (bucket, count) pairs, buckets ascending as every writer stores them and as series
// merge them. Percentiles of a histogram are the floor of the bucket holding the nearest rank (within 12.5% below
// the exact value).
import { feeRateBucketFloor } from "../../indexer/store/analytics";

export const PERCENTILES = [10, 25, 50, 75, 90] as const;

/**
 * Nearest-rank percentiles (ascending, each in 0..100) of a histogram: the floor of the bucket holding rank ⌈p·N/100⌉;
 * nulls when it is empty. Counts are numbers (a count of transactions stays far below 2^53), and one pass serves
 * every percentile: a BLOCK series computes this for each of up to 1,000 blocks.
 */
export function histogramPercentiles(buckets: readonly number[], counts: readonly number[], ps: readonly number[]): (bigint | null)[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    total += counts[i];
    if (i > 0 && buckets[i] <= buckets[i - 1]) return histogramPercentiles(...ascending(buckets, counts), ps);
  }
  if (total === 0) return ps.map(() => null);
  let i = 0;
  let cum = counts[0];
  return ps.map((p) => {
    const rank = Math.max(1, Math.ceil((p * total) / 100));
    while (cum < rank) cum += counts[++i];
    return feeRateBucketFloor(buckets[i]);
  });
}

/** The pairs sorted by bucket, equal buckets merged. */
function ascending(buckets: readonly number[], counts: readonly number[]): [number[], number[]] {
  const m = new Map<number, number>();
  buckets.forEach((b, i) => m.set(b, (m.get(b) ?? 0) + counts[i]));
  const bs = [...m.keys()].sort((x, y) => x - y);
  return [bs, bs.map((b) => m.get(b)!)];
}

/** A fee rate as the API shows it: Bitcoin msat/vB → sat/vB with up to 3 decimals; EVM wei/gas as is. */
export function formatFeeRate(x: bigint, family: "bitcoin" | "evm"): string {
  if (family === "evm") return x.toString();
  const whole = x / 1000n;
  const frac = (x % 1000n).toString().padStart(3, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole.toString();
}
