// The state one running chain shares between the loop, the pipeline, the commit and the reorg handler.
import type postgres from "postgres";
import { bytesToHex } from "../../lib/bytes";
import type { ChainAdapter, SourceBlock } from "./adapter";
import type { Checkpoint } from "./checkpoint";
import type { EngineLog } from "./log";
import type { Progress } from "./progress";
import { retry, type RetryContext, type RetryPolicy } from "./retry";

/** Non-connection database errors get this many attempts before the chain fails. */
export const DB_ATTEMPTS = 5;

export interface ChainRef {
  id: number;
  slug: string;
}

export interface EngineContext<B extends SourceBlock = SourceBlock> extends RetryContext {
  sql: postgres.Sql;
  chain: ChainRef;
  adapter: ChainAdapter<B>;
  batchBlocks: number;
  batchTxs: number;
  concurrency: number;
  policy: RetryPolicy;
  progress: Progress;
  /** Where we are; replaced after every commit and rollback. */
  cp: Checkpoint;
}

/** Node calls: retried until they succeed (or the run is aborted). */
export function fromNode<T>(ctx: EngineContext, what: string, fn: () => Promise<T>): Promise<T> {
  return retry(ctx, what, fn);
}

/** Database work: a lost connection is waited out; other errors get DB_ATTEMPTS tries. */
export function inDb<T>(ctx: EngineContext, what: string, fn: () => Promise<T>): Promise<T> {
  return retry(ctx, what, fn, { maxAttempts: DB_ATTEMPTS });
}

export function hex(ctx: EngineContext, hash: Uint8Array): string {
  return ctx.adapter.formatHash ? ctx.adapter.formatHash(hash) : bytesToHex(hash);
}
