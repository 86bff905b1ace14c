// One batch, one transaction: block rows, the adapter's family rows and the checkpoint commit together, so a
// crash (kill -9, power loss) leaves either the whole batch or none of it.
import type { SourceBlock, Tx } from "./adapter";
import { insertBlocks, type VerifiedBlock } from "./blocks";
import { lockCheckpoint, storeCheckpoint } from "./checkpoint";
import { DB_ATTEMPTS, inDb, type EngineContext } from "./context";
import { Aborted, FatalEngineError, WriteFailedError } from "./errors";

export async function commitBatch<B extends SourceBlock>(ctx: EngineContext<B>, batch: VerifiedBlock<B>[], prepared?: unknown): Promise<void> {
  const first = batch[0].block.header;
  const last = batch[batch.length - 1].block.header;
  const expected = ctx.cp;
  const what = `writing blocks ${first.height}..${last.height}`;
  try {
    await inDb(ctx, what, () =>
      ctx.sql.begin(async (tx) => {
        const ids = await lockCheckpoint(tx, ctx.chain, expected, { hash: last.hash });
        if (ids === "done") return;
        await preferIndexLookups(tx);
        await insertBlocks(tx, ctx.chain.id, batch);
        await ctx.adapter.write(tx, ids, batch.map((b) => b.block), prepared);
        await storeCheckpoint(tx, ids, last, ctx.progress.figures());
      }),
    );
  } catch (e) {
    if (e instanceof Aborted || e instanceof FatalEngineError) throw e;
    throw new WriteFailedError(ctx.chain.slug, what, DB_ATTEMPTS, e);
  }
  ctx.adapter.committed?.();
  ctx.cp = { height: last.height, hash: last.hash, header: last };
  ctx.progress.committed(last.height, batch.length, batch.reduce((n, b) => n + b.block.header.txCount, 0));
}

/**
 * A batch's statements look up a batch's worth of keys (prevouts, address scripts, ids) in tables of the whole chain.
 * During a bulk load PostgreSQL's statistics lag far behind the tables, and it then plans hash or merge joins over
 * full scans: one scan of btc_tx and btc_output per batch, which made the 2M-tx index quadratic (prevouts alone
 * 40% of its time). Index nested loops are the right plan for every statement of a batch, whatever the statistics.
 */
async function preferIndexLookups(tx: Tx): Promise<void> {
  await tx`select set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true), set_config('enable_seqscan', 'off', true)`;
}
