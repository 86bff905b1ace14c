// One JSON-RPC POST over node:http(s) with kept-alive sockets. Replaces global fetch (undici) for the EVM source:
// fetch's web streams, Headers and TextDecoder cost ~10 µs of CPU per tx of block data on top of the socket
// work (measured against anvil: 27 vs 17 µs/tx for full blocks), paid again for receipts. Credentials in the URL
// are sent as HTTP Basic auth, which fetch refused outright. Compressed answers are asked for and decoded as fetch
// did (remote providers compress block data several times over; a local node usually answers plain).
import http from "node:http";
import https from "node:https";
import zlib from "node:zlib";

/** The exchange failed before an answer began: `code` is the socket error's (ECONNRESET, ECONNREFUSED…). */
export class HttpSendError extends Error {
  override readonly name = "HttpSendError";
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

/** The answer began but its body did not arrive whole (connection lost, timeout). */
export class HttpBodyError extends Error {
  override readonly name = "HttpBodyError";
}

export interface HttpAnswer {
  status: number;
  text: string;
}

/** Idle sockets are unref'd by node, so an agent never keeps the process alive. */
export function keepAliveAgent(url: string, maxSockets: number): http.Agent {
  const o = { keepAlive: true, maxSockets };
  return isHttps(url) ? new https.Agent(o) : new http.Agent(o);
}

const isHttps = (url: string) => /^https:/i.test(url);

/** POSTs `body` (JSON) and resolves with the status and the whole body as text; `timeoutMs` bounds the whole
 *  exchange, body included. */
export function postJson(url: string, agent: http.Agent, body: string, timeoutMs: number): Promise<HttpAnswer> {
  const request = isHttps(url) ? https.request : http.request;
  return new Promise((resolve, reject) => {
    let answered = false;
    let timedOut = false;
    const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(body), "accept-encoding": "gzip, deflate, br" };
    const req = request(url, { method: "POST", agent, headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let ended = false;
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        ended = true;
        clearTimeout(timer);
        let raw: Buffer;
        try {
          raw = decompress(Buffer.concat(chunks), res.headers["content-encoding"]);
        } catch (e) {
          return reject(new HttpBodyError(`the ${res.headers["content-encoding"]} body does not decompress (${(e as Error).message})`));
        }
        resolve({ status: res.statusCode ?? 0, text: raw.toString("utf8") });
      });
      // A body cut short errors (or just closes) the response; either way the promise settles once.
      const cut = (why: string) => {
        clearTimeout(timer);
        if (!ended) reject(new HttpBodyError(timedOut ? `no complete answer within ${timeoutMs} ms` : why));
      };
      res.on("error", (e) => cut(e.message));
      res.on("close", () => cut("connection closed before the end of the body"));
    });
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!answered) reject(new HttpSendError(timedOut ? `no answer within ${timeoutMs} ms` : e.code ?? e.message, timedOut ? undefined : e.code, timedOut));
    });
    req.end(body);
  });
}

/** The body as sent before its Content-Encoding (none, gzip, deflate or br); anything else is refused. */
function decompress(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? "identity").trim().toLowerCase()) {
    case "identity":
    case "":
      return body;
    case "gzip":
    case "x-gzip":
      return zlib.gunzipSync(body);
    case "deflate":
      return zlib.inflateSync(body);
    case "br":
      return zlib.brotliDecompressSync(body);
    default:
      throw new Error(`unsupported content-encoding ${encoding}`);
  }
}
