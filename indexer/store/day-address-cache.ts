// Which addresses already have their analytics_day_address row, for the chain's last few UTC days. With it a batch
// writes the rows it lacks by COPY and skips the rest, where INSERT … ON CONFLICT DO NOTHING cost ~5× more per row
// (32 s of PostgreSQL's time at 2M txs, nearly every row new). A day not held is read from the table in the write's
// transaction; the batch's own rows join the sets only once it has committed (the adapter's commitCache).
import { seqOf, type Tx } from "../engine/adapter";

/** The set keeps an address id's seq + 1 (0 marks an empty slot) in 32 bits. */
const MAX_KEY = 2 ** 32 - 1;

/** A set of one chain's address ids with seq < 2^32 − 1 (4 bytes a slot, at most 70 % full: ~6 bytes an id; a
 *  mainnet day's ~1 M active addresses take 6 MB). Open addressing with linear probing over a Uint32Array. */
export class IdSet {
  private slots = new Uint32Array(1 << 10);
  size = 0;

  static fits(id: bigint): boolean {
    return seqOf(id) + 1 <= MAX_KEY;
  }

  /** False for an id that does not fit (add refuses those, so the set never holds one). */
  has(id: bigint): boolean {
    const k = seqOf(id) + 1;
    if (k > MAX_KEY) return false;
    const mask = this.slots.length - 1;
    for (let i = spread(k) & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i];
      if (s === k) return true;
      if (s === 0) return false;
    }
  }

  add(id: bigint): void {
    const k = seqOf(id) + 1;
    if (k > MAX_KEY) throw new RangeError(`address id sequence ${k - 1} does not fit a 32-bit set`);
    if (10 * (this.size + 1) > 7 * this.slots.length) this.grow();
    if (this.put(k)) this.size++;
  }

  private put(k: number): boolean {
    const mask = this.slots.length - 1;
    for (let i = spread(k) & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i];
      if (s === k) return false;
      if (s === 0) {
        this.slots[i] = k;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (const k of old) if (k !== 0) this.put(k);
  }
}

/** Ids are sequential: mix them so that a day's scattered ids do not share runs of slots. */
function spread(k: number): number {
  const h = Math.imul(k, 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}

export class DayAddressCache {
  private readonly days = new Map<number, IdSet>();

  /** A batch's blocks span a day or two (block times may run ~2 hours behind their parent's): two days cover
   *  nearly every write, and another is read back when needed. */
  constructor(readonly keepDays = 2) {}

  /** The day's set, read from the table (in the write's transaction, before the batch's rows) when not held. What
   *  is read is committed, so it stays valid whether or not this batch commits. Undefined when an id of the day
   *  does not fit a set: then that day's rows go through ON CONFLICT. */
  async day(sql: Tx, chainId: number, day: number): Promise<IdSet | undefined> {
    let set = this.days.get(day);
    if (set) return set;
    set = new IdSet();
    const rows = await sql`select address_id from analytics_day_address where chain_id = ${chainId} and day = ${day}`.values();
    try {
      for (const [id] of rows) set.add(BigInt(id));
    } catch (e) {
      if (e instanceof RangeError) return undefined;
      throw e;
    }
    this.days.set(day, set);
    return set;
  }

  /** Records rows that have committed, then lets the oldest days go. */
  commit(rows: { day: number; ids: bigint[] }[]): void {
    for (const { day, ids } of rows) {
      const set = this.days.get(day);
      if (!set) continue;
      if (ids.every(IdSet.fits)) for (const id of ids) set.add(id);
      else this.days.delete(day); // the set could not say it holds them: read the day back next time
    }
    if (this.days.size <= this.keepDays) return;
    const keep = [...this.days.keys()].sort((a, b) => b - a).slice(0, this.keepDays);
    for (const d of this.days.keys()) if (!keep.includes(d)) this.days.delete(d);
  }

  clear(): void {
    this.days.clear();
  }
}
