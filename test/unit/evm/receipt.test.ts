import { describe, expect, it } from "vitest";
import { logsBloom, orBlooms, bloomMayContain } from "../../../lib/evm/bloom";
import { data, toHex } from "../../../lib/evm/fields";
import { encodeReceipt, receiptsRoot } from "../../../lib/evm/receipt";
import { orderedTrieProof, verifyOrderedTrieProof } from "../../../lib/evm/trie";
import { loadFixture, withReceipts } from "./fixtures";

describe("receiptsRoot", () => {
  for (const { record, block, receipts } of withReceipts()) {
    it(`re-derives receiptsRoot of ${record.fork} block ${record.number} (${receipts!.length} receipts)`, () => {
      expect(receiptsRoot(receipts!)).toBe(record.receiptsRoot);
      expect(block.receiptsRoot).toBe(record.receiptsRoot);
    });

    it(`recomputes every receipt bloom and the header bloom of block ${record.number}`, () => {
      const blooms = receipts!.map((r) => logsBloom(r.logs));
      receipts!.forEach((r, i) => expect(toHex(blooms[i]), `receipt ${i}`).toBe(r.logsBloom));
      expect(toHex(orBlooms(blooms))).toBe(block.logsBloom);
    });
  }

  it("changes when a status is flipped or log data changes", () => {
    const { receipts, record } = loadFixture(22431084);
    const flipped = receipts!.map((r, i) => (i === 3 ? { ...r, status: r.status === "0x1" ? "0x0" : "0x1" } : r)) as typeof receipts;
    expect(receiptsRoot(flipped!)).not.toBe(record.receiptsRoot);
    const i = receipts!.findIndex((r) => r.logs.some((l) => l.data.length > 2));
    const changed = structuredClone(receipts!);
    const log = changed[i].logs.find((l) => l.data.length > 2)!;
    log.data = `0x${log.data[2] === "0" ? "1" : "0"}${log.data.slice(3)}`;
    expect(receiptsRoot(changed)).not.toBe(record.receiptsRoot);
    expect(toHex(logsBloom(changed[i].logs))).toBe(receipts![i].logsBloom); // data is not in the bloom
  });

  it("prefixes typed receipts with their type byte", () => {
    const { receipts } = loadFixture(22431084);
    const blob = receipts!.find((r) => r.type === "0x3")!;
    expect(encodeReceipt(blob)[0]).toBe(3);
    const legacy = receipts!.find((r) => r.type === "0x0")!;
    expect(encodeReceipt(legacy)[0]).toBeGreaterThanOrEqual(0xc0);
  });

  it("proves a receipt against receiptsRoot", () => {
    const { receipts, record } = loadFixture(17034870);
    const values = receipts!.map(encodeReceipt);
    expect(toHex(verifyOrderedTrieProof(record.receiptsRoot, 150, orderedTrieProof(values, 150))!)).toBe(toHex(values[150]));
  });

  it("bloom answers membership for a log's address", () => {
    const { receipts } = loadFixture(7000000);
    const r = receipts!.find((x) => x.logs.length)!;
    const bloom = data(r.logsBloom, "bloom", 256);
    expect(bloomMayContain(bloom, data(r.logs[0].address))).toBe(true);
  });
});
