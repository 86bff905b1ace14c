// Fetch ranges hold about one batch of transactions, so fetch-ahead memory follows CHAINPROOF_BATCH_TXS.
import { describe, expect, it } from "vitest";
import { RangeSizer } from "../../../indexer/engine/pipeline";
import type { SourceBlock } from "../../../indexer/engine/adapter";

const blocks = (...txCounts: number[]) => txCounts.map((txCount, i) => ({ header: { height: i, hash: new Uint8Array(32), parentHash: new Uint8Array(32), time: 0, txCount, size: 0 } }) as SourceBlock);

describe("RangeSizer", () => {
  it("starts small, then sizes ranges by the fullest block of the last range", () => {
    const r = new RangeSizer(500, 20_000);
    expect(r.next()).toBe(8);
    r.saw(blocks(1, 1, 2));
    expect(r.next()).toBe(500); // early-Bitcoin blocks: the block limit applies
    r.saw(blocks(1_000, 2_500, 1_800));
    expect(r.next()).toBe(8); // 20,000 / 2,500
    r.saw(blocks(40_000));
    expect(r.next()).toBe(1); // never zero
  });

  it("uses the block limit when transactions are unbounded", () => {
    const r = new RangeSizer(64, Infinity);
    r.saw(blocks(3_000));
    expect(r.next()).toBe(64);
  });
});
