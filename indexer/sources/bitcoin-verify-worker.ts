// The body of the Bitcoin verify worker (bitcoin-verify-pool.ts): for each raw block of a fetched range, its txids
// and verifyBlock's report without the parent link — the hashing half of decode and verification, ~15 % of the
// indexer's main thread, done on the other core while that thread writes the previous batch.
import { parentPort } from "node:worker_threads";
import { parseBlock, txid } from "../../lib/bitcoin/codec";
import type { Network } from "../../lib/bitcoin/network";
import { verifyBlock } from "../../lib/bitcoin/verify";
import type { PrecheckRequest, PrecheckResult } from "./bitcoin-verify-pool";

parentPort!.on("message", ({ id, network, blocks }: PrecheckRequest & { id: number; network: Network }) => {
  const t0 = performance.now();
  const transfer: ArrayBuffer[] = [];
  const results = blocks.map(({ raw, height, claimedHash }): PrecheckResult => {
    let block;
    try {
      block = parseBlock(new Uint8Array(raw));
    } catch {
      return {}; // the indexer's own decode reports the parse failure
    }
    const txids = new Uint8Array(32 * block.txs.length);
    block.txs.forEach((t, i) => txids.set(txid(t), 32 * i));
    transfer.push(txids.buffer);
    const report = verifyBlock(block, { network, height, claimedHash, txids: block.txs.map((_, i) => txids.subarray(32 * i, 32 * i + 32)) });
    return { txids: txids.buffer, report };
  });
  parentPort!.postMessage({ id, results, ms: performance.now() - t0 }, transfer);
});
