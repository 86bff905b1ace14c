import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BytesIndex, hashBytes } from "../../../../indexer/store/bytes-index";

describe("BytesIndex", () => {
  it("agrees with a Map keyed by hex over 50,000 random keys, growing as it goes", () => {
    const index = new BytesIndex();
    const map = new Map<string, number>();
    const keys = Array.from({ length: 50_000 }, () => randomBytes(1 + Math.floor(Math.random() * 40)));
    keys.forEach((k, i) => {
      index.set(k, i);
      map.set(k.toString("hex"), i);
    });
    expect(index.size).toBe(map.size);
    for (const k of keys) expect(index.get(k)).toBe(map.get(k.toString("hex")));
    for (let i = 0; i < 1000; i++) expect(index.get(randomBytes(32))).toBe(-1);
  });

  it("tells keys apart by n (an outpoint's vout), by length and by every byte", () => {
    const index = new BytesIndex();
    const txid = randomBytes(32);
    index.set(txid, 1, 0);
    index.set(txid, 2, 1);
    expect([index.get(txid, 0), index.get(txid, 1), index.get(txid, 2)]).toEqual([1, 2, -1]);
    expect(index.get(txid.subarray(0, 31))).toBe(-1);
    const other = Buffer.from(txid);
    other[31] ^= 1;
    expect(index.get(other)).toBe(-1);
    expect(index.get(new Uint8Array(0))).toBe(-1);
    index.set(new Uint8Array(0), 9);
    expect(index.get(Buffer.alloc(0))).toBe(9);
  });

  it("an equal key set again takes over (BIP30's repeated coinbase txids), whether Buffer or Uint8Array", () => {
    const index = new BytesIndex();
    const txid = randomBytes(32);
    index.set(txid, 5);
    index.set(new Uint8Array(txid), 7);
    expect(index.size).toBe(1);
    expect(index.get(txid)).toBe(7);
  });

  it("keys whose hashes collide stay apart", () => {
    // Two different random 8-byte keys with the same 31-bit hash (400,000 keys collide many times, by the birthday bound).
    const seen = new Map<number, Uint8Array>();
    let pair: [Uint8Array, Uint8Array] | undefined;
    for (let i = 0; !pair && i < 400_000; i++) {
      const k = randomBytes(8);
      const h = hashBytes(k);
      const prev = seen.get(h);
      if (prev) pair = [prev, k];
      else seen.set(h, k);
    }
    expect(pair).toBeDefined();
    const [a, b] = pair!;
    const index = new BytesIndex();
    index.set(a, 1);
    expect(index.get(b)).toBe(-1);
    index.set(b, 2);
    expect([index.get(a), index.get(b)]).toEqual([1, 2]);
  });
});
