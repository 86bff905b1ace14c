// runChain: index one chain from its checkpoint to the node's tip, then follow it, until aborted or failed.
// The loop decides; pipeline.ts moves blocks, reorg.ts undoes them, commit.ts and checkpoint.ts persist them.
import type postgres from "postgres";
import { bytesEqual } from "../../lib/bytes";
import { BlockVerificationError } from "../../lib/verify";
import type { ChainAdapter, SourceBlock } from "./adapter";
import { canonicalHeader } from "./blocks";
import { readCheckpoint, storeFigures, storeStatus, type ChainStatus } from "./checkpoint";
import { fromNode, inDb, type ChainRef, type EngineContext } from "./context";
import { Aborted, describeError } from "./errors";
import { logfmt, type EngineLog } from "./log";
import { catchUp, parentLinkError } from "./pipeline";
import { Progress, type ProgressOut } from "./progress";
import { findCommonAncestor, rollbackTo } from "./reorg";
import { backoffMs, defaultRetryPolicy, sleep, type RetryPolicy } from "./retry";

export interface RunChainOptions<B extends SourceBlock = SourceBlock> {
  sql: postgres.Sql;
  /** Must already have its row in `chain`. */
  chain: ChainRef;
  adapter: ChainAdapter<B>;
  /** Blocks per write transaction (and per fetched range). */
  batchBlocks: number;
  /** Also close a batch once it holds this many transactions. Unlimited when omitted. */
  batchTxs?: number;
  /** Ranges fetched ahead in parallel. */
  concurrency: number;
  /** Poll interval once at the node's tip. */
  pollMs: number;
  /** "stop": fail the chain at an invalid block. "retry": refetch it with backoff (a node that served garbage). */
  onInvalid: "stop" | "retry";
  /** Abort (SIGTERM) to stop: the in-flight transaction finishes or rolls back, then runChain resolves. */
  signal: AbortSignal;
  log: EngineLog;
  /** Resolve once the checkpoint reaches this height instead of following forever (tools, tests, benchmarks). */
  untilHeight?: number;
  retry?: Partial<RetryPolicy>;
  /** Live progress line target; process.stderr by default (a logfmt line every few seconds when not a TTY). */
  progressOut?: ProgressOut;
  progressLogEveryMs?: number;
}

/** Node contradicting itself about a parent link this many times in a row counts as an invalid block. */
const LINK_CONTRADICTIONS = 3;
const FIGURES_EVERY_MS = 5_000;

/**
 * Resolves when aborted or when `untilHeight` is reached (status "stopped"). Rejects, after storing status
 * "failed" and `last_error`, with a BlockVerificationError (onInvalid "stop") or a FatalEngineError; the caller
 * decides the exit code. Node faults and lost database connections are retried, never skipped.
 */
export async function runChain<B extends SourceBlock>(o: RunChainOptions<B>): Promise<void> {
  const policy = { ...defaultRetryPolicy, ...o.retry };
  const progress = new Progress({ slug: o.chain.slug, log: o.log, out: o.progressOut, logEveryMs: o.progressLogEveryMs });
  const ctx: EngineContext<B> = {
    sql: o.sql, chain: o.chain, adapter: o.adapter, batchBlocks: o.batchBlocks, batchTxs: o.batchTxs ?? Infinity,
    concurrency: o.concurrency, policy, progress, signal: o.signal, log: o.log, slug: o.chain.slug,
    cp: { height: null, hash: null, header: undefined },
  };
  let status: ChainStatus | undefined;
  const setStatus = async (s: ChainStatus) => {
    if (s === status) return;
    await inDb(ctx, "storing the chain status", () => storeStatus(o.sql, o.chain.id, s, s === "syncing" ? null : undefined));
    status = s;
    o.log(logfmt({ chain: o.chain.slug, level: "info", msg: `status ${s}`, height: ctx.cp.height ?? undefined }));
  };
  try {
    ctx.cp = await inDb(ctx, "reading the checkpoint", () => readCheckpoint(o.sql, o.chain));
    progress.at(ctx.cp.height);
    await setStatus("syncing");
    let invalids = 0;
    let contradictions = 0;
    let figuresAt = 0;
    while (!o.signal.aborted) {
      if (o.untilHeight !== undefined && (ctx.cp.height ?? -1) >= o.untilHeight) break;
      const node = await fromNode(ctx, "asking the node for its tip", () => o.adapter.tip());
      progress.nodeHeight(node.height);
      const target = Math.min(node.height, o.untilHeight ?? Infinity);
      const tip = ctx.cp.height ?? o.adapter.startHeight - 1;

      if (target <= tip) {
        if (await nodeLeftOurBranch(ctx, node)) {
          ctx.cp = await rollbackTo(ctx, await findCommonAncestor(ctx, Math.min(tip, node.height)));
          continue;
        }
        await setStatus("following");
        if (Date.now() - figuresAt >= FIGURES_EVERY_MS) {
          await inDb(ctx, "storing sync figures", () => storeFigures(o.sql, o.chain.id, progress.figures()));
          figuresAt = Date.now();
        }
        await sleep(o.pollMs, o.signal);
        continue;
      }

      if (target - tip > o.batchBlocks) await setStatus("syncing");
      const end = await catchUp(ctx, target);
      if (end.kind === "fork") {
        const ancestor = await findCommonAncestor(ctx, Math.min(end.parent.height, node.height));
        if (ancestor !== ctx.cp.height) {
          contradictions = 0;
          ctx.cp = await rollbackTo(ctx, ancestor);
          continue;
        }
        // The node says our tip is canonical yet serves a child of something else: a race with a reorg on
        // the node, unless it keeps happening.
        if (++contradictions < LINK_CONTRADICTIONS) continue;
        contradictions = 0;
        await onInvalid(ctx, o, parentLinkError(ctx, end.block, end.parent), invalids++);
      } else if (end.kind === "invalid") {
        await onInvalid(ctx, o, end.error, invalids++);
      } else if (end.kind === "reached") {
        invalids = 0;
      }
    }
    await setStatus("stopped");
  } catch (e) {
    if (e instanceof Aborted) {
      await storeStatus(o.sql, o.chain.id, "stopped").catch(() => {});
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    o.log(logfmt({ chain: o.chain.slug, level: "error", msg: message }));
    await storeStatus(o.sql, o.chain.id, "failed", message).catch((err) =>
      o.log(logfmt({ chain: o.chain.slug, level: "error", msg: "could not store the failure", error: describeError(err) })),
    );
    throw e;
  } finally {
    progress.close();
  }
}

/** At or past the node's tip: is our block at the node's height still the node's? (A same-height or shorter
 *  winning branch shows up only here, never as a parent mismatch.) */
async function nodeLeftOurBranch(ctx: EngineContext, node: { height: number; hash: Uint8Array }): Promise<boolean> {
  if (ctx.cp.height === null || node.height < ctx.adapter.startHeight) return false;
  const ours = node.height === ctx.cp.height ? ctx.cp.header : await inDb(ctx, "reading a canonical block", () => canonicalHeader(ctx.sql, ctx.chain.id, node.height));
  return !!ours && !bytesEqual(ours.hash, node.hash);
}

/** "stop": rethrow (runChain records it). "retry": back off, then the loop refetches from the checkpoint. */
async function onInvalid(ctx: EngineContext, o: Pick<RunChainOptions, "onInvalid" | "log" | "chain" | "signal">, error: BlockVerificationError, attempt: number): Promise<void> {
  if (o.onInvalid === "stop") throw error;
  const ms = backoffMs(attempt, ctx.policy);
  o.log(logfmt({ chain: o.chain.slug, level: "warn", msg: error.message, retry_in_ms: ms }));
  await sleep(ms, o.signal);
}
