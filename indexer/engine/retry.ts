// Retrying with capped exponential backoff and jitter. Node faults are retried forever (a node can be down for
// hours; nothing may be skipped); a lost PostgreSQL connection is waited out forever; any other database error
// gets a few attempts, since retrying a deterministic failure forever would only hide it.
import { BlockVerificationError } from "../../lib/verify";
import { Aborted, describeError, FatalEngineError } from "./errors";
import { logfmt, type EngineLog } from "./log";

export interface RetryPolicy {
  /** First delay; doubles per attempt. */
  baseMs: number;
  /** Ceiling of the delay. */
  capMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { baseMs: 200, capMs: 30_000 };

export interface RetryContext {
  slug: string;
  signal: AbortSignal;
  policy: RetryPolicy;
  log: EngineLog;
}

/** "Equal jitter": half fixed, half random, so many retrying indexers do not hammer a node in lockstep. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Resolves after `ms`, or at once when the signal aborts (callers then check `signal.aborted`). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Settles like `p`, or rejects with Aborted as soon as the signal fires (the work behind `p` is abandoned). */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Aborted());
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

const connectionCodes = new Set([
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT",
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN",
]);

/** A lost or refused PostgreSQL connection, a server shutting down or starting, or a transaction conflict:
 *  all end by themselves, so they are waited out. SQLSTATE class 08 is "connection exception". */
export function isConnectionError(e: unknown): boolean {
  const code = String((e as { code?: unknown })?.code ?? "");
  return connectionCodes.has(code) || code.startsWith("08") || ["57P01", "57P02", "57P03", "53300", "40001", "40P01"].includes(code);
}

export interface RetryOptions {
  /** Attempts for errors that are not connection errors; unlimited when omitted. */
  maxAttempts?: number;
}

/** Runs `fn` until it succeeds. Verification failures, fatal errors and aborts pass straight through: they are
 *  decisions, not faults. */
export async function retry<T>(ctx: RetryContext, what: string, fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (ctx.signal.aborted) throw new Aborted();
    try {
      return await fn();
    } catch (e) {
      if (e instanceof BlockVerificationError || e instanceof Aborted || e instanceof FatalEngineError) throw e;
      if (ctx.signal.aborted) throw new Aborted();
      if (opts.maxAttempts !== undefined && !isConnectionError(e) && attempt + 1 >= opts.maxAttempts) throw e;
      const ms = backoffMs(attempt, ctx.policy);
      ctx.log(logfmt({ chain: ctx.slug, level: "warn", msg: `${what} failed; retrying`, error: describeError(e), attempt: attempt + 1, retry_in_ms: ms }));
      await sleep(ms, ctx.signal);
    }
  }
}
