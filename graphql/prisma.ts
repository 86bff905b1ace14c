// One pg pool and one Prisma client on it per server process, for typed reads (the indexer writes through
// `postgres`, not Prisma); the hottest loaders use the pool directly (graphql/sql.ts).
// statement_timeout: a GraphQL request that times out must not leave its SQL running.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client";

const shared = globalThis as unknown as { chainproofPrisma?: PrismaClient; chainproofPool?: pg.Pool; chainproofKeyPool?: pg.Pool };

export function pool(): pg.Pool {
  return (shared.chainproofPool ??= newPool());
}

function newPool(options?: string): pg.Pool {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the site with `npm start`, which provides it.");
  const p = new pg.Pool({ connectionString: url, max: 10, statement_timeout: 5_000, options });
  // An idle connection's error (the server restarted) drops that connection: the next query opens another.
  p.on("error", (e) => console.error(`database connection lost: ${e.message}`));
  return p;
}

/**
 * A second pool for the loaders' key lookups (graphql/sql.ts keyRows), whose sessions always use a prepared
 * statement's generic plan. Why: PostgreSQL re-plans a prepared statement on every run while it estimates the
 * custom plan cheaper, which it does for array keys and for a tx's inputs/outputs joined with their addresses and
 * spenders (~0.5 ms of its CPU per run for the latter, 5× the execution); for lookups by primary or unique key the
 * generic plan is the right one whatever the key. Prisma and the other raw statements (ranges, where a plan for
 * the actual values matters) keep the default on pool().
 */
export function keyPool(): pg.Pool {
  return (shared.chainproofKeyPool ??= newPool("-c plan_cache_mode=force_generic_plan"));
}

export function prisma(): PrismaClient {
  return (shared.chainproofPrisma ??= new PrismaClient({ adapter: new PrismaPg(pool()) }));
}

/** Closes the pools (tests, before they stop their database). */
export async function endPool(): Promise<void> {
  const p = shared.chainproofPool, k = shared.chainproofKeyPool;
  shared.chainproofPool = undefined;
  shared.chainproofKeyPool = undefined;
  await Promise.all([p?.end(), k?.end()]);
}
