// One pg pool and one Prisma client on it per server process, for typed reads (the indexer writes through
// `postgres`, not Prisma); the hottest loaders use the pool directly (graphql/sql.ts).
// statement_timeout: a GraphQL request that times out must not leave its SQL running.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client";

const shared = globalThis as unknown as { chainproofPrisma?: PrismaClient; chainproofPool?: pg.Pool };

export function pool(): pg.Pool {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the site with `npm start`, which provides it.");
  if (!shared.chainproofPool) {
    shared.chainproofPool = new pg.Pool({ connectionString: url, max: 10, statement_timeout: 5_000 });
    // An idle connection's error (the server restarted) drops that connection: the next query opens another.
    shared.chainproofPool.on("error", (e) => console.error(`database connection lost: ${e.message}`));
  }
  return shared.chainproofPool;
}

export function prisma(): PrismaClient {
  return (shared.chainproofPrisma ??= new PrismaClient({ adapter: new PrismaPg(pool()) }));
}

/** Closes the pool (tests, before they stop their database). */
export async function endPool(): Promise<void> {
  const p = shared.chainproofPool;
  shared.chainproofPool = undefined;
  await p?.end();
}
