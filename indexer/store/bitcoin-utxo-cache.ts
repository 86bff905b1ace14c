// Recent unspent outputs in memory, so most inputs resolve without three random index lookups (btc_tx by txid,
// btc_output, btc_address): what Bitcoin Core's dbcache does. It only ever holds committed, unspendable-free,
// unspent outputs (the writer applies a batch once its transaction has committed, and a rollback clears it), so a
// hit answers exactly what the database would; a miss falls back to the database.
//
// Fixed-size typed arrays, not a Map: ~76 bytes per entry outside the V8 heap, and pages are only touched as
// slots are used. Linear probing with backward-shift deletion; when every slot is live, the clock hand evicts.

/** A cached unspent output: what an input needs from the output it spends. */
export interface CachedOutput {
  txId: bigint;
  value: bigint;
  addrId: bigint;
  scriptSize: number;
}

const TXID = 32;

export class UtxoCache {
  hits = 0;
  misses = 0;
  private readonly txids: Uint8Array;
  private readonly vouts: Uint32Array;
  private readonly txIds: Float64Array;
  private readonly values: Float64Array;
  private readonly addrIds: Float64Array;
  private readonly scriptSizes: Uint32Array;
  /** Open-addressing table of slot + 1 (0 = empty), at most half full. */
  private readonly table: Int32Array;
  private readonly mask: number;
  /** Slots freed by spends, reused before fresh ones so memory is touched only as the live set grows. */
  private readonly freed: Int32Array;
  private freedTop = 0;
  private fresh = 0;
  private hand = 0;
  private live = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 2 ** 28) throw new RangeError(`UTXO cache capacity must be 1..2^28 entries, got ${capacity}`);
    this.txids = new Uint8Array(capacity * TXID);
    this.vouts = new Uint32Array(capacity);
    this.txIds = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.addrIds = new Float64Array(capacity);
    this.scriptSizes = new Uint32Array(capacity);
    this.freed = new Int32Array(capacity);
    let size = 2;
    while (size < capacity * 2) size *= 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.live;
  }

  get(txid: Uint8Array, vout: number): CachedOutput | undefined {
    const p = this.find(txid, vout);
    if (p < 0) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    const s = this.table[p] - 1;
    return { txId: BigInt(this.txIds[s]), value: BigInt(this.values[s]), addrId: BigInt(this.addrIds[s]), scriptSize: this.scriptSizes[s] };
  }

  /** Adds (or, for a repeated txid as BIP30 allows, replaces) an unspent output. Ids and values are < 2^53. */
  set(txid: Uint8Array, vout: number, out: CachedOutput): void {
    let p = this.find(txid, vout);
    let s: number;
    if (p >= 0) s = this.table[p] - 1;
    else {
      s = this.takeSlot();
      this.txids.set(txid.subarray(0, TXID), s * TXID);
      this.vouts[s] = vout;
      p = this.home(s);
      while (this.table[p] !== 0) p = (p + 1) & this.mask;
      this.table[p] = s + 1;
      this.live++;
    }
    this.txIds[s] = Number(out.txId);
    this.values[s] = Number(out.value);
    this.addrIds[s] = Number(out.addrId);
    this.scriptSizes[s] = out.scriptSize;
  }

  delete(txid: Uint8Array, vout: number): void {
    const p = this.find(txid, vout);
    if (p < 0) return;
    this.freed[this.freedTop++] = this.table[p] - 1;
    this.removeAt(p);
  }

  clear(): void {
    this.table.fill(0);
    this.freedTop = 0;
    this.fresh = 0;
    this.hand = 0;
    this.live = 0;
  }

  private takeSlot(): number {
    if (this.freedTop > 0) return this.freed[--this.freedTop];
    if (this.fresh < this.capacity) return this.fresh++;
    // Full: evict the slot under the clock hand (roughly the oldest).
    const s = this.hand;
    this.hand = (this.hand + 1) % this.capacity;
    let p = this.home(s);
    while (this.table[p] !== s + 1) p = (p + 1) & this.mask;
    this.removeAt(p);
    return s;
  }

  /** Table position of txid:vout, or -1. */
  private find(txid: Uint8Array, vout: number): number {
    let p = hashOutpoint(txid, 0, vout) & this.mask;
    for (;;) {
      const e = this.table[p];
      if (e === 0) return -1;
      if (this.vouts[e - 1] === vout && this.sameTxid(e - 1, txid)) return p;
      p = (p + 1) & this.mask;
    }
  }

  private sameTxid(s: number, txid: Uint8Array): boolean {
    const o = s * TXID;
    for (let i = 0; i < TXID; i++) if (this.txids[o + i] !== txid[i]) return false;
    return true;
  }

  private home(s: number): number {
    return hashOutpoint(this.txids, s * TXID, this.vouts[s]) & this.mask;
  }

  /** Knuth's deletion for linear probing: shift back later entries of the run that may not sit past the hole. */
  private removeAt(hole: number): void {
    this.live--;
    let j = hole;
    for (;;) {
      j = (j + 1) & this.mask;
      const e = this.table[j];
      if (e === 0) break;
      const k = this.home(e - 1);
      const stays = hole <= j ? k > hole && k <= j : k > hole || k <= j;
      if (!stays) {
        this.table[hole] = e;
        hole = j;
      }
    }
    this.table[hole] = 0;
  }
}

// txids are sha256d outputs, hence uniform; the per-process seed stops anyone grinding txids into one probe run.
const SEED = (Math.random() * 2 ** 32) | 0;

function hashOutpoint(b: Uint8Array, at: number, vout: number): number {
  const lo = b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
  const hi = b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16) | (b[at + 7] << 24);
  let h = Math.imul(lo ^ SEED, 0x85ebca6b) ^ Math.imul(hi + vout, 0xc2b2ae35);
  h ^= h >>> 16;
  return Math.imul(h, 0x27d4eb2f) ^ (h >>> 13);
}
