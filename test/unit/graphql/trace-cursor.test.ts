// Trace cursors: v2 bytes round-trip every item exactly (names rebuilt from the txid or stored as given), are a
// fraction of v1's size, and v1 (JSON) cursors from earlier answers are still read. Bad input is refused.
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, type FrontierItem } from "../../../graphql/trace/types";

const txid = "915ff2f837b7e4e284d95294cb6d9b38c40e7fcc1df0aacf0f8857260b211820";
const internal = Buffer.from(txid, "hex").reverse().toString("hex");
const items: FrontierItem[] = [
  // A Bitcoin tx: id and label follow from the reference.
  { n: txid, l: `${txid.slice(0, 8)}…${txid.slice(-6)}`, r: ["t", "1099511802596", internal], d: "B", o: [0] },
  // An address: label = name, no txid.
  { n: "bcrt1qv8z54fsjankeck5cy8tfprdvq2dsd0fjv7q637", l: "bcrt1qv8z54fsjankeck5cy8tfprdvq2dsd0fjv7q637", r: ["a", "42", ""], d: "F", o: [76, 1999] },
  // An EVM-style tx (id is 0x + ref) with a shortened label, and names that follow no rule.
  { n: `0x${internal}`, l: `0x${internal}`.slice(0, 8) + "…" + internal.slice(-6), r: ["t", "7", internal], d: "F", o: [] },
  { n: "whatever ✓", l: "label", r: ["t", "007", "abc"], d: "B", o: [2 ** 31 - 1, 0] },
  { n: "x", l: "y", r: ["a", "18446744073709551615", "00"], d: "B", o: [5] },
];

describe("trace cursors", () => {
  it("round-trip every item exactly", () => {
    expect(decodeCursor(encodeCursor(3, items)!, 3)).toEqual(items);
    expect(encodeCursor(3, [])).toBeNull();
  });

  it("are several times smaller than v1 for a tx item", () => {
    const v1 = Buffer.from(JSON.stringify({ v: 1, c: 1, f: [items[0]] })).toString("base64url");
    expect(encodeCursor(1, [items[0]])!.length * 4).toBeLessThan(v1.length);
  });

  it("still read v1 cursors", () => {
    const v1 = Buffer.from(JSON.stringify({ v: 1, c: 1, f: items })).toString("base64url");
    expect(decodeCursor(v1, 1)).toEqual(items);
  });

  it("refuse another chain's cursor, truncated or trailing bytes, and items that fail the checks", () => {
    const c = encodeCursor(1, items)!;
    const bytes = Buffer.from(c, "base64url");
    expect(() => decodeCursor(c, 2)).toThrow(/not a trace cursor/);
    expect(() => decodeCursor(bytes.subarray(0, bytes.length - 1).toString("base64url"), 1)).toThrow(/not a trace cursor/);
    expect(() => decodeCursor(Buffer.concat([bytes, Buffer.of(0)]).toString("base64url"), 1)).toThrow(/not a trace cursor/);
    expect(() => decodeCursor(encodeCursor(1, [{ ...items[0], r: ["t", "1".repeat(21), internal] }])!, 1)).toThrow(/not a trace cursor/);
    expect(() => decodeCursor(encodeCursor(1, [{ ...items[0], r: ["t", "1", "ab".repeat(33)] }])!, 1)).toThrow(/not a trace cursor/);
    expect(() => decodeCursor("", 1)).toThrow(/not a trace cursor/);
  });
});
