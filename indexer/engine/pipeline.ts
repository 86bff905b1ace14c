// Catch-up: fetched ranges stream in (fetch-ahead), each block is verified against its parent (the previous
// block, or the stored tip), verified blocks accumulate into a batch, and a batch commits in one transaction
// while the next one is being verified. The stream stops at the first block that does not link to our tip
// (a reorg) or fails verification, after committing the verified prefix before it.
import { blockReport, BlockVerificationError } from "../../lib/verify";
import { bytesEqual } from "../../lib/bytes";
import type { BlockHeader, SourceBlock } from "./adapter";
import type { VerifiedBlock } from "./blocks";
import { commitBatch } from "./commit";
import { fromNode, hex, type EngineContext } from "./context";
import { checkRange, FetchQueue } from "./fetch-queue";
import { Aborted } from "./errors";
import { untilAborted } from "./retry";

export type CatchUpEnd =
  | { kind: "reached" }
  | { kind: "aborted" }
  /** `block` does not link to our tip (`parent`): find the common ancestor. */
  | { kind: "fork"; block: BlockHeader; parent: BlockHeader }
  | { kind: "invalid"; error: BlockVerificationError };

export async function catchUp<B extends SourceBlock>(ctx: EngineContext<B>, to: number): Promise<CatchUpEnd> {
  const from = ctx.cp.height === null ? ctx.adapter.startHeight : ctx.cp.height + 1;
  // Ranges still being fetched when we stop early are abandoned, not retried forever in the background.
  const drop = new AbortController();
  const fetchCtx = { ...ctx, signal: AbortSignal.any([ctx.signal, drop.signal]) };
  const ranges = new RangeSizer(ctx.batchBlocks, ctx.batchTxs);
  const queue = new FetchQueue<B>({
    slug: ctx.chain.slug,
    from,
    to,
    rangeSize: () => ranges.next(),
    concurrency: ctx.concurrency,
    fetch: (a, b) => fromNode(fetchCtx, `fetching blocks ${a}..${b}`, async () => checkRange(ctx.chain.slug, a, b, await ctx.adapter.fetch(a, b))),
  });
  const writer = new BatchWriter(ctx);
  let parent: BlockHeader | undefined = ctx.cp.header;
  try {
    for (;;) {
      if (ctx.signal.aborted) {
        await writer.settle();
        return { kind: "aborted" };
      }
      let range: B[] | undefined;
      try {
        range = await untilAborted(queue.take(), ctx.signal);
      } catch (e) {
        if (e instanceof Aborted) {
          await writer.settle();
          return { kind: "aborted" };
        }
        // An adapter may refuse a block already while decoding it.
        if (e instanceof BlockVerificationError) {
          await writer.drain();
          return { kind: "invalid", error: e };
        }
        throw e;
      }
      if (!range) break;
      ranges.saw(range);
      for (const block of range) {
        if (parent && !links(block.header, parent)) {
          await writer.drain();
          return { kind: "fork", block: block.header, parent };
        }
        const report = ctx.adapter.verify(block, parent);
        if (!report.ok) {
          await writer.drain();
          return { kind: "invalid", error: new BlockVerificationError(ctx.chain.slug, report) };
        }
        await writer.add({ block, checks: report.checks.filter((c) => c.ok).map((c) => c.check) });
        parent = block.header;
      }
    }
    await writer.drain();
    return { kind: "reached" };
  } finally {
    drop.abort();
  }
}

/** Blocks per fetched range: as many as hold about one batch of txs, judged by the fullest block of the last range
 *  taken, so memory follows BATCH_TXS whether blocks carry 1 tx (early Bitcoin) or 4,000. Small until a range is seen. */
export class RangeSizer {
  private perBlock = 0;
  constructor(private readonly maxBlocks: number, private readonly batchTxs: number, private readonly firstRange = 8) {}

  next(): number {
    if (!this.perBlock) return Math.min(this.maxBlocks, this.firstRange);
    return Math.max(1, Math.min(this.maxBlocks, Math.floor(this.batchTxs / this.perBlock)));
  }

  saw(range: readonly SourceBlock[]): void {
    if (range.length) this.perBlock = Math.max(1, ...range.map((b) => b.header.txCount));
  }
}

function links(block: BlockHeader, parent: BlockHeader): boolean {
  return block.height === parent.height + 1 && bytesEqual(block.parentHash, parent.hash);
}

/** A parent link the node keeps contradicting (see engine.ts) is reported as a failed verification. */
export function parentLinkError(ctx: EngineContext, block: BlockHeader, parent: BlockHeader): BlockVerificationError {
  const report = blockReport(ctx.adapter.family, hex(ctx, block.hash), block.height, [
    { check: "parentHash", ok: false, expected: hex(ctx, parent.hash), got: hex(ctx, block.parentHash) },
  ]);
  return new BlockVerificationError(ctx.chain.slug, report);
}

/** Accumulates verified blocks and commits them by block and tx count, one commit in flight at a time, so
 *  PostgreSQL writes batch N while this thread verifies batch N+1. */
class BatchWriter<B extends SourceBlock> {
  private batch: VerifiedBlock<B>[] = [];
  private txs = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: EngineContext<B>) {}

  async add(v: VerifiedBlock<B>): Promise<void> {
    this.batch.push(v);
    this.txs += v.block.header.txCount;
    if (this.batch.length >= this.ctx.batchBlocks || this.txs >= this.ctx.batchTxs) await this.flush();
  }

  /** Commits everything accumulated and waits for it. */
  async drain(): Promise<void> {
    await this.flush();
    await this.pending;
  }

  /** Stopping: lets the in-flight transaction finish (or fail) and drops the uncommitted rest. */
  async settle(): Promise<void> {
    this.batch = [];
    await this.pending.catch((e) => {
      if (!(e instanceof Aborted)) throw e;
    });
  }

  private async flush(): Promise<void> {
    if (!this.batch.length) return;
    const batch = this.batch;
    this.batch = [];
    this.txs = 0;
    // Before waiting for the commit in flight, so the two overlap. An error surfaces as this batch's commit error.
    let prepared: unknown;
    let refused: unknown;
    try {
      prepared = this.ctx.adapter.prepare?.(batch.map((v) => v.block), { sql: this.ctx.sql, chainId: this.ctx.chain.id });
    } catch (e) {
      refused = e;
    }
    await this.pending;
    this.pending = refused === undefined ? commitBatch(this.ctx, batch, prepared) : Promise.reject(refused);
    this.pending.catch(() => {}); // surfaced by the next flush or drain
  }
}
