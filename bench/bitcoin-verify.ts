// parse + verify throughput on real mainnet blocks 702861 (2,500 tx) and 574200 (3,315 tx).
// Run: npx tsx bench/bitcoin-verify.ts

import { readFileSync } from "node:fs";
import { parseBlock } from "../lib/bitcoin/codec";
import { verifyBlock, verifyRawBlock } from "../lib/bitcoin/verify";

const dir = new URL("../test/fixtures/chaindata/bitcoin/", import.meta.url);
const blocks = [
  { name: "702861", height: 702861, file: "rust-bitcoin/mainnet_block_000000000000000000000c835b2adcaedc20fdf6ee440009c249452c726dafae.raw" },
  { name: "574200", height: 574200, file: "btcd/block-0000000000000000001602407ac49862a7bca9d00f7f402db20b7be2f5de59d2.blk" },
].map((b) => ({ ...b, bytes: new Uint8Array(readFileSync(new URL(b.file, dir))) }));

function run(label: string, bytes: number, txs: number, fn: () => void): void {
  for (let i = 0; i < 5; i++) fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 2000) {
    fn();
    n++;
  }
  const sec = (performance.now() - start) / 1000;
  console.log(
    `${label.padEnd(30)} ${((n * bytes) / sec / 1e6).toFixed(1).padStart(7)} MB/s ${Math.round((n * txs) / sec).toString().padStart(9)} tx/s ${((sec / n) * 1000).toFixed(2).padStart(7)} ms/block`,
  );
}

console.log(`Node ${process.version}`);
for (const b of blocks) {
  const txs = parseBlock(b.bytes).txs.length;
  const mb = (b.bytes.length / 1e6).toFixed(2);
  run(`${b.name} parse (${mb} MB)`, b.bytes.length, txs, () => parseBlock(b.bytes));
  const parsed = parseBlock(b.bytes);
  run(`${b.name} verify only`, b.bytes.length, txs, () => verifyBlock(parsed, { network: "mainnet", height: b.height }));
  run(`${b.name} parse+verify`, b.bytes.length, txs, () => {
    if (!verifyRawBlock(b.bytes, { network: "mainnet", height: b.height }).ok) throw new Error("block failed verification");
  });
}
