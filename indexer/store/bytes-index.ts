// A map from byte strings (txids, scripts), optionally paired with a small integer (an outpoint's vout), to numbers,
// without making a string per lookup: a batch looks up every input's txid and every output's script, and the hex
// keys a Map needs (a string made, then hashed, per lookup) were the largest part of building a batch's rows
// (profiled). Open addressing over an Int32Array; a matching hash is confirmed byte for byte, so a collision costs
// a comparison, never a wrong answer.

export class BytesIndex {
  private slots = new Int32Array(1 << 10).fill(-1);
  private readonly hashes: number[] = [];
  private readonly keys: Uint8Array[] = [];
  private readonly nums: number[] = [];
  private readonly values: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The value of (key, n), or -1. */
  get(key: Uint8Array, n = 0): number {
    const e = this.find(key, n, hashBytes(key, n));
    return e < 0 ? -1 : this.values[e];
  }

  /** Sets (key, n) → value, replacing the value of an equal key (BIP30's repeated coinbase txids take over). */
  set(key: Uint8Array, value: number, n = 0): void {
    const h = hashBytes(key, n);
    const e = this.find(key, n, h);
    if (e >= 0) {
      this.values[e] = value;
      return;
    }
    if (2 * (this.keys.length + 1) > this.slots.length) this.grow();
    this.place(h, this.keys.length);
    this.hashes.push(h);
    this.keys.push(key);
    this.nums.push(n);
    this.values.push(value);
  }

  private find(key: Uint8Array, n: number, h: number): number {
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = this.slots[i];
      if (e < 0) return -1;
      if (this.hashes[e] === h && this.nums[e] === n && equalBytes(this.keys[e], key)) return e;
    }
  }

  private place(h: number, e: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] >= 0) i = (i + 1) & mask;
    this.slots[i] = e;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let e = 0; e < this.hashes.length; e++) this.place(this.hashes[e], e);
  }
}

/** FNV-1a over the bytes, then n mixed in; 31 bits. */
export function hashBytes(b: Uint8Array, n = 0): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  h = Math.imul(h ^ n, 0x9e3779b1);
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
