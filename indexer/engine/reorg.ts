// Reorgs of any depth. Walk back from our tip comparing our canonical hashes with the node's until they agree
// (no depth limit: an ancestor below startHeight means the whole indexed chain lost), then undo everything above
// the ancestor in one transaction: the adapter's family rows and summaries, the block rows (kept, marked stale)
// and the checkpoint. The caller then applies the winning branch like any other blocks.
import { rollbackBlockMetrics } from "../store/analytics";
import { bytesEqual } from "../../lib/bytes";
import type { IdCounters } from "./adapter";
import { canonicalHashes, canonicalHeader, markStaleAbove } from "./blocks";
import { lockCheckpoint, storeCheckpoint, type Checkpoint } from "./checkpoint";
import { fromNode, hex, inDb, type EngineContext } from "./context";
import { logfmt } from "./log";

/** Most reorgs are a block or two deep: probe a few heights first, then widen, capped to bound memory. */
const FIRST_PROBE = 4;
const MAX_PROBE = 256;

/** Highest height at or below `from` where our canonical block is the node's too; startHeight - 1 if none. */
export async function findCommonAncestor(ctx: EngineContext, from: number): Promise<number> {
  const start = ctx.adapter.startHeight;
  let hi = from;
  let width = FIRST_PROBE;
  while (hi >= start) {
    const lo = Math.max(start, hi - width + 1);
    const ours = await inDb(ctx, "reading canonical hashes", () => canonicalHashes(ctx.sql, ctx.chain.id, lo, hi));
    const heights = Array.from({ length: hi - lo + 1 }, (_, i) => hi - i);
    const theirs = await mapLimit(heights, ctx.concurrency, (h) => fromNode(ctx, `reading the node's hash at ${h}`, () => ctx.adapter.hashAt(h)));
    for (let i = 0; i < heights.length; i++) {
      const mine = ours.get(heights[i]);
      if (mine && bytesEqual(mine, theirs[i])) return heights[i];
    }
    hi = lo - 1;
    width = Math.min(width * 4, MAX_PROBE);
  }
  return start - 1;
}

/** Rolls the index back to `ancestor` in one transaction; returns the new checkpoint. */
export async function rollbackTo(ctx: EngineContext, ancestor: number): Promise<Checkpoint> {
  const before = ctx.cp;
  const target = ancestor < ctx.adapter.startHeight ? undefined : await inDb(ctx, "reading the ancestor block", () => canonicalHeader(ctx.sql, ctx.chain.id, ancestor));
  const after: Checkpoint = target ? { height: target.height, hash: target.hash, header: target } : { height: null, hash: null, header: undefined };
  let staled = 0;
  await inDb(ctx, `rolling back to ${ancestor}`, () =>
    ctx.sql.begin(async (tx) => {
      const ids: IdCounters | "done" = await lockCheckpoint(tx, ctx.chain, before, { hash: after.hash });
      if (ids === "done") return;
      // Before the adapter's rollback: EVM counters are decremented from the rows it is about to delete.
      await rollbackBlockMetrics(tx, { chainId: ctx.chain.id, aboveHeight: ancestor, family: ctx.adapter.family });
      await ctx.adapter.rollback(tx, ids, ancestor);
      staled = await markStaleAbove(tx, ctx.chain.id, ancestor);
      await storeCheckpoint(tx, ids, target, ctx.progress.figures());
    }),
  );
  ctx.log(logfmt({
    chain: ctx.chain.slug, level: "warn", msg: "reorg: rolled back to the common ancestor",
    ancestor, depth: (before.height ?? ancestor) - ancestor, old_tip: before.hash ? hex(ctx, before.hash) : undefined, stale_blocks: staled,
  }));
  ctx.progress.at(after.height);
  return after;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
