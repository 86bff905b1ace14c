// The week and month of a day (as PostgreSQL's date_trunc in UTC has them), and the bitmap of address sequences.
import { describe, expect, it } from "vitest";
import { periodsOfDay, SeqBitmap } from "../../../../indexer/store/period-address-cache";

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
const periods = (d: string) => periodsOfDay(day(d)).map((p) => `${p.unit} ${iso(p.startDay)}..${iso(p.endDay)}`);

describe("periodsOfDay", () => {
  it("gives the Monday-based week and the calendar month, end exclusive", () => {
    expect(periods("2009-01-11")).toEqual(["week 2009-01-05..2009-01-12", "month 2009-01-01..2009-02-01"]); // a Sunday
    expect(periods("2009-01-12")).toEqual(["week 2009-01-12..2009-01-19", "month 2009-01-01..2009-02-01"]); // a Monday
    expect(periods("2024-02-29")).toEqual(["week 2024-02-26..2024-03-04", "month 2024-02-01..2024-03-01"]);
    expect(periods("2024-12-31")).toEqual(["week 2024-12-30..2025-01-06", "month 2024-12-01..2025-01-01"]);
    expect(periods("1970-01-01")).toEqual(["week 1969-12-29..1970-01-05", "month 1970-01-01..1970-02-01"]); // day 0, a Thursday
  });
});

describe("SeqBitmap", () => {
  it("holds each sequence once and grows past its first size", () => {
    const b = new SeqBitmap();
    const seqs = [0, 7, 8, 8191, 8192, 1_000_003, 7, 1_000_003, (1 << 28) - 1];
    for (const s of seqs) b.add(s);
    expect(b.size).toBe(new Set(seqs).size);
    for (const s of seqs) expect(b.has(s)).toBe(true);
    for (const s of [1, 6, 9, 8190, 1_000_002, 1 << 28]) expect(b.has(s)).toBe(false);
  });
});
