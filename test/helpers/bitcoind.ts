// A small Bitcoin Core-compatible JSON-RPC server for tests: serves real blocks over HTTP on 127.0.0.1 with basic
// auth (user/password, and Core's cookie file), JSON-RPC batching, and the calls the indexer and tests use:
// getblockchaininfo, getblockcount, getbestblockhash, getblockhash, getblock <hash> 0|1, getblockheader.
// It can switch the active chain (reorg tests), serve a tampered copy of a block, and inject HTTP faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { parseBlock, txidHex, blockHashHex } from "../../lib/bitcoin/codec";
import { bytesToHex, reversedHex } from "../../lib/bytes";
import { sha256d } from "../../lib/bitcoin/hash";

export type Fault = "http500" | "truncate" | "hang" | "notjson";

export interface FakeBitcoindOptions {
  /** Active chain, raw blocks from genesis. */
  blocks: Uint8Array[];
  user?: string;
  password?: string;
  /** Core's network name in getblockchaininfo ("main", "regtest", ...). */
  chain?: string;
}

interface Served {
  raw: Uint8Array;
  /** Display hash the block is served under. */
  hash: string;
}

export class FakeBitcoind {
  readonly user: string;
  readonly password: string;
  cookieFile = "";
  url = "";
  /** HTTP requests and RPC calls received (tests check batching). */
  requests = 0;
  calls: string[] = [];
  private server!: Server;
  private dir = "";
  private cookie = "";
  private chain: Served[] = [];
  /** Every block ever served, by display hash (stale blocks stay reachable, as in Core). */
  private byHash = new Map<string, Uint8Array>();
  private tampered = new Map<string, Uint8Array>();
  private faults: Fault[] = [];

  constructor(private readonly o: FakeBitcoindOptions) {
    this.user = o.user ?? "rpcuser";
    this.password = o.password ?? "rpcpass";
    this.setChain(o.blocks);
  }

  async start(): Promise<this> {
    this.dir = await mkdtemp(path.join(os.tmpdir(), "fake-bitcoind-"));
    this.cookieFile = path.join(this.dir, ".cookie");
    await this.rotateCookie();
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }

  /** A new cookie, as Core writes at every start: clients holding the old one get 401 until they re-read it. */
  async rotateCookie(): Promise<void> {
    this.cookie = `__cookie__:${randomBytes(32).toString("hex")}`;
    await writeFile(this.cookieFile, this.cookie);
  }

  /** Replaces the active chain (a reorg when it shares a prefix with the old one). */
  setChain(blocks: Uint8Array[]): void {
    this.chain = blocks.map((raw) => {
      const hash = reversedHex(sha256d(raw.subarray(0, 80)));
      this.byHash.set(hash, raw);
      return { raw, hash };
    });
  }

  get height(): number {
    return this.chain.length - 1;
  }

  hashAt(height: number): string {
    return this.chain[height].hash;
  }

  /** getblock for the block at `height` returns `bytes`. With `claim`, the node also names the tampered block by its
   *  own header hash (getblockhash, best block), as a node that believes in it would. */
  tamper(height: number, bytes: Uint8Array, opts: { claim?: boolean } = {}): void {
    const entry = this.chain[height];
    if (opts.claim) {
      const hash = reversedHex(sha256d(bytes.subarray(0, 80)));
      this.chain[height] = { raw: bytes, hash };
      this.byHash.set(hash, bytes);
    } else {
      this.tampered.set(entry.hash, bytes);
    }
  }

  clearTampering(): void {
    this.tampered.clear();
  }

  /** The next HTTP requests fail this way, one fault per request. */
  injectFaults(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  private authorized(req: IncomingMessage): boolean {
    const h = req.headers.authorization ?? "";
    if (!h.startsWith("Basic ")) return false;
    const cred = Buffer.from(h.slice(6), "base64").toString();
    return cred === `${this.user}:${this.password}` || cred === this.cookie;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (!this.authorized(req)) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="jsonrpc"' }).end();
      return;
    }
    const fault = this.faults.shift();
    if (fault === "hang") return; // never answers; the client's timeout fires
    if (fault === "http500") {
      res.writeHead(500, { "content-type": "text/html" }).end("<html>Internal Server Error</html>");
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString());
    } catch {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ result: null, error: { code: -32700, message: "Parse error" }, id: null }));
      return;
    }
    const batch = Array.isArray(body);
    const answers = ((batch ? body : [body]) as Array<{ method: string; params?: unknown[]; id: unknown }>).map((r: { method: string; params?: unknown[]; id: unknown }) => {
      this.calls.push(r.method);
      try {
        return { result: this.dispatch(r.method, r.params ?? []), error: null, id: r.id };
      } catch (e) {
        const err = e as { code?: number; message: string };
        return { result: null, error: { code: err.code ?? -1, message: err.message }, id: r.id };
      }
    });
    let text = JSON.stringify(batch ? answers : answers[0]);
    if (fault === "truncate") text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    if (fault === "notjson") text = "<html>proxy error</html>";
    // Core answers a single failed call with HTTP 500 (404 for method not found); a batch always with 200.
    const status = !batch && answers[0].error ? (answers[0].error.code === -32601 ? 404 : 500) : 200;
    res.writeHead(status, { "content-type": "application/json" }).end(text);
  }

  private dispatch(method: string, params: unknown[]): unknown {
    const tip = this.chain[this.chain.length - 1];
    switch (method) {
      case "getblockchaininfo":
        return { chain: this.o.chain ?? "main", blocks: this.height, headers: this.height, bestblockhash: tip.hash, initialblockdownload: false, pruned: false };
      case "getblockcount":
        return this.height;
      case "getbestblockhash":
        return tip.hash;
      case "getblockhash": {
        const h = params[0];
        if (typeof h !== "number" || !Number.isInteger(h)) throw rpcErr(-1, "JSON value of type string is not of expected type number");
        if (h < 0 || h > this.height) throw rpcErr(-8, "Block height out of range");
        return this.chain[h].hash;
      }
      case "getblock": {
        const [hash, verbosity = 1] = params as [string, number | boolean | undefined];
        const raw = this.lookup(hash);
        if (verbosity === 0 || verbosity === false) return bytesToHex(raw);
        const b = parseBlock(raw);
        return { ...this.headerJson(hash, raw), size: raw.length, tx: b.txs.map(txidHex), nTx: b.txs.length };
      }
      case "getblockheader": {
        const [hash, verbose = true] = params as [string, boolean | undefined];
        const raw = this.lookup(hash);
        if (!verbose) return bytesToHex(raw.subarray(0, 80));
        return this.headerJson(hash, raw);
      }
      default:
        throw rpcErr(-32601, "Method not found");
    }
  }

  private lookup(hash: unknown): Uint8Array {
    if (typeof hash !== "string" || !/^[0-9a-f]{64}$/i.test(hash)) throw rpcErr(-8, "blockhash must be of length 64 (not 0, for '')");
    const h = hash.toLowerCase();
    const raw = this.tampered.get(h) ?? this.byHash.get(h);
    if (!raw) throw rpcErr(-5, "Block not found");
    return raw;
  }

  private headerJson(hash: string, raw: Uint8Array) {
    const hdr = parseBlock(raw).header;
    const height = this.chain.findIndex((c) => c.hash === hash.toLowerCase());
    return {
      hash: blockHashHex(hdr), confirmations: height >= 0 ? this.height - height + 1 : -1, height: height >= 0 ? height : undefined,
      version: hdr.version, merkleroot: reversedHex(hdr.merkleRoot), time: hdr.time, nonce: hdr.nonce,
      bits: hdr.bits.toString(16).padStart(8, "0"), previousblockhash: reversedHex(hdr.prevHash),
      nextblockhash: height >= 0 && height < this.height ? this.chain[height + 1].hash : undefined,
    };
  }
}

function rpcErr(code: number, message: string): Error & { code: number } {
  return Object.assign(new Error(message), { code });
}
