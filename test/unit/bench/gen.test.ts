import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ChainGenerator, genesisBlock } from "../../../bench/gen/chain";
import { generateChain } from "../../../bench/gen/index";
import { parseBlkFile } from "../../../lib/bitcoin/blk";
import { isCoinbase, parseBlock, txid } from "../../../lib/bitcoin/codec";
import { sha256d } from "../../../lib/bitcoin/hash";
import { regtest } from "../../../lib/bitcoin/network";
import { verifyBlock } from "../../../lib/bitcoin/verify";
import { bytesToHex, reversedHex } from "../../../lib/bytes";

function small(seed: number) {
  return new ChainGenerator({ seed, txs: 6000, minBlockTxs: 200, maxBlockTxs: 900 });
}

describe("synthetic chain generator", () => {
  it("starts with the regtest genesis block", () => {
    expect(reversedHex(sha256d(genesisBlock().subarray(0, 80)))).toBe(regtest.genesisHash);
  });

  it("every block verifies against its parent, and every input spends an earlier unspent output", () => {
    const gen = small(7);
    let prev: string | undefined;
    const unspent = new Map<string, bigint>();
    let blocks = 0;
    let segwit = 0;
    for (let b = gen.next(); b; b = gen.next()) {
      const block = parseBlock(b.raw);
      const report = verifyBlock(block, { network: "regtest", height: b.height, expectedPrevHash: prev });
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.ok).toBe(true);
      prev = reversedHex(b.hash);
      if (b.height === 0) continue;
      let fees = 0n;
      for (const tx of block.txs) {
        const id = bytesToHex(txid(tx));
        if (tx.hasWitness) segwit++;
        if (!isCoinbase(tx)) {
          let inSum = 0n;
          for (const i of tx.inputs) {
            const key = `${bytesToHex(i.prevTxid)}:${i.prevVout}`;
            const v = unspent.get(key);
            expect(v, `input ${key} spends a known unspent output`).toBeDefined();
            unspent.delete(key);
            inSum += v!;
          }
          const outSum = tx.outputs.reduce((n, o) => n + o.value, 0n);
          expect(inSum > outSum).toBe(true);
          fees += inSum - outSum;
        }
        tx.outputs.forEach((o, vout) => {
          if (o.scriptPubKey[0] !== 0x6a) unspent.set(`${id}:${vout}`, o.value);
        });
      }
      const cbOut = block.txs[0].outputs.reduce((n, o) => n + o.value, 0n);
      expect(cbOut).toBe(BigInt(Math.floor((50 * 1e8) / 2 ** Math.floor(b.height / 150))) + fees);
      blocks++;
    }
    expect(blocks).toBeGreaterThan(5);
    expect(segwit).toBeGreaterThan(gen.stats.txs / 2);
    expect(gen.stats.outputsByType.p2pkh).toBeGreaterThan(0);
    expect(gen.stats.outputsByType.p2tr).toBeGreaterThan(0);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const digest = (seed: number) => {
      const g = small(seed);
      const hashes: string[] = [];
      for (let b = g.next(); b; b = g.next()) hashes.push(bytesToHex(b.hash));
      return hashes.join();
    };
    const a = digest(3);
    expect(digest(3)).toBe(a);
    expect(digest(4)).not.toBe(a);
  });

  it("writes regtest blk files that lib/bitcoin/blk reads back in order", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "chainproof-gen-"));
    try {
      const m = await generateChain(dir, 4000, 5);
      const files = readdirSync(dir).filter((f) => f.startsWith("blk"));
      expect(files).toEqual(["blk00000.dat"]);
      const blk = parseBlkFile(new Uint8Array(readFileSync(path.join(dir, files[0]))), { network: "regtest" });
      expect(blk.records.length).toBe(m.tipHeight + 1);
      expect(blk.records.reduce((n, r) => n + r.length, 0)).toBe(m.blockBytes);
      expect(reversedHex(sha256d(blk.records[blk.records.length - 1].block.subarray(0, 80)))).toBe(m.tipHash);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
