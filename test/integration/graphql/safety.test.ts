// Abuse is refused cleanly: a GraphQL error with extensions.code, never HTTP 500, never a stack trace.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BTC, EVM, REORG, startApi, type Api, type GqlResult } from "./harness";

let api: Api;
beforeAll(async () => { api = await startApi(); }, 120_000);
afterAll(async () => { await api?.stop(); });

function refused(r: GqlResult, code: string, message?: RegExp) {
  expect(r.status).not.toBe(500);
  expect(r.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/); // no stack traces or source paths
  expect(r.body.errors?.length, r.text.slice(0, 500)).toBeGreaterThan(0);
  expect(r.body.errors![0].extensions?.code).toBe(code);
  if (message) expect(r.body.errors!.map((e) => e.message).join("\n")).toMatch(message);
}

describe("query shape limits", () => {
  it("refuses a depth bomb", async () => {
    let q = "hash";
    for (let i = 0; i < 30; i++) q = `transactions { edges { node { block { ${q} } } } }`;
    refused(await api.gql(`{ block(chain: "${BTC}", height: 1) { ${q} } }`), "QUERY_TOO_COMPLEX", /depth|cost/i);
  });

  it("refuses 1,000 aliases", async () => {
    const fields = Array.from({ length: 1000 }, (_, i) => `a${i}: chains { id }`).join(" ");
    refused(await api.gql(`{ ${fields} }`), "QUERY_TOO_COMPLEX");
  });

  it("refuses a page of 100,000 with a clear message", async () => {
    const r = await api.gql(`{ blocks(chain: "${BTC}", first: 100000) { edges { cursor } } }`);
    refused(r, "BAD_USER_INPUT", /first must be between 0 and 100/);
    refused(await api.gql(`{ blocks(chain: "${BTC}", last: -1) { edges { cursor } } }`), "BAD_USER_INPUT", /last must be between 0 and 100/);
  });

  it("refuses nested pages whose product is too large, before touching the database", async () => {
    api.statements.reset();
    refused(await api.gql(`{ blocks(chain: "${BTC}", first: 100) { edges { node { transactions(first: 100) { edges { node { hash ... on BitcoinTransaction { inputs { value } outputs { value } } } } } } } } }`), "QUERY_TOO_COMPLEX", /limit/);
    expect(api.statements.count).toBe(0);
  });

  it("refuses a 1 MB query (body limit) with 413", async () => {
    const big = JSON.stringify({ query: `{ chains { id } } # ${"x".repeat(1_000_000)}` });
    const r = await api.post(big);
    expect(r.status).toBe(413);
    refused(r, "REQUEST_ENTITY_TOO_LARGE");
  });

  it("refuses a long token stream under the body limit", async () => {
    refused(await api.gql(`{ ${Array.from({ length: 5000 }, () => "__typename").join(" ")} }`), "QUERY_TOO_COMPLEX", /token/i);
  });

  it("answers malformed requests with 4xx, not 500", async () => {
    const r = await api.post("{not json");
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0].extensions?.code).toBe("BAD_REQUEST");
    const syntax = await api.gql(`{ chains { id `);
    expect(syntax.status).not.toBe(500);
    expect(syntax.body.errors?.[0].extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    const unknownField = await api.gql(`{ chains { idd } }`);
    expect(unknownField.body.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(unknownField.body.errors?.[0].message).not.toMatch(/Did you mean/);
  });

  it("has no mutations to run", async () => {
    const r = await api.gql(`mutation { x }`);
    expect(r.status).not.toBe(500);
    expect(r.body.errors?.[0].message).toMatch(/mutation/i);
  });
});

describe("bad arguments", () => {
  it("unknown chain → NOT_FOUND naming the known ones", async () => {
    refused(await api.gql(`{ block(chain: "dogecoin", height: 1) { hash } }`), "NOT_FOUND", new RegExp(`unknown chain "dogecoin".*${BTC}, ${REORG}, ${EVM}`));
    refused(await api.gql(`{ chain(id: "nope") { id } }`), "NOT_FOUND");
  });

  it("garbage hashes → BAD_USER_INPUT", async () => {
    refused(await api.gql(`{ block(chain: "${BTC}", hash: "zz") { hash } }`), "BAD_USER_INPUT", /64 hex/);
    refused(await api.gql(`{ transaction(chain: "${BTC}", hash: "0x${"a".repeat(63)}") { hash } }`), "BAD_USER_INPUT");
    refused(await api.gql(`{ transaction(chain: "${EVM}", hash: "0x1234") { hash } }`), "BAD_USER_INPUT", /0x \+ 64 hex/);
    refused(await api.gql(`{ block(chain: "${BTC}") { hash } }`), "BAD_USER_INPUT", /exactly one/);
    refused(await api.gql(`{ block(chain: "${BTC}", height: -5) { hash } }`), "BAD_USER_INPUT");
  });

  it("garbage addresses → BAD_USER_INPUT", async () => {
    refused(await api.gql(`{ address(chain: "${BTC}", address: "1BoatSLRHtKNngkdXEeobR76b53LETtpyX") { balance } }`), "BAD_USER_INPUT", /not a valid Bitcoin address/);
    refused(await api.gql(`{ address(chain: "${BTC}", address: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx") { balance } }`), "BAD_USER_INPUT");
    refused(await api.gql(`{ address(chain: "${EVM}", address: "0x123") { balance } }`), "BAD_USER_INPUT", /40 hex/);
    refused(await api.gql(`{ address(chain: "${EVM}", address: "0x5FBdB2315678afecb367f032d93F642f64180aa3") { balance } }`), "BAD_USER_INPUT", /checksum/);
  });

  it("forged cursors → BAD_USER_INPUT", async () => {
    refused(await api.gql(`{ blocks(chain: "${BTC}", after: "bm9wZQ") { edges { cursor } } }`), "BAD_USER_INPUT", /cursor/);
    refused(await api.gql(`{ blocks(chain: "${BTC}", first: 1, before: "x") { edges { cursor } } }`), "BAD_USER_INPUT");
  });
});

describe("timeouts", () => {
  it("stops an operation that runs past the execution timeout", async () => {
    const { LIMITS } = await import("../../../graphql/limits");
    const saved = LIMITS.executionTimeoutMs;
    LIMITS.executionTimeoutMs = 0;
    try {
      refused(await api.gql(`{ blocks(chain: "${BTC}", first: 100) { edges { node { transactions { edges { node { hash } } } } } } }`), "TIMEOUT", /longer than 0 ms/);
    } finally {
      LIMITS.executionTimeoutMs = saved;
    }
  });
});

describe("HTTP surface", () => {
  it("serves GraphiQL to a browser GET", async () => {
    const { yoga } = await import("../../../graphql/yoga");
    const res = await yoga.fetch("http://x/api/graphql", { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/GraphiQL|graphiql/);
  });

  it("answers GET queries too", async () => {
    const { yoga } = await import("../../../graphql/yoga");
    const res = await yoga.fetch(`http://x/api/graphql?query=${encodeURIComponent("{ chains { id } }")}`, { headers: { accept: "application/json" } });
    expect(res.status).toBe(200);
    expect((await res.json()).data.chains.map((c: { id: string }) => c.id)).toEqual([BTC, REORG, EVM]);
  });
});
