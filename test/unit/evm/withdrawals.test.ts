import { describe, expect, it } from "vitest";
import { keccak256, toRlp } from "viem";
import { encodeHeader } from "../../../lib/evm/header";
import { toHex } from "../../../lib/evm/fields";
import { EMPTY_TRIE_ROOT } from "../../../lib/evm/trie";
import { EMPTY_UNCLES_HASH, unclesHash, withdrawalsRoot } from "../../../lib/evm/withdrawals";
import { loadFixture, loadFixtures } from "./fixtures";

describe("withdrawalsRoot", () => {
  for (const { record, block } of loadFixtures().filter((f) => f.record.withdrawalsRoot)) {
    it(`re-derives withdrawalsRoot of block ${record.number} (${block.withdrawals!.length} withdrawals)`, () => {
      expect(withdrawalsRoot(block.withdrawals!)).toBe(record.withdrawalsRoot);
    });
  }

  it("is the empty trie root for the first Shanghai block", () => {
    const { block } = loadFixture(17034870);
    expect(block.withdrawals).toEqual([]);
    expect(withdrawalsRoot([])).toBe(EMPTY_TRIE_ROOT);
  });

  it("changes when an amount changes", () => {
    const { block, record } = loadFixture(19426586);
    const w = block.withdrawals!.map((x, i) => (i === 0 ? { ...x, amount: "0x1" as const } : x));
    expect(withdrawalsRoot(w)).not.toBe(record.withdrawalsRoot);
  });
});

describe("unclesHash", () => {
  it("is keccak(rlp([])) without uncles, as every post-merge block has", () => {
    expect(unclesHash([])).toBe(EMPTY_UNCLES_HASH);
    expect(keccak256(toRlp([]))).toBe(EMPTY_UNCLES_HASH);
    expect(loadFixture(22431084).block.sha3Uncles).toBe(EMPTY_UNCLES_HASH);
  });

  it("is keccak of the rlp list of uncle headers", () => {
    const a = loadFixture(2000004).block;
    const b = loadFixture(2924874).block;
    const expected = keccak256(`0xf9${(encodeHeader(a).length + encodeHeader(b).length).toString(16).padStart(4, "0")}${toHex(encodeHeader(a)).slice(2)}${toHex(encodeHeader(b)).slice(2)}`);
    expect(unclesHash([a, b])).toBe(expected);
  });
});
