// EvmRpc's HTTP transport (evm-http.ts, node:http with kept-alive sockets) against a tiny JSON-RPC server, directly
// and through the faulty proxy: every transport fault is a retryable EvmRpcError with its cause in the message,
// refused credentials are fatal, a kept-alive socket the server closed is resent once, and URL credentials go out
// as Basic auth.
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EvmRpc, EvmRpcError, EvmRpcFatalError } from "../../../indexer/sources/evm-rpc";
import { startFaultyProxy, type FaultRates } from "../../helpers/faulty-proxy";

let server: http.Server;
let url: string;
const auth: (string | undefined)[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      auth.push(req.headers.authorization);
      if (req.url === "/deny") return void res.writeHead(401).end("no");
      const q = JSON.parse(Buffer.concat(chunks).toString());
      const answer = (x: { id: number; method: string; params: unknown[] }) =>
        x.method === "echo" ? { jsonrpc: "2.0", id: x.id, result: x.params[0] } : { jsonrpc: "2.0", id: x.id, error: { code: -32601, message: "method not found" } };
      const text = JSON.stringify(Array.isArray(q) ? q.map(answer) : answer(q));
      // /gzip and /br compress when the client accepts it, as remote providers do; /bad claims gzip and is not.
      const accepts = String(req.headers["accept-encoding"] ?? "");
      if (req.url === "/gzip" && accepts.includes("gzip")) return void res.writeHead(200, { "content-encoding": "gzip" }).end(zlib.gzipSync(text));
      if (req.url === "/br" && accepts.includes("br")) return void res.writeHead(200, { "content-encoding": "br" }).end(zlib.brotliCompressSync(text));
      if (req.url === "/bad") return void res.writeHead(200, { "content-encoding": "gzip" }).end(text);
      res.writeHead(200, { "content-type": "application/json" }).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe("EvmRpc over node:http", () => {
  it("answers single calls and batches in order, with per-call errors", async () => {
    const rpc = new EvmRpc({ url, batchSize: 3 });
    expect(await rpc.call("echo", ["x"])).toBe("x");
    const big = "é".repeat(100_000); // UTF-8 across many chunks
    const out = await rpc.batch([...Array.from({ length: 7 }, (_, i) => ({ method: "echo", params: [i === 5 ? big : i] })), { method: "nope", params: [] }]);
    expect(out.slice(0, 7)).toEqual([0, 1, 2, 3, 4, big, 6]);
    expect(out[7]).toBeInstanceOf(EvmRpcError);
    expect((out[7] as EvmRpcError).retryable).toBe(false);
  });

  it("asks for compressed answers and decodes gzip and br; a body that does not decompress is retryable", async () => {
    for (const path of ["/gzip", "/br"]) expect(await new EvmRpc({ url: `${url}${path}` }).batch([{ method: "echo", params: ["a".repeat(10_000)] }])).toEqual(["a".repeat(10_000)]);
    const e = await failure(new EvmRpc({ url: `${url}/bad` }).call("echo", [1]));
    expect((e as EvmRpcError).retryable).toBe(true);
    expect((e as Error).message).toMatch(/cut off \(the gzip body does not decompress/);
  });

  it("resends once on a kept-alive socket the server closed", async () => {
    const rpc = new EvmRpc({ url });
    expect(await rpc.call("echo", [1])).toBe(1);
    server.closeIdleConnections();
    await new Promise((r) => setTimeout(r, 20));
    expect(await rpc.call("echo", [2])).toBe(2);
  });

  it("sends URL credentials as Basic auth; refused credentials are fatal", async () => {
    const withCreds = url.replace("http://", "http://alice:s3cret@");
    expect(await new EvmRpc({ url: withCreds }).call("echo", [1])).toBe(1);
    expect(auth.at(-1)).toBe(`Basic ${Buffer.from("alice:s3cret").toString("base64")}`);
    const e = await failure(new EvmRpc({ url: `${withCreds}/deny` }).call("echo", [1]));
    expect(e).toBeInstanceOf(EvmRpcFatalError);
    expect(String(e)).not.toContain("s3cret");
  });

  it("a refused connection and a node that does not answer in time are retryable errors", async () => {
    const refused = await failure(new EvmRpc({ url: "http://127.0.0.1:9" }).call("echo", [1]));
    expect(refused).toBeInstanceOf(EvmRpcError);
    expect((refused as EvmRpcError).retryable).toBe(true);
    expect((refused as Error).message).toMatch(/failed: ECONNREFUSED/);

    const proxy = await startFaultyProxy(url, { delay: 1, maxDelayMs: 1 }, 3);
    const slow = http.createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    try {
      const e = await failure(new EvmRpc({ url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, timeoutMs: 150 }).call("echo", [1]));
      expect((e as EvmRpcError).retryable).toBe(true);
      expect((e as Error).message).toMatch(/no answer within 150 ms/);
      expect(await new EvmRpc({ url: proxy.url }).call("echo", [3])).toBe(3);
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((r) => slow.close(() => r()));
      await proxy.close();
    }
  });

  const faults: [string, FaultRates, RegExp][] = [
    ["a dropped connection", { drop: 1 }, /failed: (ECONNRESET|socket hang up)/],
    ["an HTTP 500 page", { error500: 1 }, /HTTP 500, not JSON/],
    ["a body cut short", { truncate: 1 }, /cut off|not JSON/],
  ];
  for (const [name, rates, message] of faults) {
    it(`${name} is a retryable error`, async () => {
      const proxy = await startFaultyProxy(url, rates, 7);
      try {
        const rpc = new EvmRpc({ url: proxy.url });
        for (let i = 0; i < 6; i++) {
          const e = await failure(rpc.batch([{ method: "echo", params: ["x".repeat(50_000)] }, { method: "echo", params: [i] }]));
          expect(e).toBeInstanceOf(EvmRpcError);
          expect((e as EvmRpcError).retryable).toBe(true);
          expect((e as Error).message).toMatch(message);
        }
      } finally {
        await proxy.close();
      }
    });
  }
});
