// The body limit over real node:http: a Content-Length is checked from the header alone, a chunked body is counted,
// and both refuse with yoga's own errors and statuses.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createSchema, createYoga } from "graphql-yoga";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyLimit, contentLengthVerdict } from "../../../graphql/body-limit";

const LIMIT = 1_000;

describe("contentLengthVerdict", () => {
  it("trusts a valid length within the limit and refuses the rest", () => {
    expect(contentLengthVerdict("120", LIMIT)).toBe("within");
    expect(contentLengthVerdict(String(LIMIT), LIMIT)).toBe("within");
    expect(contentLengthVerdict(String(LIMIT + 1), LIMIT)).toBe("too-large");
    for (const bad of ["", "-1", "1,1", "12 ", "0x10", "1e3"]) expect(contentLengthVerdict(bad, LIMIT)).toBe("invalid");
    expect(contentLengthVerdict(null, LIMIT)).toBe("unknown");
  });
});

describe("bodyLimit on node:http", () => {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: "type Query { echo(s: String!): Int! }", resolvers: { Query: { echo: (_: unknown, a: { s: string }) => a.s.length } } }),
    maxRequestBodySize: false,
    plugins: [bodyLimit(LIMIT)],
  });
  const server = http.createServer(yoga);
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // (A malformed Content-Length never gets this far on node:http: its parser refuses the request itself.)
  /** POSTs `body` in one write with its Content-Length, or chunked in 100-byte pieces. */
  const post = (body: string, o: { chunked?: boolean } = {}) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
      if (!o.chunked) headers["content-length"] = String(Buffer.byteLength(body));
      const req = http.request({ host: "127.0.0.1", port, path: "/graphql", method: "POST", headers }, (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on("error", reject);
      if (o.chunked) for (let i = 0; i < body.length; i += 100) req.write(body.slice(i, i + 100));
      req.end(o.chunked ? undefined : body);
    });
  const query = (n: number) => JSON.stringify({ query: "query($s: String!) { echo(s: $s) }", variables: { s: "x".repeat(n) } });

  it("answers bodies within the limit, with or without a Content-Length", async () => {
    expect(await post(query(500))).toEqual({ status: 200, body: { data: { echo: 500 } } });
    expect(await post(query(500), { chunked: true })).toEqual({ status: 200, body: { data: { echo: 500 } } });
  });

  it("refuses a body over the limit with 413 REQUEST_ENTITY_TOO_LARGE, from its header or by counting a chunked one", async () => {
    for (const r of [await post(query(2_000)), await post(query(2_000), { chunked: true })]) {
      expect(r.status).toBe(413);
      expect(r.body.errors[0]).toMatchObject({ message: "Request body too large", extensions: { code: "REQUEST_ENTITY_TOO_LARGE" } });
    }
  });
});
