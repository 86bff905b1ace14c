// The addresses active in a chain's latest weeks and months, so each batch moves those open periods' counts in
// analytics_period_active by the addresses new to them: counted at request time instead, the open week of the bench
// chain (362k day rows) cost PostgreSQL 220–310 ms a request. A period is read from the table when a batch first
// needs it; the batch's ids join once its transaction has committed (the adapter's commitCache), like the day cache.
import { bucketStart, nextBucket } from "../../lib/time-buckets";
import { ID_SEQ_MASK, type Tx } from "../engine/adapter";

/** Bitmaps cost a bit per address of the chain (3.4 M addresses: 430 KB each). Past 2^28 addresses (32 MB a bitmap,
 *  fewer than Bitcoin's or Ethereum's mainnet has) open periods are left to the request-time count. */
export const MAX_PERIOD_SEQ = 2 ** 28;

/** The units kept, named as date_trunc's (and the series resolver's) units. */
export const PERIOD_UNITS = ["week", "month"] as const;

/** A UTC week (from Monday) or month, in days since 1970-01-01. */
export interface Period {
  unit: (typeof PERIOD_UNITS)[number];
  startDay: number;
  endDay: number;
}

/** The week and the month of a day (the series' WEEK and MONTH buckets). */
export function periodsOfDay(day: number): [Period, Period] {
  const t = day * 86_400;
  const days = (interval: "WEEK" | "MONTH") => ({ startDay: bucketStart(interval, t) / 86_400, endDay: nextBucket(interval, t) / 86_400 });
  return [{ unit: "week", ...days("WEEK") }, { unit: "month", ...days("MONTH") }];
}

export const periodKey = (p: Period) => `${p.unit} ${p.startDay}`;

/** A set of address sequence numbers, a bit each. */
export class SeqBitmap {
  private bits = new Uint8Array(1024);
  size = 0;

  has(seq: number): boolean {
    return seq >>> 3 < this.bits.length && (this.bits[seq >>> 3] & (1 << (seq & 7))) !== 0;
  }

  add(seq: number): void {
    const i = seq >>> 3;
    if (i >= this.bits.length) {
      let n = this.bits.length;
      while (n <= i) n *= 2;
      const grown = new Uint8Array(n);
      grown.set(this.bits);
      this.bits = grown;
    }
    const m = 1 << (seq & 7);
    if ((this.bits[i] & m) === 0) {
      this.bits[i] |= m;
      this.size++;
    }
  }
}

export class PeriodAddressCache {
  private readonly held = new Map<string, SeqBitmap>();

  /** Keeps the latest `keepPerUnit` periods of each unit (a batch's blocks reach at most one period back). */
  constructor(readonly keepPerUnit = 2) {}

  /** The period's addresses from the rows of blocks below `belowHeight` (read in the write's transaction, before its
   *  own rows count: what is read is committed, so it stays valid whether or not this batch commits). */
  async period(sql: Tx, chainId: number, p: Period, belowHeight: number): Promise<SeqBitmap> {
    const key = periodKey(p);
    let set = this.held.get(key);
    if (set) return set;
    set = new SeqBitmap();
    // In slices: a month's rows at once would be a few hundred MB of row objects.
    const cursor = sql`
      select (address_id & ${ID_SEQ_MASK.toString()}::bigint)::int as seq from analytics_day_address
      where chain_id = ${chainId} and day >= ${p.startDay} and day < ${p.endDay} and first_height < ${belowHeight}`.values().cursor(50_000);
    for await (const rows of cursor) for (const [seq] of rows) set.add(seq as number);
    this.held.set(key, set);
    return set;
  }

  /** Records ids whose rows have committed, then lets the oldest periods go. */
  commit(added: { key: string; seqs: number[] }[]): void {
    for (const { key, seqs } of added) {
      const set = this.held.get(key);
      if (set) for (const s of seqs) set.add(s);
    }
    for (const unit of PERIOD_UNITS) {
      const keys = [...this.held.keys()].filter((k) => k.startsWith(`${unit} `));
      const old = keys.sort((a, b) => Number(b.split(" ")[1]) - Number(a.split(" ")[1])).slice(this.keepPerUnit);
      for (const k of old) this.held.delete(k);
    }
  }

  clear(): void {
    this.held.clear();
  }
}
