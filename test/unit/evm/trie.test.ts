import { describe, expect, it } from "vitest";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { toHex } from "../../../lib/evm/fields";
import { decodeRlp, encodeRlp } from "../../../lib/evm/rlp";
import { EMPTY_TRIE_ROOT, indexKey, orderedTrieProof, orderedTrieRoot, TrieProofError, verifyOrderedTrieProof, verifyTrieProof } from "../../../lib/evm/trie";
import { encodeTransaction } from "../../../lib/evm/tx";
import { loadFixture, loadFixtures } from "./fixtures";

describe("orderedTrieRoot", () => {
  it("is keccak(rlp('')) for no entries", () => {
    expect(orderedTrieRoot([])).toBe(EMPTY_TRIE_ROOT);
    expect(toHex(keccak_256(encodeRlp(new Uint8Array(0))))).toBe(EMPTY_TRIE_ROOT);
  });

  it("keys are rlp(index)", () => {
    expect(toHex(indexKey(0))).toBe("0x80");
    expect(toHex(indexKey(1))).toBe("0x01");
    expect(toHex(indexKey(127))).toBe("0x7f");
    expect(toHex(indexKey(128))).toBe("0x8180");
    expect(toHex(indexKey(300))).toBe("0x82012c");
  });

  for (const { record, block } of loadFixtures()) {
    it(`gives transactionsRoot of block ${record.number} (${record.tx_count} txs)`, () => {
      expect(orderedTrieRoot(block.transactions.map(encodeTransaction))).toBe(record.transactionsRoot);
    });
  }
});

describe("orderedTrieProof", () => {
  // 313 txs: keys of 1, 2 and 3 bytes, so proofs pass through branch, extension and embedded nodes.
  const { block, record } = loadFixture(24476009);
  const values = block.transactions.map(encodeTransaction);
  const root = record.transactionsRoot;

  for (const index of [0, 1, 5, 127, 128, 255, 256, 312]) {
    it(`proves tx ${index} against transactionsRoot`, () => {
      const proof = orderedTrieProof(values, index);
      expect(toHex(keccak_256(proof[0]))).toBe(root);
      const value = verifyOrderedTrieProof(root, index, proof);
      expect(value && toHex(value)).toBe(toHex(values[index]));
      expect(value && toHex(keccak_256(value))).toBe(block.transactions[index].hash);
    });
  }

  it("proves in a tiny trie whose nodes are embedded", () => {
    const small = [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)];
    const r = orderedTrieRoot(small);
    for (let i = 0; i < 3; i++) expect(verifyOrderedTrieProof(r, i, orderedTrieProof(small, i))).toEqual(small[i]);
  });

  it("shows absence for an index past the end", () => {
    const proof = orderedTrieProof(values, 312);
    expect(verifyOrderedTrieProof(root, 313, proof)).toBeNull();
  });

  it("fails when a node is altered", () => {
    const proof = orderedTrieProof(values, 200);
    for (let n = 0; n < proof.length; n++) {
      const altered = proof.map((p) => p.slice());
      altered[n][altered[n].length - 1] ^= 1;
      expect(() => verifyOrderedTrieProof(root, 200, altered)).toThrow(TrieProofError);
    }
  });

  it("fails when a node is missing or the root is another block's", () => {
    const proof = orderedTrieProof(values, 200);
    expect(() => verifyOrderedTrieProof(root, 200, proof.slice(0, -1))).toThrow(/no node in the proof/);
    expect(() => verifyOrderedTrieProof(loadFixture(24476000).record.transactionsRoot, 200, proof)).toThrow(TrieProofError);
  });

  it("each proof node is a valid trie node (branch of 17 or leaf/extension of 2)", () => {
    for (const node of orderedTrieProof(values, 42)) {
      const decoded = decodeRlp(node);
      expect(Array.isArray(decoded) && [2, 17].includes(decoded.length)).toBe(true);
    }
    expect(verifyTrieProof(root, indexKey(42), orderedTrieProof(values, 42))).toEqual(values[42]);
  });
});
