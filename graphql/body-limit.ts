// The request body limit (LIMITS.maxBodyBytes) with yoga's errors and statuses, without yoga's per-request stream
// wrapper. yoga's maxRequestBodySize pipes every body through a web TransformStream into a new Request to count its
// bytes; on an uncached tx page that pipe (and its stream teardown) was ~10 % of the server's CPU. A body with a
// valid Content-Length needs no counting: Node's HTTP parser delivers exactly that many bytes, so the header check
// is the whole check. Only a body without one (chunked) is counted, as yoga counts it.
import { createGraphQLError, type Plugin } from "graphql-yoga";

const CONTENT_LENGTH = /^\d+$/; // one non-negative integer: anything else (a list, a sign) is refused, as yoga does

const tooLarge = () => createGraphQLError("Request body too large", { extensions: { http: { status: 413 }, code: "REQUEST_ENTITY_TOO_LARGE" } });
const badLength = () => createGraphQLError("Content-Length header is invalid.", { extensions: { http: { status: 400 }, code: "BAD_REQUEST" } });

/** What a request's Content-Length header says about the limit: refuse, trust (no counting), or count the body. */
export function contentLengthVerdict(header: string | null, limit: number): "invalid" | "too-large" | "within" | "unknown" {
  if (header == null) return "unknown";
  if (!CONTENT_LENGTH.test(header)) return "invalid";
  return Number(header) > limit ? "too-large" : "within";
}

/** A copy of `request` whose body errors with 413 once more than `limit` bytes have been read. */
function countingRequest(request: Request, limit: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  // A platform ReadableStream needs the platform's TransformStream; whatwg-node's ponyfill body needs its own.
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let read = 0;
  const body = request.body!.pipeThrough(new Transform({
    transform(chunk: Uint8Array, controller) {
      read += chunk.byteLength;
      if (read > limit) controller.error(tooLarge());
      else controller.enqueue(chunk);
    },
  }));
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body, duplex: "half" } as RequestInit);
}

/** Use with yoga's `maxRequestBodySize: false`. */
export function bodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const verdict = contentLengthVerdict(request.headers.get("content-length"), limit);
      if (verdict === "invalid") throw badLength();
      if (verdict === "too-large") throw tooLarge();
      if (verdict === "within" || requestParser == null || request.body == null) return;
      const parse = requestParser;
      setRequestParser((req) => parse(countingRequest(req, limit, fetchAPI)));
    },
  };
}
