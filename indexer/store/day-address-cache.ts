// Which addresses already have their analytics_day_address row, for the chain's last few UTC days. With it a batch
// writes the rows it lacks by COPY and skips the rest, where INSERT … ON CONFLICT DO NOTHING cost ~5× more per row
// (32 s of PostgreSQL's time at 2M txs, nearly every row new). A day not held is read from the table in the write's
// transaction; the batch's own rows join the sets only once it has committed (the adapter's commitCache).
import type { Tx } from "../engine/adapter";

/** Address ids within one chain are chainId·2^40 + seq: the set keeps seq + 1 (0 marks an empty slot). */
const SEQ_MASK = (1n << 40n) - 1n;

/** A set of one chain's address ids: open addressing over a Float64Array (seq < 2^40 is exact in a double). */
export class IdSet {
  private slots = new Float64Array(1 << 10);
  size = 0;

  has(id: bigint): boolean {
    const k = Number(id & SEQ_MASK) + 1;
    const mask = this.slots.length - 1;
    for (let i = spread(k) & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i];
      if (s === k) return true;
      if (s === 0) return false;
    }
  }

  add(id: bigint): void {
    if (2 * (this.size + 1) > this.slots.length) this.grow();
    if (this.put(Number(id & SEQ_MASK) + 1)) this.size++;
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
    this.slots = new Float64Array(old.length * 2);
    for (const k of old) if (k !== 0) this.put(k);
  }
}

/** Ids are sequential: mix them so that a day's scattered ids do not share runs of slots. */
function spread(k: number): number {
  const h = Math.imul((k | 0) ^ ((k / 4294967296) | 0), 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}

export class DayAddressCache {
  private readonly days = new Map<number, IdSet>();

  /** ~1 M active addresses a day on mainnet is ~32 MB a day held; a batch's blocks span a day or two (block times
   *  may run ~2 hours behind their parent's), so a few days cover every write. */
  constructor(readonly keepDays = 3) {}

  /** The day's set, read from the table (in the write's transaction, before the batch's rows) when not held. What
   *  is read is committed, so it stays valid whether or not this batch commits. */
  async day(sql: Tx, chainId: number, day: number): Promise<IdSet> {
    let set = this.days.get(day);
    if (set) return set;
    set = new IdSet();
    const rows = await sql`select address_id from analytics_day_address where chain_id = ${chainId} and day = ${day}`.values();
    for (const [id] of rows) set.add(BigInt(id));
    this.days.set(day, set);
    return set;
  }

  /** Records rows that have committed, then lets the oldest days go. */
  commit(rows: { day: number; ids: bigint[] }[]): void {
    for (const { day, ids } of rows) {
      const set = this.days.get(day);
      if (set) for (const id of ids) set.add(id);
    }
    if (this.days.size <= this.keepDays) return;
    const keep = [...this.days.keys()].sort((a, b) => b - a).slice(0, this.keepDays);
    for (const d of this.days.keys()) if (!keep.includes(d)) this.days.delete(d);
  }

  clear(): void {
    this.days.clear();
  }
}
