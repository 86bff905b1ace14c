// Fee-rate histograms: per-block sparse (bucket, count) pairs merge by summing; percentiles of a merged histogram
// are the floor of the bucket holding the nearest rank (within 12.5% below the exact value).
import { feeRateBucketFloor } from "../../indexer/store/analytics";

export const PERCENTILES = [10, 25, 50, 75, 90] as const;

export type Histogram = Map<number, bigint>;

export function addToHistogram(h: Histogram, buckets: number[], counts: number[] | bigint[]): Histogram {
  buckets.forEach((b, i) => h.set(b, (h.get(b) ?? 0n) + BigInt(counts[i])));
  return h;
}

/** Nearest-rank percentiles (each p in 0..100) of a merged histogram: the floor of the bucket holding rank ⌈p·N/100⌉. */
export function histogramPercentiles(h: Histogram, ps: readonly number[]): (bigint | null)[] {
  let total = 0n;
  for (const n of h.values()) total += n;
  if (total === 0n) return ps.map(() => null);
  const buckets = [...h.keys()].sort((x, y) => x - y);
  return ps.map((p) => {
    let rank = (BigInt(p) * total + 99n) / 100n;
    if (rank < 1n) rank = 1n;
    let cum = 0n;
    for (const b of buckets) {
      cum += h.get(b)!;
      if (cum >= rank) return feeRateBucketFloor(b);
    }
    return null;
  });
}

/** A fee rate as the API shows it: Bitcoin msat/vB → sat/vB with up to 3 decimals; EVM wei/gas as is. */
export function formatFeeRate(x: bigint, family: "bitcoin" | "evm"): string {
  if (family === "evm") return x.toString();
  const whole = x / 1000n;
  const frac = (x % 1000n).toString().padStart(3, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole.toString();
}
