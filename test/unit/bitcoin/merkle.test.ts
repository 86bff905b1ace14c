import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { blockHashHex, parseBlock, txid } from "../../../lib/bitcoin/codec";
import { hashPair, merkleProof, merkleRoot } from "../../../lib/bitcoin/merkle";
import { hashPairBrowser, rootFromProof, verifyMerkleProof } from "../../../lib/bitcoin/merkle-proof";
import { extractMatches, parseMerkleBlock, PartialMerkleTreeError, verifyMerkleBlock } from "../../../lib/bitcoin/merkleblock";
import { mainnet } from "../../../lib/bitcoin/network";
import { checkProofOfWork } from "../../../lib/bitcoin/pow";
import { bytesEqual, bytesToHex, hexToBytes, reversedHex } from "../../../lib/bytes";
import { allFixtureBlocks, fixtureBlock, HASH_13B8A, HASH_300025, HASH_702861, HASH_831332, readFixture, readFixtureText } from "./fixtures";

describe("merkle root", () => {
  it("reproduces every chaindata block's merkle root, none mutated", () => {
    for (const { record, bytes } of allFixtureBlocks()) {
      const block = parseBlock(bytes);
      const { root, mutated } = merkleRoot(block.txs.map(txid));
      expect(reversedHex(root), record.hash).toBe(record.merkle_root);
      expect(mutated).toBe(false);
    }
  });

  it("flags CVE-2012-2459 duplication at any level while the root stays the same", () => {
    const leaves = Array.from({ length: 6 }, (_, i) => new Uint8Array(32).fill(i + 1));
    const honest = merkleRoot(leaves);
    // [a..f] -> level 1 is [ab, cd, ef] (odd): appending e, f repeats ef one level up.
    const pair = merkleRoot([...leaves, leaves[4], leaves[5]]);
    expect(bytesEqual(pair.root, honest.root)).toBe(true);
    expect(honest.mutated).toBe(false);
    expect(pair.mutated).toBe(true);
    const five = leaves.slice(0, 5);
    const single = merkleRoot([...five, five[4]]);
    expect(bytesEqual(single.root, merkleRoot(five).root)).toBe(true);
    expect(single.mutated).toBe(true);
    expect(bytesToHex(merkleRoot([]).root)).toBe("0".repeat(64));
    expect(merkleRoot([leaves[0]]).root).toBe(leaves[0]);
  });
});

describe("merkle proofs", () => {
  it("every tx of block 13b8a and a sample of 702861: build, verify (node and browser hashing), reject tampering", () => {
    for (const hash of [HASH_13B8A, HASH_702861]) {
      const block = parseBlock(fixtureBlock(hash).bytes);
      const txids = block.txs.map(txid);
      const root = block.header.merkleRoot;
      const indexes = txids.length < 50 ? txids.map((_, i) => i) : [0, 1, 2, 777, 1500, txids.length - 2, txids.length - 1];
      for (const i of indexes) {
        const proof = merkleProof(txids, i);
        expect(verifyMerkleProof(txids[i], proof, root)).toBe(true);
        expect(verifyMerkleProof(txids[i], proof, root, { txCount: txids.length })).toBe(true);
        expect(verifyMerkleProof(txids[i], proof, root, { hashPair })).toBe(true);
        expect(bytesEqual(rootFromProof(txids[i], proof, hashPairBrowser), root)).toBe(true);
        expect(verifyMerkleProof(txids[(i + 1) % txids.length], proof, root)).toBe(false);
        expect(verifyMerkleProof(txids[i], { ...proof, index: proof.index ^ 1 }, root)).toBe(false);
        const siblings = proof.siblings.slice();
        siblings[0] = new Uint8Array(32);
        expect(verifyMerkleProof(txids[i], { ...proof, siblings }, root)).toBe(false);
        // A tree twice as wide is one level taller: the proof cannot fit it.
        expect(verifyMerkleProof(txids[i], proof, root, { txCount: txids.length * 2 })).toBe(false);
      }
    }
  });

  it("rejects a proof that passes an inner node off as a tx when txCount is known", () => {
    const leaves = Array.from({ length: 4 }, (_, i) => new Uint8Array(32).fill(i + 1));
    const root = merkleRoot(leaves).root;
    const inner = hashPair(leaves[0], leaves[1]);
    const forged = { index: 0, siblings: [hashPair(leaves[2], leaves[3])] };
    expect(verifyMerkleProof(inner, forged, root)).toBe(true); // structurally valid without context…
    expect(verifyMerkleProof(inner, forged, root, { txCount: 4 })).toBe(false); // …but not a 4-tx tree's leaf
  });

  it("merkle-proof.ts and merkleblock.ts are browser-safe (no node: imports in their import graph)", () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, "utf8");
      for (const m of src.matchAll(/from\s+"([^"]+)"/g)) {
        const spec = m[1];
        expect(spec.startsWith("node:") || spec === "crypto" || spec === "buffer", `${file} imports ${spec}`).toBe(false);
        if (spec.startsWith(".")) visit(fileURLToPath(new URL(spec + ".ts", "file://" + file)));
      }
      expect(/\bBuffer\b/.test(src), `${file} uses Buffer`).toBe(false);
    };
    const lib = fileURLToPath(new URL("../../../lib/bitcoin/", import.meta.url));
    visit(lib + "merkle-proof.ts");
    visit(lib + "merkleblock.ts");
    expect(seen.size).toBeGreaterThan(2);
  });
});

describe("BIP37 merkleblock", () => {
  const block831332 = parseBlock(fixtureBlock(HASH_831332).bytes);
  const txids831332 = block831332.txs.map(txid);

  it("ckb txoutproofs for 831332: verify, and the matches are the txs at the named positions", () => {
    for (const name of ["0831332-0", "0831332-1", "0831332-15", "0831332-20", "0831332-0_1_15_20_115_2019_2024"]) {
      const mb = parseMerkleBlock(readFixture(`ckb-bitcoin-spv-testdata/txoutproof/${name}.bin`));
      const result = verifyMerkleBlock(mb);
      expect(result.ok, name).toBe(true);
      expect(reversedHex(result.blockHash)).toBe(HASH_831332);
      expect(checkProofOfWork(result.blockHash, mb.header.bits, mainnet).ok).toBe(true);
      expect(mb.txCount).toBe(2355);
      const positions = name.split("-")[1].split("_").map(Number);
      expect(result.matches.map((m) => m.index)).toEqual(positions);
      for (const m of result.matches) expect(bytesToHex(m.txid)).toBe(bytesToHex(txids831332[m.index]));
    }
  });

  it("bcoin merkle300025 matches txs 396 and 397", () => {
    const mb = parseMerkleBlock(readFixture("bcoin/merkle300025.raw"));
    const result = verifyMerkleBlock(mb, hashPair);
    expect(result.ok).toBe(true);
    expect(reversedHex(result.blockHash)).toBe(HASH_300025);
    const txids = parseBlock(fixtureBlock(HASH_300025).bytes).txs.map(txid);
    expect(result.matches.map((m) => m.index)).toEqual([396, 397]);
    for (const m of result.matches) expect(bytesEqual(m.txid, txids[m.index])).toBe(true);
  });

  it("rust-bitcoin merkle_block.hex matches tx 3 of block 13b8a", () => {
    const mb = parseMerkleBlock(hexToBytes(readFixtureText("rust-bitcoin/merkle_block.hex").trim()));
    const result = verifyMerkleBlock(mb);
    expect(result.ok).toBe(true);
    const block = parseBlock(fixtureBlock(HASH_13B8A).bytes);
    expect(blockHashHex(block.header)).toBe(reversedHex(result.blockHash));
    expect(result.matches.map((m) => m.index)).toEqual([3]);
    expect(bytesEqual(result.matches[0].txid, txid(block.txs[3]))).toBe(true);
  });

  it("tampered trees are rejected", () => {
    const mb = parseMerkleBlock(readFixture("bcoin/merkle300025.raw"));
    const wrongHash = { ...mb, hashes: mb.hashes.map((h, i) => (i === 1 ? new Uint8Array(32) : h)) };
    expect(verifyMerkleBlock(wrongHash).ok).toBe(false);
    expect(() => extractMatches({ ...mb, hashes: mb.hashes.slice(0, -1) })).toThrow(PartialMerkleTreeError);
    expect(() => extractMatches({ ...mb, flags: Uint8Array.from([...mb.flags, 0]) })).toThrow(/unused flag/);
    expect(() => extractMatches({ ...mb, txCount: 0 })).toThrow(/zero/);
    expect(() => parseMerkleBlock(readFixture("bcoin/merkle300025.raw").subarray(0, 100))).toThrow(/at byte/);
  });
});
