// Bitcoin Core JSON-RPC client: the few calls the indexer needs, JSON-RPC batching (many calls, one HTTP request),
// user/password or cookie-file auth (the cookie is re-read on 401: Core writes a new one at every start), timeouts.
// Blocks travel as raw hex (getblock <hash> 0), never as verbose JSON.
// Errors are typed; every transport or server fault is retryable (the engine retries), except a rejected
// user/password, which only the operator can fix.
import { readFile } from "node:fs/promises";
import { hexToBytes, reversedBytes } from "../../lib/bytes";
import { FatalEngineError } from "../engine/errors";
import type { RawBlock } from "./bitcoin-block";

export interface BitcoinRpcOptions {
  url: string;
  user?: string;
  password?: string;
  cookieFile?: string;
  /** Per HTTP request. */
  timeoutMs?: number;
  /** Calls per HTTP request when batching (getblock answers can be MBs each). */
  maxBatch?: number;
  /** HTTP requests in flight at once for one batched call list. */
  parallel?: number;
}

/** Core answered a call with an error object. */
export class RpcError extends Error {
  override readonly name = "RpcError";
  constructor(readonly method: string, readonly code: number, readonly rpcMessage: string, where: string) {
    super(`${where}: ${method} failed: ${rpcMessage} (RPC error ${code})`);
  }
}

/** An HTTP status other than 200 with a JSON-RPC body, a body that is not JSON (truncated), or a missing answer. */
export class RpcHttpError extends Error {
  override readonly name = "RpcHttpError";
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Connection refused/reset, DNS, or the request timed out. */
export class RpcTransportError extends Error {
  override readonly name = "RpcTransportError";
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}

/** The node refused our user/password (HTTP 401). */
export class RpcAuthError extends FatalEngineError {
  override readonly name = "RpcAuthError";
}

export interface RpcCall {
  method: string;
  params: unknown[];
}

export interface ChainInfo {
  chain: string;
  blocks: number;
  headers: number;
  bestblockhash: string;
}

export class BitcoinRpcClient {
  private readonly url: string;
  private readonly where: string;
  private auth: string | undefined;
  private nextId = 1;

  constructor(private readonly o: BitcoinRpcOptions) {
    const u = new URL(o.url);
    // Credentials in the URL work too, but never appear in messages.
    if (u.username && !o.user) {
      this.auth = "Basic " + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64");
    }
    u.username = "";
    u.password = "";
    this.url = u.toString();
    this.where = `Bitcoin Core RPC at ${u.host}`;
    if (o.user !== undefined) this.auth = "Basic " + Buffer.from(`${o.user}:${o.password ?? ""}`).toString("base64");
  }

  async call<T>(method: string, ...params: unknown[]): Promise<T> {
    const [r] = await this.batch<T>([{ method, params }]);
    return r;
  }

  /** Every call's result in order; the first failed call throws. Split into HTTP requests of maxBatch calls. */
  async batch<T>(calls: RpcCall[]): Promise<T[]> {
    if (!calls.length) return [];
    const size = this.o.maxBatch ?? 50;
    const parts: RpcCall[][] = [];
    for (let i = 0; i < calls.length; i += size) parts.push(calls.slice(i, i + size));
    const results: T[][] = new Array(parts.length);
    let next = 0;
    const worker = async () => {
      while (next < parts.length) {
        const i = next++;
        results[i] = await this.post<T>(parts[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.parallel ?? 2, parts.length) }, worker));
    return results.flat();
  }

  private async post<T>(calls: RpcCall[]): Promise<T[]> {
    const ids = calls.map(() => this.nextId++);
    const body = JSON.stringify(calls.map((c, i) => ({ jsonrpc: "1.0", id: ids[i], method: c.method, params: c.params })));
    let res = await this.send(body);
    if (res.status === 401 && this.o.cookieFile) {
      await this.readCookie();
      res = await this.send(body);
    }
    if (res.status === 401) {
      const msg = `${this.where} refused the credentials (HTTP 401)`;
      if (this.o.cookieFile) throw new RpcHttpError(401, `${msg} even after re-reading the cookie file ${this.o.cookieFile}; is the node running with that datadir?`);
      throw new RpcAuthError(`${msg}; check the RPC user and password`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw new RpcTransportError(`${this.where}: reading the answer failed: ${(e as Error).message}`, e);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new RpcHttpError(res.status, `${this.where}: HTTP ${res.status} with a body that is not JSON (${text.length} bytes, starts ${JSON.stringify(text.slice(0, 80))}); truncated or not a Bitcoin Core node`);
    }
    // Core answers a batch with an array, and some errors (e.g. a parse error) with a single object.
    const list = Array.isArray(parsed) ? parsed : [parsed];
    const byId = new Map<unknown, { result?: unknown; error?: { code: number; message: string } | null }>();
    for (const r of list) if (r && typeof r === "object") byId.set((r as { id?: unknown }).id, r as never);
    return calls.map((c, i) => {
      const r = byId.get(ids[i]);
      if (!r) {
        const single = !Array.isArray(parsed) ? (parsed as { error?: { code: number; message: string } }).error : undefined;
        if (single) throw new RpcError(c.method, single.code, single.message, this.where);
        throw new RpcHttpError(res.status, `${this.where}: HTTP ${res.status}, the answer has no result for ${c.method} (id ${ids[i]})`);
      }
      if (r.error) throw new RpcError(c.method, r.error.code, r.error.message, this.where);
      if (res.status !== 200) throw new RpcHttpError(res.status, `${this.where}: HTTP ${res.status} for ${c.method}`);
      return r.result as T;
    });
  }

  private async send(body: string): Promise<Response> {
    if (this.auth === undefined && this.o.cookieFile) await this.readCookie();
    const timeoutMs = this.o.timeoutMs ?? 30_000;
    try {
      return await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(this.auth ? { authorization: this.auth } : {}) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      if (err.name === "TimeoutError") throw new RpcTransportError(`${this.where}: no answer within ${timeoutMs} ms`, e);
      throw new RpcTransportError(`${this.where}: ${err.cause?.code ?? err.message}`, e);
    }
  }

  private async readCookie(): Promise<void> {
    let text: string;
    try {
      text = (await readFile(this.o.cookieFile!, "utf8")).trim();
    } catch (e) {
      // The node may be starting (no cookie yet): retryable.
      throw new RpcTransportError(`${this.where}: cannot read the cookie file ${this.o.cookieFile}: ${(e as Error).message}`, e);
    }
    this.auth = "Basic " + Buffer.from(text).toString("base64");
  }

  // ---------------------------------------------------------------- the calls the indexer uses

  getBlockchainInfo(): Promise<ChainInfo> {
    return this.call<ChainInfo>("getblockchaininfo");
  }

  async getBlockHash(height: number): Promise<Uint8Array> {
    return reversedBytes(await this.call<string>("getblockhash", height));
  }

  /** Display-hex hashes of heights from..to (one batch). */
  getBlockHashes(from: number, to: number): Promise<string[]> {
    const calls: RpcCall[] = [];
    for (let h = from; h <= to; h++) calls.push({ method: "getblockhash", params: [h] });
    return this.batch<string>(calls);
  }

  /** Raw blocks of heights from..to: one batch of getblockhash, one of getblock <hash> 0. */
  async getRawBlocks(from: number, to: number): Promise<RawBlock[]> {
    const hashes = await this.getBlockHashes(from, to);
    const hex = await this.batch<string>(hashes.map((h) => ({ method: "getblock", params: [h, 0] })));
    return hex.map((x, i) => {
      if (typeof x !== "string") throw new RpcHttpError(200, `${this.where}: getblock ${hashes[i]} 0 returned ${typeof x}, expected hex`);
      return { height: from + i, raw: hexToBytes(x), claimedHash: hashes[i] };
    });
  }
}

/** The source contract the adapter uses over RPC. */
export class BitcoinRpcSource {
  constructor(readonly client: BitcoinRpcClient) {}

  async tip(): Promise<{ height: number; hash: Uint8Array }> {
    const info = await this.client.getBlockchainInfo();
    return { height: info.blocks, hash: reversedBytes(info.bestblockhash) };
  }

  hashAt(height: number): Promise<Uint8Array> {
    return this.client.getBlockHash(height);
  }

  fetchRaw(from: number, to: number): Promise<RawBlock[]> {
    return this.client.getRawBlocks(from, to);
  }
}
