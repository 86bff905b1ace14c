// IdSet (indexer/store/day-address-cache.ts) answers as a Set of bigints over one chain's address ids, dense
// sequential runs and scattered ids alike, through many doublings, and refuses ids it cannot hold.
import { describe, expect, it } from "vitest";
import { makeId } from "../../../../indexer/engine/adapter";
import { IdSet } from "../../../../indexer/store/day-address-cache";

describe("IdSet", () => {
  it("agrees with a Set<bigint> on the ids of one chain", () => {
    const chain = 300;
    const set = new IdSet();
    const ref = new Set<bigint>();
    let x = 12345;
    const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 50_000; i++) {
      // Runs of fresh ids (as a batch allocates them), old ids again, and the largest that fit.
      const seq = i % 3 === 0 ? BigInt(i) : i % 3 === 1 ? BigInt(rnd() % 20_000) : (1n << 32n) - 2n - BigInt(rnd() % 1000);
      const id = makeId(chain, seq);
      set.add(id);
      ref.add(id);
    }
    expect(set.size).toBe(ref.size);
    for (const id of ref) expect(set.has(id)).toBe(true);
    for (let i = 0; i < 20_000; i++) {
      const id = makeId(chain, BigInt(1_000_000 + (rnd() % 4_000_000_000)));
      expect(set.has(id)).toBe(ref.has(id));
    }
    expect(set.has(makeId(chain, 0n))).toBe(true);
    expect(new IdSet().has(makeId(chain, 0n))).toBe(false);
  });

  it("refuses a sequence that does not fit 32 bits, and never claims to hold one", () => {
    const set = new IdSet();
    const big = makeId(3, (1n << 32n) - 1n);
    expect(IdSet.fits(makeId(3, (1n << 32n) - 2n))).toBe(true);
    expect(IdSet.fits(big)).toBe(false);
    expect(() => set.add(big)).toThrow(RangeError);
    expect(set.has(big)).toBe(false);
    expect(set.size).toBe(0);
  });
});
