// One worker thread that computes, ahead of the engine, what a Bitcoin block's verification needs no parent for
// (bitcoin-verify-worker.ts). The engine still verifies every block in order against its parent (BitcoinAdapter
// adds the prevHash link to this report); when the worker cannot start or dies, blocks are hashed and verified on
// the indexer's thread as before, so the worker only ever changes where the work runs.
import type { Network } from "../../lib/bitcoin/network";
import type { BlockReport } from "../../lib/verify";
import type { RawBlock } from "./bitcoin-block";
import { RequestWorker, sharedWorker } from "./request-worker";

export interface PrecheckRequest {
  blocks: { raw: ArrayBuffer; height: number; claimedHash?: string }[];
}

/** When the block parsed: its txids (32 bytes each, concatenated) and report. */
export interface PrecheckResult {
  txids?: ArrayBuffer;
  report?: BlockReport;
}

export interface Prechecked {
  txids: Uint8Array[];
  report: BlockReport;
}

// The worker is TypeScript: load it through tsx (a dependency; `npm start` runs under it), also under vitest.
const BOOT = `
const { workerData } = require("node:worker_threads");
import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.entry, workerData.entry));
`;

const worker = sharedWorker(() => {
  // tsx's ESM entry (its CommonJS one registers hooks by a path that does not exist); under vitest, where
  // import.meta.resolve is absent, the worker resolves it from the working directory.
  const tsx = typeof import.meta.resolve === "function" ? import.meta.resolve("tsx/esm/api") : "tsx/esm/api";
  const entry = new URL("./bitcoin-verify-worker.ts", import.meta.url).href;
  // Its heap holds one range's parsed blocks at a time: kept small, as the indexer's RSS (all threads) is bounded.
  // Past the limit the worker dies and its blocks are verified here.
  return new RequestWorker<PrecheckRequest & { network: Network }, { results: PrecheckResult[]; ms: number }>("Bitcoin verify", BOOT, { tsx, entry },
    { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 });
});

/** The worker's busy time (ms) and blocks done, for the benchmarks' verification share. */
export const precheckStats = { ms: 0, blocks: 0 };

/** Txids and parent-free reports of `blocks`, computed on the worker (undefined for a block that does not parse);
 *  undefined when the worker is unavailable. Either way the caller can do the work itself. */
export async function precheck(blocks: RawBlock[], network: Network): Promise<(Prechecked | undefined)[] | undefined> {
  const w = worker();
  if (!w || !blocks.length) return undefined;
  // A copy moves to the worker (~1 ms per 10 MB): the caller keeps its bytes, to decode and, should the worker
  // fail, to verify itself.
  const raws = blocks.map((b) => b.raw.slice().buffer);
  let answer: { results: PrecheckResult[]; ms: number };
  try {
    answer = await w.request({ network, blocks: blocks.map((b, i) => ({ raw: raws[i], height: b.height, claimedHash: b.claimedHash })) }, raws);
  } catch {
    return undefined;
  }
  precheckStats.ms += answer.ms;
  precheckStats.blocks += blocks.length;
  return answer.results.map((r) => {
    if (!r.txids || !r.report) return undefined;
    const all = new Uint8Array(r.txids);
    return { txids: Array.from({ length: all.length / 32 }, (_, i) => all.subarray(32 * i, 32 * i + 32)), report: r.report };
  });
}
