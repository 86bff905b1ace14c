// Starts a real embedded PostgreSQL, seeds it, and serves the yoga instance in-process. Every SQL statement the API
// runs is counted: the Prisma client is created here with query events and installed as the singleton that
// graphql/prisma.ts hands out (it reuses globalThis.chainproofPrisma when set).
import { PrismaPg } from "@prisma/adapter-pg";
import { startTestDb, type TestDb } from "../../helpers/db";
import { seedGraphql, type SeedInfo } from "../../helpers/seed-graphql";

export interface GqlResult {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  text: string;
}

export interface Api {
  db: TestDb;
  seed: SeedInfo;
  gql(query: string, variables?: Record<string, unknown>): Promise<GqlResult>;
  post(body: string | Uint8Array, headers?: Record<string, string>): Promise<GqlResult>;
  /** SQL statements since the last reset. */
  statements: { count: number; log: string[]; reset(): void };
  stop(): Promise<void>;
}

export async function startApi(): Promise<Api> {
  const db = await startTestDb();
  const seed = await seedGraphql(db.sql);
  process.env.DATABASE_URL = db.url;
  const { PrismaClient } = await import("../../../generated/prisma/client");
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url, max: 4 }), log: [{ emit: "event", level: "query" }] });
  const statements = { count: 0, log: [] as string[], reset() { this.count = 0; this.log = []; } };
  client.$on("query", (e: { query: string }) => {
    statements.count++;
    statements.log.push(e.query);
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
    seed,
    post,
    gql: (query, variables) => post(JSON.stringify({ query, variables })),
    statements,
    async stop() {
      await client.$disconnect();
      await db.stop();
    },
  };
}
