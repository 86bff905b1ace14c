// sha256d: node:crypto vs @noble/hashes, for 80-byte headers and bulk transaction bytes.
// Run: npx tsx bench/bitcoin-hash.ts

import { readFileSync } from "node:fs";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { sha256d } from "../lib/bitcoin/hash";
import { parseBlock, txid } from "../lib/bitcoin/codec";
import { sha256dBrowser } from "../lib/bitcoin/merkle-proof";

const blockBytes = new Uint8Array(readFileSync(new URL("../test/fixtures/chaindata/bitcoin/rust-bitcoin/mainnet_block_000000000000000000000c835b2adcaedc20fdf6ee440009c249452c726dafae.raw", import.meta.url)));
const header = blockBytes.subarray(0, 80);
const txs = parseBlock(blockBytes).txs;

function bench(name: string, bytesPerOp: number, fn: () => void, minMs = 500): void {
  for (let i = 0; i < 50; i++) fn(); // warm-up
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 100; i++) fn();
    ops += 100;
    elapsed = performance.now() - start;
  }
  const perSec = (ops / elapsed) * 1000;
  console.log(`${name.padEnd(44)} ${perSec.toFixed(0).padStart(10)} ops/s  ${((perSec * bytesPerOp) / 1e6).toFixed(1).padStart(8)} MB/s`);
}

console.log(`sha256d, Node ${process.version}`);
bench("header (80 B) node:crypto", 80, () => sha256d(header));
bench("header (80 B) @noble/hashes", 80, () => sha256dBrowser(header));
bench("block 702861 (1.38 MB) node:crypto", blockBytes.length, () => sha256d(blockBytes), 1000);
bench("block 702861 (1.38 MB) @noble/hashes", blockBytes.length, () => nobleSha256(nobleSha256(blockBytes)), 1000);
const totalTxBytes = txs.reduce((n, t) => n + t.raw.length, 0);
bench(`all ${txs.length} txids of 702861, node:crypto`, totalTxBytes, () => { for (const t of txs) txid(t); }, 1000);
bench(`all ${txs.length} txs of 702861, @noble/hashes`, totalTxBytes, () => { for (const t of txs) sha256dBrowser(t.raw); }, 1000);
