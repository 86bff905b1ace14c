// Starts a real embedded PostgreSQL, indexes real chain data into it with the real indexer (test/helpers/indexed.ts:
// Bitcoin mainnet 0–583 as "btc-demo", btcd's reorg files as "btcd-reorg" for real stale blocks, an anvil devnet
// with generated traffic as "devnet", whose node stays up so tests can ask it what the API should answer), and
// serves the yoga instance in-process. Every SQL statement the API
// runs is counted: the Prisma client is created here with query events and installed as the singleton that
// graphql/prisma.ts hands out (it reuses globalThis.chainproofPrisma when set).
import { PrismaPg } from "@prisma/adapter-pg";
import { startTestDb, type TestDb } from "../../helpers/db";
import { indexBitcoinDemo, indexBtcdReorg, startDevnetWithTraffic, type IndexedDevnet, type ReorgChain } from "../../helpers/indexed";
import type { ChainRow } from "../../../indexer/store/chains";
import { expect } from "vitest";

export const BTC = "btc-demo";
export const REORG = "btcd-reorg";
export const EVM = "devnet";
/** Devnet blocks with traffic: enough for every kind of tx the generator sends (contract creation every 10 rounds). */
export const DEVNET_BLOCKS = 12;

export interface Indexed {
  btc: ChainRow;
  reorg: ReorgChain;
  /** null when the test file asked for Bitcoin only. */
  evm: IndexedDevnet | null;
}

export interface GqlResult {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  text: string;
}

export interface Api {
  db: TestDb;
  chains: Indexed;
  gql(query: string, variables?: Record<string, unknown>): Promise<GqlResult>;
  post(body: string | Uint8Array, headers?: Record<string, string>): Promise<GqlResult>;
  /** SQL statements since the last reset. */
  statements: { count: number; log: string[]; reset(): void };
  stop(): Promise<void>;
}

/** A query's data, asserting it answered 200 with no errors (the errors are the failure message). */
export async function expectData(api: Api, query: string, variables?: Record<string, unknown>): Promise<Record<string, any>> {
  const r = await api.gql(query, variables);
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  expect(r.status).toBe(200);
  return r.body.data!;
}

export async function startApi(o: { evm?: boolean } = {}): Promise<Api> {
  // The devnet mines its traffic while PostgreSQL starts.
  const [dbResult, devnetResult] = await Promise.allSettled([startTestDb(), o.evm === false ? null : startDevnetWithTraffic({ blocks: DEVNET_BLOCKS })]);
  const devnet = devnetResult.status === "fulfilled" ? devnetResult.value : null;
  if (dbResult.status === "rejected" || devnetResult.status === "rejected") {
    await devnet?.stop();
    if (dbResult.status === "fulfilled") await dbResult.value.stop();
    throw dbResult.status === "rejected" ? dbResult.reason : (devnetResult as PromiseRejectedResult).reason;
  }
  const db = dbResult.value;
  let chains: Indexed;
  try {
    // Sequential: chain ids (and so the order of chains in answers) follow registration.
    const btc = await indexBitcoinDemo(db.sql, { slug: BTC });
    const reorg = await indexBtcdReorg(db.sql, { slug: REORG });
    const evm = devnet ? await devnet.index(db.sql, { slug: EVM }) : null;
    chains = { btc, reorg, evm };
  } catch (e) {
    await devnet?.stop();
    await db.stop();
    throw e;
  }
  process.env.DATABASE_URL = db.url;
  const { PrismaClient } = await import("../../../generated/prisma/client");
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url, max: 4 }), log: [{ emit: "event", level: "query" }] });
  const statements = { count: 0, log: [] as string[], reset() { this.count = 0; this.log = []; } };
  client.$on("query", (e: { query: string }) => {
    statements.count++;
    statements.log.push(e.query);
  });
  // The hottest loaders run raw SQL on the server's pg pool (graphql/sql.ts): count those statements too.
  (await import("../../../graphql/sql")).onRawQuery((q) => {
    statements.count++;
    statements.log.push(q);
  });
  (globalThis as { chainproofPrisma?: unknown }).chainproofPrisma = client;
  const { yoga } = await import("../../../graphql/yoga");
  const post = async (body: string | Uint8Array, headers: Record<string, string> = {}) => {
    const res = await yoga.fetch("http://x/api/graphql", { method: "POST", headers: { "content-type": "application/json", accept: "application/json", ...headers }, body });
    const text = await res.text();
    let parsed: GqlResult["body"] = {};
    try { parsed = JSON.parse(text); } catch { /* non-JSON answers are asserted on by status */ }
    return { status: res.status, body: parsed, text };
  };
  return {
    db,
    chains,
    post,
    gql: (query, variables) => post(JSON.stringify({ query, variables })),
    statements,
    async stop() {
      await client.$disconnect();
      await (await import("../../../graphql/prisma")).endPool();
      await chains.evm?.stop();
      await db.stop();
    },
  };
}
