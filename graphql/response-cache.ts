// Whole-answer cache for the read-only API. Why it is exact, not merely "fresh enough": the indexer commits every
// batch of blocks, and every reorg rollback, in the same transaction that updates the chain row (tip height, tip
// hash, updated_at; see indexer/engine/commit.ts and reorg.ts), and nothing else writes what the API reads. So the
// chain table's content versions everything a query can see. Every request reads the chain table once (the read
// ctx.chains() needs anyway) and looks up (chain rows, document, variables, operation): a hit is the answer executing
// the query now would give. Answers with errors are never stored (timeouts, refusals, masked failures, not-found).
import { print, type DocumentNode, type ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Chain } from "../generated/prisma/client";
import type { Context } from "./context";

export const CACHE_LIMITS = {
  /** Answers kept (least recently used are dropped first). */
  maxEntries: 5_000,
  /** Bytes of keys + serialized answers kept. */
  maxBytes: 64 * 1024 * 1024,
  /** Larger answers are not stored: they would evict many small ones. */
  maxAnswerBytes: 2 * 1024 * 1024,
};

/** A version of the whole database as the API sees it: the chain rows, every column. */
export function chainStamp(rows: readonly Chain[]): string {
  return JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v));
}

// Concurrent requests share one read of the chain rows (graphql/coalesce.ts), so the same array is stamped once.
const stamps = new WeakMap<readonly Chain[], string>();
function stampOf(rows: readonly Chain[]): string {
  let s = stamps.get(rows);
  if (s === undefined) stamps.set(rows, (s = chainStamp(rows)));
  return s;
}

/** LRU of serialized answers (UTF-8 JSON) for one stamp: a new stamp empties it, answers computed under an older one are refused. */
export class AnswerCache {
  private stamp = "";
  private readonly map = new Map<string, Buffer>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly limits = CACHE_LIMITS) {}

  get(stamp: string, key: string): Buffer | undefined {
    if (stamp !== this.stamp) {
      this.reset(stamp);
      this.misses++;
      return undefined;
    }
    const v = this.map.get(key);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    // Map keeps insertion order: re-inserting marks it most recently used.
    this.map.delete(key);
    this.map.set(key, v);
    this.hits++;
    return v;
  }

  set(stamp: string, key: string, answer: Buffer): void {
    if (stamp !== this.stamp || answer.length > this.limits.maxAnswerBytes) return;
    const old = this.map.get(key);
    if (old !== undefined) {
      this.map.delete(key);
      this.bytes -= key.length + old.length;
    }
    this.map.set(key, answer);
    this.bytes += key.length + answer.length;
    for (const [k, v] of this.map) {
      if (this.map.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.map.delete(k);
      this.bytes -= k.length + v.length;
    }
  }

  get size(): number {
    return this.map.size;
  }

  private reset(stamp: string): void {
    this.stamp = stamp;
    this.map.clear();
    this.bytes = 0;
  }
}

/** Requests whose answer depends on more than the database (the wall clock): answered, never stored. */
const volatile = new WeakSet<object>();
export function dontCache(ctx: object): void {
  volatile.add(ctx);
}

// yoga's parse cache hands out one DocumentNode per query text, so printing it once per document is enough.
const printedDocs = new WeakMap<DocumentNode, string>();
function printed(doc: DocumentNode): string {
  let s = printedDocs.get(doc);
  if (s === undefined) printedDocs.set(doc, (s = print(doc)));
  return s;
}

// Answers are kept and sent as UTF-8 bytes, not strings. Why: yoga hands a string body to the socket, which encodes
// it on every send (and measures its UTF-8 length for Content-Length first), and any character beyond Latin-1 (a
// trace label's "…") makes the whole string two-byte, for which that encoding is slow: 0.6 ms of a 158 KB trace
// hit's 1.1 ms of server CPU. Bytes go to the socket as they are. (`stringify` may return them: yoga passes its
// value to the Response as the body, which takes bytes as well as text.)
const asStringify = (bytes: Buffer) => (() => bytes) as unknown as () => string;

/** Marks an answer served from the cache, so onExecuteDone does not store it again. */
const FROM_CACHE = Symbol("fromCache");

/**
 * Runs as the last onExecute hook: after parsing, validation and every limit (a refused query never reads the
 * database and is never answered from here), before any resolver. The key's chain rows are the request's own
 * ctx.chains(), so resolvers see the same snapshot the key names.
 */
export function responseCache(o: { enabled?: boolean; cache?: AnswerCache } = {}): Plugin<Context> {
  const cache = o.cache ?? new AnswerCache();
  const enabled = o.enabled !== false;
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as Context;
      let stamp = "", key = "";
      if (enabled) {
        stamp = stampOf((await ctx.chains()).all);
        key = JSON.stringify([args.operationName ?? null, printed(args.document), args.variableValues ?? null]);
        const hit = cache.get(stamp, key);
        if (hit !== undefined) {
          // The answer as stored: yoga's JSON result processor calls `stringify` instead of JSON.stringify.
          setResultAndStopExecution({ [FROM_CACHE]: true, stringify: asStringify(hit) } as ExecutionResult);
          return;
        }
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result || FROM_CACHE in result) return;
          // Answers with errors keep yoga's own serialization (it strips internal error fields first).
          if (result.errors?.length || result.extensions || result.data == null) return;
          const bytes = Buffer.from(JSON.stringify(result));
          if (enabled && !volatile.has(ctx)) cache.set(stamp, key, bytes);
          // Serialized once: the same bytes answer this request (sent as bytes with the cache off too).
          setResult({ ...result, stringify: asStringify(bytes) } as ExecutionResult);
        },
      };
    },
  };
}
