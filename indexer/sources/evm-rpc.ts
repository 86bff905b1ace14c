// EVM JSON-RPC over HTTP: batched requests, bounded concurrency, typed errors. Retrying is the engine's job; this
// module only says whether an error is worth retrying (EvmRpcError.retryable) or never will be (EvmRpcFatalError,
// a FatalEngineError: wrong URL, refused credentials, not an EVM node).
//
// `fetchEvmRange` gathers everything one range of blocks needs to be verified and written: full blocks, receipts
// (eth_getBlockReceipts, or per-tx eth_getTransactionReceipt where the node lacks it), uncle headers, the native
// balance of every touched address at its last touch, and ERC-20/721 metadata of token contracts.
import type { Agent } from "node:http";
import { FatalEngineError } from "../engine/errors";
import { HttpBodyError, HttpSendError, keepAliveAgent, postJson, type HttpAnswer } from "./evm-http";
import { decodeTransfers, type TokenTransfer } from "../../lib/evm/transfers";
import type { Address, Hex, RpcBlock, RpcHeader, RpcLog, RpcReceipt, RpcTransaction } from "../../lib/evm/types";

/** A fault the engine should retry (network, 5xx, 429, timeout, truncated answer, a node still catching up). */
export class EvmRpcError extends Error {
  override readonly name = "EvmRpcError";
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly method?: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

/** Retrying cannot help: the URL, credentials or node kind are wrong. The chain stops with this message. */
export class EvmRpcFatalError extends FatalEngineError {
  override readonly name = "EvmRpcFatalError";
}

export interface RpcCall {
  method: string;
  params: unknown[];
}

export interface EvmRpcOptions {
  url: string;
  /** Calls per HTTP request (JSON-RPC batch). */
  batchSize?: number;
  /** HTTP requests in flight at once. */
  concurrency?: number;
  timeoutMs?: number;
}

const STALE_SOCKET = new Set(["ECONNRESET", "EPIPE"]);

/** JSON-RPC error codes that mean "this method does not exist here". */
const METHOD_NOT_FOUND = -32601;
const UNSUPPORTED = /method not found|not supported|does not exist|not available|unsupported|unknown method|not implemented/i;

export function isMethodUnsupported(e: unknown): boolean {
  return e instanceof EvmRpcError && (e.code === METHOD_NOT_FOUND || (e.code !== undefined && UNSUPPORTED.test(e.message)));
}

/** The node no longer (or not yet) keeps state at that height: fall back to a newer one. */
const NO_STATE = /missing trie node|historical state|state.*not available|BlockOutOfRange|header not found|unknown block|pruned|state histories/i;
export function isStateUnavailable(e: unknown): boolean {
  return e instanceof EvmRpcError && e.code !== undefined && NO_STATE.test(e.message);
}

export class EvmRpc {
  readonly url: string;
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private readonly limit: Semaphore;
  private readonly agent: Agent;
  private nextId = 1;
  /** Redacted URL for messages: never print credentials. */
  readonly where: string;

  constructor(o: EvmRpcOptions) {
    this.url = o.url;
    this.batchSize = o.batchSize ?? 100;
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.limit = new Semaphore(o.concurrency ?? 8);
    this.agent = keepAliveAgent(o.url, o.concurrency ?? 8);
    this.where = redact(o.url);
  }

  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const [r] = await this.batch<T>([{ method, params }]);
    if (r instanceof EvmRpcError) throw r;
    return r;
  }

  /** Every call's result or its own error, in order. Transport failures reject the whole batch. */
  async batch<T>(calls: RpcCall[]): Promise<(T | EvmRpcError)[]> {
    const chunks: RpcCall[][] = [];
    for (let i = 0; i < calls.length; i += this.batchSize) chunks.push(calls.slice(i, i + this.batchSize));
    const parts = await Promise.all(chunks.map((c) => this.limit.run(() => this.post<T>(c))));
    return parts.flat();
  }

  /** Like batch, but the first per-call error rejects. */
  async batchOrThrow<T>(calls: RpcCall[]): Promise<T[]> {
    const out = await this.batch<T>(calls);
    for (const r of out) if (r instanceof EvmRpcError) throw r;
    return out as T[];
  }

  private async post<T>(calls: RpcCall[]): Promise<(T | EvmRpcError)[]> {
    const first = this.nextId;
    this.nextId += calls.length;
    const single = calls.length === 1;
    const body = single
      ? { jsonrpc: "2.0", id: first, method: calls[0].method, params: calls[0].params }
      : calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, method: c.method, params: c.params }));
    const what = single ? calls[0].method : `a batch of ${calls.length} (${calls[0].method}…)`;
    let res: HttpAnswer;
    const payload = JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      try {
        res = await postJson(this.url, this.agent, payload, this.timeoutMs);
        break;
      } catch (e) {
        if (e instanceof HttpBodyError) throw new EvmRpcError(`EVM node ${this.where}: ${what}: the answer was cut off (${e.message})`, true, calls[0].method);
        const code = e instanceof HttpSendError ? e.code : undefined;
        // A kept-alive socket the server closed just as we reused it: every call here is a read, so one
        // immediate resend is safe; anything else is the engine's to retry with backoff.
        if (attempt === 0 && STALE_SOCKET.has(code ?? "")) continue;
        throw new EvmRpcError(`EVM node ${this.where}: ${what} failed: ${(e as Error).message}`, true, calls[0].method);
      }
    }
    const text = res.text;
    if (res.status === 401 || res.status === 403) {
      throw new EvmRpcFatalError(`EVM node ${this.where} refused the request (HTTP ${res.status}); check the URL's credentials or API key.`);
    }
    if (res.status === 404 || res.status === 405) {
      throw new EvmRpcFatalError(`EVM node ${this.where} answered HTTP ${res.status}: not a JSON-RPC endpoint; check the URL.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // 5xx, 429, a proxy's HTML page, or a truncated body: all transient.
      throw new EvmRpcError(`EVM node ${this.where}: ${what}: HTTP ${res.status}, not JSON (${text.length} bytes: ${JSON.stringify(text.slice(0, 80))})`, true, calls[0].method);
    }
    const items = Array.isArray(json) ? json : [json];
    if (!single && !Array.isArray(json)) {
      // A node that rejects the whole batch (too large, rate-limited) answers one error object.
      const err = (json as { error?: { code?: number; message?: string } }).error;
      throw new EvmRpcError(`EVM node ${this.where}: ${what} rejected as a whole: ${err?.message ?? text.slice(0, 120)}`, true, calls[0].method, err?.code);
    }
    const byId = new Map<number, { result?: unknown; error?: { code?: number; message?: string; data?: unknown } }>();
    for (const it of items) if (it && typeof it === "object" && typeof (it as { id?: unknown }).id === "number") byId.set((it as { id: number }).id, it as never);
    return calls.map((c, i) => {
      const r = byId.get(first + i);
      if (!r) return new EvmRpcError(`EVM node ${this.where}: no answer to ${c.method} in the batch (HTTP ${res.status})`, true, c.method);
      if (r.error) {
        const code = typeof r.error.code === "number" ? r.error.code : undefined;
        const msg = String(r.error.message ?? JSON.stringify(r.error)).slice(0, 300);
        if (code === METHOD_NOT_FOUND && (c.method === "eth_getBlockByNumber" || c.method === "eth_blockNumber")) {
          throw new EvmRpcFatalError(`EVM node ${this.where} does not know ${c.method}: not an Ethereum JSON-RPC endpoint; check the URL.`);
        }
        return new EvmRpcError(`EVM node ${this.where}: ${c.method} failed: ${msg}${code !== undefined ? ` [${code}]` : ""}`, code !== METHOD_NOT_FOUND, c.method, code);
      }
      return r.result as T;
    });
  }
}

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = "***";
      u.password = "";
    }
    // API keys often live in the path (…/v2/<key>): keep only the first segment.
    const seg = u.pathname.split("/").filter(Boolean);
    if (seg.length > 1 || (seg[0] && seg[0].length > 20)) u.pathname = `/${seg[0] && seg[0].length <= 20 ? seg[0] + "/" : ""}***`;
    return u.toString().replace(/\/$/, "");
  } catch {
    return "(invalid URL)";
  }
}

export const hexQ = (n: number | bigint): Hex => `0x${n.toString(16)}`;

// ---------------------------------------------------------------------------------------------------------------
// One range of blocks, everything the adapter verifies and the store writes.

export interface TokenMeta {
  name: string | null;
  symbol: string | null;
  decimals: number | null;
}

export interface FetchedBlock {
  block: RpcBlock;
  receipts: RpcReceipt[];
  uncles: RpcHeader[];
  transfers: TokenTransfer[];
  /** Native balances of the addresses whose last touch in the fetched range is this block (lowercase hex). */
  balances: Map<string, { wei: bigint; height: number }>;
  /** Metadata of token contracts that emitted transfers in this block. */
  tokens: Map<string, TokenMeta>;
}

/** Addresses a block touches, in the order the store allocates ids: per tx from, to, created contract, then
 *  log emitters and token parties in log order. Lowercase hex. */
export function touchedAddresses(block: RpcBlock, receipts: readonly RpcReceipt[], transfers: readonly TokenTransfer[]): string[] {
  const seen = new Set<string>();
  const add = (a: string | null | undefined) => {
    if (a) seen.add(a.toLowerCase());
  };
  const byLog = new Map<number, TokenTransfer[]>();
  for (const t of transfers) {
    const l = byLog.get(t.logIndex);
    if (l) l.push(t);
    else byLog.set(t.logIndex, [t]);
  }
  let pos = 0;
  block.transactions.forEach((tx, i) => {
    const r = receipts[i];
    add(tx.from);
    add(tx.to);
    add(r?.contractAddress ?? null);
    r?.logs.forEach((log) => {
      add(log.address);
      for (const t of byLog.get(logIndexOf(log, pos++)) ?? []) {
        add(t.from);
        add(t.to);
      }
    });
  });
  return [...seen];
}

/** A log's block-wide index: the node's, else its position (receipts' logs concatenated). */
export function logIndexOf(log: RpcLog, fallback: number): number {
  return log.logIndex != null ? Number(log.logIndex) : fallback;
}

const MAX_TOKEN_STRING = 200;
const NAME = "0x06fdde03";
const SYMBOL = "0x95d89b41";
const DECIMALS = "0x313ce567";

export interface FetchRangeOptions {
  /** Token contracts whose metadata is already known (saves three eth_calls each). Updated in place. */
  tokenCache?: Map<string, TokenMeta>;
  /** Per-method support discovered at runtime (shared across calls). */
  support?: { blockReceipts?: boolean };
  /** Called with the blocks as soon as they arrive, before receipts, balances and tokens are read (lets work
   *  that needs only the blocks, like sender recovery, overlap with those requests). */
  onBlocks?: (blocks: RpcBlock[]) => void;
}

export async function fetchEvmRange(rpc: EvmRpc, from: number, to: number, o: FetchRangeOptions = {}): Promise<FetchedBlock[]> {
  const heights = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const blocks = await rpc.batchOrThrow<RpcBlock | null>(heights.map((h) => ({ method: "eth_getBlockByNumber", params: [hexQ(h), true] })));
  blocks.forEach((b, i) => {
    if (!b) throw new EvmRpcError(`EVM node ${rpc.where}: has no block ${heights[i]} (yet); its tip moved back?`, true, "eth_getBlockByNumber");
  });
  const full = blocks as RpcBlock[];
  // Requests first (one turn of the event loop gets them onto the socket), then the caller's work on the blocks
  // while the node answers them.
  const pending = Promise.all([fetchReceipts(rpc, full, o.support ?? {}), fetchUncles(rpc, full)]);
  pending.catch(() => {}); // awaited below; must not count as unhandled if onBlocks throws first
  if (o.onBlocks) {
    await new Promise<void>((r) => setImmediate(r));
    o.onBlocks(full);
  }
  const [receipts, uncles] = await pending;
  const out: FetchedBlock[] = full.map((block, i) => {
    const transfers = decodeTransfers(receipts[i].flatMap((r) => r.logs));
    return { block, receipts: receipts[i], uncles: uncles[i], transfers, balances: new Map(), tokens: new Map() };
  });

  async function readBalances(): Promise<void> {
    // Native balances: each touched address once, at its last touch in the range.
    const last = new Map<string, number>();
    out.forEach((f, i) => {
      for (const a of touchedAddresses(f.block, f.receipts, f.transfers)) last.set(a, i);
    });
    const addrs = [...last.keys()];
    if (addrs.length) {
      const answers = await rpc.batch<Hex>(addrs.map((a) => ({ method: "eth_getBalance", params: [a, hexQ(from + last.get(a)!)] })));
      let latest: { height: number; answers: Map<string, Hex> } | undefined;
      const missing = addrs.filter((_, k) => isStateUnavailable(answers[k]));
      if (missing.length) {
        // A node without the historical state (non-archive, or anvil after a restart): read at its tip instead,
        // and record that height; the summary says where its balance was read.
        const h = Number(await rpc.call<Hex>("eth_blockNumber"));
        const at = await rpc.batchOrThrow<Hex>(missing.map((a) => ({ method: "eth_getBalance", params: [a, hexQ(h)] })));
        latest = { height: h, answers: new Map(missing.map((a, k) => [a, at[k]])) };
      }
      addrs.forEach((a, k) => {
        const i = last.get(a)!;
        const late = latest?.answers.get(a);
        const r = late ?? answers[k];
        if (r instanceof EvmRpcError) throw r;
        out[i].balances.set(a, { wei: BigInt(r), height: late ? latest!.height : from + i });
      });
    }
  }
  const cache = o.tokenCache;
  async function readTokens(): Promise<void> {
    // Token metadata, once per contract (cache), read at the block that first showed it in this range.
    const need = new Map<string, number>();
    out.forEach((f, i) => {
      for (const t of f.transfers) if (t.standard !== 1155 && !cache?.has(t.token) && !need.has(t.token)) need.set(t.token, i);
    });
    if (need.size) {
      const tokens = [...need.keys()];
      const calls = tokens.flatMap((t) => [NAME, SYMBOL, DECIMALS].map((data) => ({ method: "eth_call", params: [{ to: t, data }, hexQ(from + need.get(t)!)] })));
      const res = await rpc.batch<Hex>(calls);
      tokens.forEach((t, k) => {
        const [n, s, d] = res.slice(k * 3, k * 3 + 3);
        // A transport-level problem is retried by rejecting; a revert or odd answer is just "no metadata".
        for (const r of [n, s, d]) if (r instanceof EvmRpcError && r.retryable && r.code === undefined) throw r;
        const meta: TokenMeta = { name: abiString(n), symbol: abiString(s), decimals: abiUint8(d) };
        cache?.set(t, meta);
        if (cache && cache.size > 50_000) cache.delete(cache.keys().next().value!);
      });
    }
  }
  // Balances and token metadata both follow from the receipts alone: read them at once.
  await Promise.all([readBalances(), readTokens()]);
  if (cache) {
    for (const f of out) for (const t of f.transfers) {
      const m = cache.get(t.token);
      if (m && t.standard !== 1155) f.tokens.set(t.token, m);
    }
  }
  return out;
}

async function fetchReceipts(rpc: EvmRpc, blocks: RpcBlock[], support: { blockReceipts?: boolean }): Promise<RpcReceipt[][]> {
  const withTxs = blocks.map((b, i) => [b, i] as const).filter(([b]) => b.transactions.length > 0);
  const out: RpcReceipt[][] = blocks.map(() => []);
  if (!withTxs.length) return out;
  if (support.blockReceipts !== false) {
    // By hash, so a reorg between the two requests cannot pair a block with another block's receipts.
    const res = await rpc.batch<RpcReceipt[] | null>(withTxs.map(([b]) => ({ method: "eth_getBlockReceipts", params: [b.hash] })));
    if (res.some(isMethodUnsupported)) {
      support.blockReceipts = false;
    } else {
      support.blockReceipts = true;
      res.forEach((r, k) => {
        if (r instanceof EvmRpcError) throw r;
        if (!r) throw new EvmRpcError(`EVM node ${rpc.where}: no receipts for block ${withTxs[k][0].hash} (reorged away?)`, true, "eth_getBlockReceipts");
        out[withTxs[k][1]] = r;
      });
      return out;
    }
  }
  const calls = withTxs.flatMap(([b]) => (b.transactions as RpcTransaction[]).map((tx) => ({ method: "eth_getTransactionReceipt", params: [tx.hash] })));
  const res = await rpc.batchOrThrow<RpcReceipt | null>(calls);
  let k = 0;
  for (const [b, i] of withTxs) {
    out[i] = b.transactions.map((tx) => {
      const r = res[k++];
      if (!r) throw new EvmRpcError(`EVM node ${rpc.where}: no receipt for tx ${(tx as RpcTransaction).hash} (reorged away?)`, true, "eth_getTransactionReceipt");
      return r;
    });
  }
  return out;
}

async function fetchUncles(rpc: EvmRpc, blocks: RpcBlock[]): Promise<RpcHeader[][]> {
  const calls: RpcCall[] = [];
  blocks.forEach((b) => (b.uncles ?? []).forEach((_, j) => calls.push({ method: "eth_getUncleByBlockHashAndIndex", params: [b.hash, hexQ(j)] })));
  if (!calls.length) return blocks.map(() => []);
  const res = await rpc.batch<RpcHeader | null>(calls);
  // A node that cannot serve an uncle header (pruned, unsupported) leaves the list short: verification then
  // fails unclesHash (requireUncles) rather than passing a block it could not check. Transport faults retry.
  for (const r of res) if (r instanceof EvmRpcError && r.retryable && r.code === undefined) throw r;
  let k = 0;
  return blocks.map((b) => (b.uncles ?? []).map(() => res[k++]).filter((u): u is RpcHeader => !!u && !(u instanceof EvmRpcError)));
}

/** An ABI-encoded `string`, or a bytes32 (pre-standard tokens like MKR), as stored text: NULs dropped (PostgreSQL
 *  text cannot hold them), invalid UTF-8 replaced, bounded length. Otherwise untouched: the site renders it inert. */
export function abiString(r: Hex | EvmRpcError | undefined): string | null {
  if (typeof r !== "string" || !/^0x[0-9a-fA-F]*$/.test(r)) return null;
  const b = Buffer.from(r.slice(2, r.length - (r.length % 2)), "hex");
  let bytes: Buffer;
  if (b.length === 32) bytes = b;
  else if (b.length >= 64) {
    const off = Number(b.readBigUInt64BE(24));
    if (b.readBigUInt64BE(0) || b.readBigUInt64BE(8) || b.readBigUInt64BE(16) || off + 32 > b.length) return null;
    const len = Number(b.readBigUInt64BE(off + 24));
    if (b.readBigUInt64BE(off) || b.readBigUInt64BE(off + 8) || b.readBigUInt64BE(off + 16) || off + 32 + len > b.length) return null;
    bytes = b.subarray(off + 32, off + 32 + Math.min(len, MAX_TOKEN_STRING * 4));
  } else return null;
  const s = new TextDecoder("utf-8", { fatal: false }).decode(bytes).replace(/\u0000/g, "");
  const bounded = Array.from(s).slice(0, MAX_TOKEN_STRING).join("");
  return bounded.length ? bounded : null;
}

export function abiUint8(r: Hex | EvmRpcError | undefined): number | null {
  if (typeof r !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(r)) return null;
  const n = BigInt(r);
  return n <= 255n ? Number(n) : null;
}

export type { Address };
