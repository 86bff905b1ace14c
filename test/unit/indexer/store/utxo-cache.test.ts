// The UTXO cache against a Map doing the same operations: it never answers wrong, and while the live set fits it
// answers everything.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { UtxoCache, type CachedOutput } from "../../../../indexer/store/bitcoin-utxo-cache";
import { Prng } from "../../../../bench/gen/prng";

const key = (txid: Uint8Array, vout: number) => `${Buffer.from(txid).toString("hex")}:${vout}`;

function run(capacity: number, ops: number, seed: number, mayEvict: boolean) {
  const rng = new Prng(seed);
  const cache = new UtxoCache(capacity);
  const ref = new Map<string, { txid: Uint8Array; vout: number; out: CachedOutput }>();
  const keys: string[] = [];
  let served = 0;
  for (let n = 0; n < ops; n++) {
    const r = rng.float();
    if (r < 0.5 || keys.length === 0) {
      // A new output; sometimes of a txid seen before (more vouts, or BIP30's repeat replacing an entry).
      const old = keys.length && rng.chance(0.2) ? ref.get(keys[Math.floor(rng.float() * keys.length)]) : undefined;
      const txid = old ? old.txid : Uint8Array.from(randomBytes(32));
      const vout = old && rng.chance(0.5) ? old.vout : Math.floor(rng.float() * 4);
      const out = { txId: BigInt(n + 1) << 20n, value: BigInt(Math.floor(rng.float() * 2.1e15)), addrId: BigInt(n), scriptSize: n % 10_000 };
      cache.set(txid, vout, out);
      const k = key(txid, vout);
      if (!ref.has(k)) keys.push(k);
      ref.set(k, { txid, vout, out });
    } else if (r < 0.8) {
      const i = Math.floor(rng.float() * keys.length);
      const e = ref.get(keys[i])!;
      ref.delete(keys[i]);
      keys[i] = keys[keys.length - 1];
      keys.pop();
      cache.delete(e.txid, e.vout);
      expect(cache.get(e.txid, e.vout)).toBeUndefined();
    } else {
      const e = ref.get(keys[Math.floor(rng.float() * keys.length)])!;
      const got = cache.get(e.txid, e.vout);
      if (got) {
        expect(got).toEqual(e.out);
        served++;
      } else expect(mayEvict).toBe(true);
      expect(cache.get(Uint8Array.from(randomBytes(32)), e.vout)).toBeUndefined();
    }
    expect(cache.size).toBeLessThanOrEqual(capacity);
  }
  return { cache, ref, served };
}

describe("UtxoCache", () => {
  it("answers exactly what was set and not deleted, while the live set fits", () => {
    const { cache, ref, served } = run(16_384, 20_000, 1, false);
    expect(served).toBeGreaterThan(1000);
    expect(cache.size).toBe(ref.size);
    for (const e of ref.values()) expect(cache.get(e.txid, e.vout)).toEqual(e.out);
  });

  it("when full, evicts but never answers wrong", () => {
    const { cache, ref } = run(64, 20_000, 2, true);
    expect(cache.size).toBeLessThanOrEqual(64);
    let hits = 0;
    for (const e of ref.values()) {
      const got = cache.get(e.txid, e.vout);
      if (got) (hits++, expect(got).toEqual(e.out));
    }
    expect(hits).toBe(cache.size);
  });

  it("clear forgets everything and the cache is usable again", () => {
    const { cache, ref } = run(4096, 2_000, 3, false);
    cache.clear();
    expect(cache.size).toBe(0);
    for (const e of ref.values()) expect(cache.get(e.txid, e.vout)).toBeUndefined();
    const txid = Uint8Array.from(randomBytes(32));
    cache.set(txid, 1, { txId: 1n, value: 2n, addrId: 3n, scriptSize: 22 });
    expect(cache.get(txid, 1)).toEqual({ txId: 1n, value: 2n, addrId: 3n, scriptSize: 22 });
  });
});
