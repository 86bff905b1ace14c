// The test chain over a tiny HTTP JSON-RPC (POST {id, method, params} → {id, result} | {id, error}), and the
// matching HTTP source. Methods: tip, hashAt [height], blocks [from, to].
import http from "node:http";
import type { AddressInfo } from "node:net";
import { bytesToHex, hexToBytes } from "../../../lib/bytes";
import type { TcSource } from "./adapter";
import type { TestChain } from "./chain";
import { fromWire, toWire, type WireBlock } from "./wire";

export interface TestChainServer {
  url: string;
  close(): Promise<void>;
}

export async function serveTestChain(chain: TestChain): Promise<TestChainServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      let id: unknown = null;
      let body: unknown;
      try {
        const call = JSON.parse(Buffer.concat(chunks).toString());
        id = call.id;
        body = { id, result: dispatch(chain, call.method, call.params ?? []) };
      } catch (e) {
        body = { id, error: { code: -32000, message: (e as Error).message } };
      }
      const json = JSON.stringify(body);
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
      res.end(json);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function dispatch(chain: TestChain, method: string, params: number[]): unknown {
  switch (method) {
    case "tip":
      return { height: chain.height, hash: bytesToHex(chain.hashAt(chain.height)) };
    case "hashAt":
      return bytesToHex(chain.hashAt(params[0]));
    case "blocks":
      return chain.blocks(params[0], Math.min(params[1], chain.height)).map(toWire);
    default:
      throw new Error(`unknown method ${method}`);
  }
}

/** Thrown for anything but a well-formed JSON-RPC result: the engine retries it like any node fault. */
export class RpcError extends Error {
  override readonly name = "RpcError";
}

export class HttpSource implements TcSource {
  private nextId = 1;

  constructor(private readonly url: string, private readonly timeoutMs = 5_000) {}

  async tip() {
    const r = await this.call<{ height: number; hash: string }>("tip", []);
    return { height: r.height, hash: hexToBytes(r.hash) };
  }

  async hashAt(height: number) {
    return hexToBytes(await this.call<string>("hashAt", [height]));
  }

  async fetch(from: number, to: number) {
    return (await this.call<WireBlock[]>("blocks", [from, to])).map(fromWire);
  }

  private async call<T>(method: string, params: number[]): Promise<T> {
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: this.nextId++, method, params }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new RpcError(`${method}: HTTP ${res.status}`);
    let body: { result?: T; error?: { message: string } };
    try {
      body = JSON.parse(text);
    } catch {
      throw new RpcError(`${method}: unparsable response (${text.length} bytes)`);
    }
    if (body.error || body.result === undefined) throw new RpcError(`${method}: ${body.error?.message ?? "no result"}`);
    return body.result;
  }
}
