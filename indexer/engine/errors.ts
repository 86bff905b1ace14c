// Typed engine errors. Each message says what happened and what the operator should do next.

/** Retrying cannot help: the chain stops and the operator acts. */
export class FatalEngineError extends Error {}

/** The chain has no row in `chain`: the engine never invents chains, the configuration step registers them. */
export class ChainNotRegisteredError extends FatalEngineError {
  override readonly name = "ChainNotRegisteredError";
  constructor(readonly chainId: number, readonly slug: string) {
    super(`chain ${slug} (id ${chainId}) has no row in table chain; register it (run the config sync) before indexing it.`);
  }
}

/** The checkpoint changed under us: another indexer process is writing the same chain. */
export class CheckpointMovedError extends FatalEngineError {
  override readonly name = "CheckpointMovedError";
  constructor(readonly slug: string, expected: string, found: string) {
    super(`${slug}: the checkpoint moved under this indexer (expected tip ${expected}, found ${found}); another indexer is writing this chain. Run exactly one indexer per chain, then restart.`);
  }
}

/** The checkpoint names a block the block table does not hold canonically: someone edited the database. */
export class CheckpointCorruptError extends FatalEngineError {
  override readonly name = "CheckpointCorruptError";
  constructor(slug: string, height: number) {
    super(`${slug}: the checkpoint (tip ${height}) has no matching canonical block row; the database was edited by hand. Restore it from a backup or reindex the chain.`);
  }
}

/** The adapter returned something other than the blocks asked for (a truncated or confused response); retried. */
export class BadFetchError extends Error {
  override readonly name = "BadFetchError";
  constructor(slug: string, from: number, to: number, why: string) {
    super(`${slug}: fetch of blocks ${from}..${to} returned ${why}; refetching.`);
  }
}

/** A database write kept failing for a reason other than a lost connection (a bug or a constraint): stop, loudly. */
export class WriteFailedError extends FatalEngineError {
  override readonly name = "WriteFailedError";
  constructor(slug: string, what: string, attempts: number, override readonly cause: unknown) {
    super(`${slug}: ${what} failed ${attempts} times (${describeError(cause)}); nothing of it was committed. Fix the cause and restart; indexing resumes from the checkpoint.`);
  }
}

/** Internal: the run was asked to stop (SIGTERM). Never escapes runChain. */
export class Aborted extends Error {
  override readonly name = "Aborted";
  constructor() {
    super("aborted");
  }
}

export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return code !== undefined && !e.message.includes(String(code)) ? `${e.message} [${String(code)}]` : e.message;
  }
  return String(e);
}
