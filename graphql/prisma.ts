// One Prisma client per server process, for typed reads (the indexer writes through `postgres`, not Prisma).
// statement_timeout: a GraphQL request that times out must not leave its SQL running.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";

const globalForPrisma = globalThis as unknown as { chainproofPrisma?: PrismaClient };

export function prisma(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the site with `npm start`, which provides it.");
  return (globalForPrisma.chainproofPrisma ??= new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10, statement_timeout: 5_000 }) }));
}
