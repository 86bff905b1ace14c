// The series' hot helpers against their plain definitions: the int[] parser against pg's own, and one-pass
// percentiles against nearest rank over the expanded list.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { histogramPercentiles, PERCENTILES } from "../../../graphql/analytics/histogram";
import { parseInt4Array } from "../../../graphql/sql";
import { feeRateBucketFloor } from "../../../indexer/store/analytics";

const pgParse = (pg.types.getTypeParser as (oid: number, format: "text") => (s: string) => unknown)(1007, "text");

describe("parseInt4Array", () => {
  it("reads what pg's parser reads, every form", () => {
    for (const s of ["{}", "{0}", "{1,2,3}", "{-5,0,2147483647,-2147483648}", "{1,NULL,3}", "{NULL}", "[0:1]={7,8}", "{{1,2},{3,4}}"]) {
      expect(parseInt4Array(s), s).toEqual(pgParse(s));
    }
  });
});

describe("histogramPercentiles", () => {
  const nearestRank = (buckets: number[], counts: number[], p: number) => {
    const all = buckets.flatMap((b, i) => Array(counts[i]).fill(b)).sort((x, y) => x - y);
    return feeRateBucketFloor(all[Math.max(1, Math.ceil((p * all.length) / 100)) - 1]);
  };

  it("is nearest rank over the expanded histogram, sorted or not", () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let t = 0; t < 200; t++) {
      const size = 1 + rnd(40);
      const buckets = [...new Set(Array.from({ length: size }, () => rnd(300)))];
      const counts = buckets.map(() => 1 + rnd(t % 2 ? 3 : 1000));
      const want = PERCENTILES.map((p) => nearestRank(buckets, counts, p));
      expect(histogramPercentiles(buckets, counts, PERCENTILES)).toEqual(want);
      const sorted = buckets.map((b, i) => [b, counts[i]]).sort((x, y) => x[0] - y[0]);
      expect(histogramPercentiles(sorted.map((x) => x[0]), sorted.map((x) => x[1]), PERCENTILES)).toEqual(want);
    }
  });

  it("answers nulls for an empty histogram", () => {
    expect(histogramPercentiles([], [], PERCENTILES)).toEqual(PERCENTILES.map(() => null));
  });
});
