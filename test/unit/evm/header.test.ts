import { describe, expect, it } from "vitest";
import { encodeHeader, HeaderFieldGapError, headerHash, OPTIONAL_HEADER_FIELDS } from "../../../lib/evm/header";
import { loadFixture, loadFixtures } from "./fixtures";

describe("headerHash", () => {
  for (const { record, block } of loadFixtures()) {
    it(`re-derives ${record.fork} block ${record.number}`, () => {
      expect(headerHash(block)).toBe(record.hash);
      expect(block.parentHash).toBe(record.parentHash);
    });
  }

  it("changes when gasUsed or timestamp changes", () => {
    const { block, record } = loadFixture(22431084);
    expect(headerHash({ ...block, gasUsed: "0x9d8f64" })).not.toBe(record.hash);
    expect(headerHash({ ...block, timestamp: `0x${(Number(block.timestamp) + 1).toString(16)}` })).not.toBe(record.hash);
  });

  it("refuses a header that skips a fork field", () => {
    const { block } = loadFixture(22431084);
    const gap = { ...block, blobGasUsed: undefined };
    expect(() => headerHash(gap)).toThrow(HeaderFieldGapError);
    expect(() => headerHash(gap)).toThrow(/excessBlobGas.*blobGasUsed/);
  });

  it("appends a later fork's field when it is listed", () => {
    const { block, record } = loadFixture(22431084);
    const future = { ...block, futureRoot: `0x${"11".repeat(32)}` };
    expect(headerHash(future)).toBe(record.hash); // unknown fields are ignored until listed
    const fields = [...OPTIONAL_HEADER_FIELDS, { name: "futureRoot", kind: "hash" as const }];
    const longer = encodeHeader(future, fields);
    expect(longer.length).toBe(encodeHeader(block).length + 33);
    expect(headerHash(future, fields)).not.toBe(record.hash);
    expect(headerHash(block, fields)).toBe(record.hash); // absent trailing field: not appended
  });
});
