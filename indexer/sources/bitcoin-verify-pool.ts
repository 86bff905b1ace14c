// One worker thread that computes, ahead of the engine, what a Bitcoin block's verification needs no parent for
// (bitcoin-verify-worker.ts). The engine still verifies every block in order against its parent (BitcoinAdapter
// adds the prevHash link to this report); when the worker cannot start or dies, blocks are hashed and verified on
// the indexer's thread as before, so the worker only ever changes where the work runs.
import { Worker } from "node:worker_threads";
import type { Network } from "../../lib/bitcoin/network";
import type { BlockReport } from "../../lib/verify";
import type { RawBlock } from "./bitcoin-block";

export interface PrecheckRequest {
  id: number;
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

class PrecheckWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: PrecheckResult[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  failed: Error | undefined;

  constructor() {
    // tsx's ESM entry (its CommonJS one registers hooks by a path that does not exist); under vitest, where
    // import.meta.resolve is absent, the worker resolves it from the working directory.
    const tsx = typeof import.meta.resolve === "function" ? import.meta.resolve("tsx/esm/api") : "tsx/esm/api";
    const entry = new URL("./bitcoin-verify-worker.ts", import.meta.url).href;
    this.worker = new Worker(BOOT, { eval: true, workerData: { tsx, entry } });
    this.worker.unref(); // never what keeps the process alive
    this.worker.on("message", ({ id, results, ms }: { id: number; results: PrecheckResult[]; ms: number }) => {
      precheckStats.ms += ms;
      precheckStats.blocks += results.length;
      this.pending.get(id)?.resolve(results);
      this.pending.delete(id);
      if (!this.pending.size) this.worker.unref();
    });
    const fail = (e: Error) => {
      this.failed = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`Bitcoin verify worker exited (${code})`)));
  }

  run(blocks: RawBlock[], network: Network): Promise<PrecheckResult[]> {
    const id = this.nextId++;
    // A copy moves to the worker (~1 ms per 10 MB): the caller keeps its bytes, to decode and, should the worker
    // fail, to verify itself.
    const req: PrecheckRequest = { id, blocks: blocks.map((b) => ({ raw: b.raw.slice().buffer, height: b.height, claimedHash: b.claimedHash })) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...req, network }, req.blocks.map((b) => b.raw));
    });
  }
}

/** The worker's busy time (ms) and blocks done, for the benchmarks' verification share. */
export const precheckStats = { ms: 0, blocks: 0 };

let shared: PrecheckWorker | null | undefined;

/** Txids and parent-free reports of `blocks`, computed on the worker (undefined for a block that does not parse);
 *  undefined when the worker is unavailable. Either way the caller can do the work itself. */
export async function precheck(blocks: RawBlock[], network: Network): Promise<(Prechecked | undefined)[] | undefined> {
  if (shared === undefined) {
    try {
      shared = new PrecheckWorker();
    } catch {
      shared = null;
    }
  }
  if (!shared || shared.failed || !blocks.length) return undefined;
  let results: PrecheckResult[];
  try {
    results = await shared.run(blocks, network);
  } catch {
    return undefined;
  }
  return results.map((r) => {
    if (!r.txids || !r.report) return undefined;
    const all = new Uint8Array(r.txids);
    return { txids: Array.from({ length: all.length / 32 }, (_, i) => all.subarray(32 * i, 32 * i + 32)), report: r.report };
  });
}
