// Declared chains become `chain` rows; their small integer ids key every other row.
import type postgres from "postgres";
import type { ChainConfig } from "../config";

export interface ChainRow {
  id: number;
  slug: string;
  family: "bitcoin" | "evm";
}

export async function registerChains(sql: postgres.Sql, chains: ChainConfig[]): Promise<ChainRow[]> {
  const rows: ChainRow[] = [];
  for (const c of chains) {
    const source = describeSource(c);
    // Serialised: two processes registering at once must not pick the same id.
    const [row] = await sql.begin(async (tx) => {
      await tx`lock table chain in share row exclusive mode`;
      const [existing] = await tx`select id, family from chain where slug = ${c.id}`;
      if (existing && existing.family !== c.family) {
        throw new Error(`chain "${c.id}" is already indexed as ${existing.family}; give the ${c.family} chain another id`);
      }
      if (existing) {
        return tx`update chain set name = ${c.name}, network = ${c.network}, source = ${source} where id = ${existing.id} returning id, slug, family`;
      }
      return tx`
        insert into chain (id, slug, family, network, name, source)
        values ((select coalesce(max(id), 0) + 1 from chain), ${c.id}, ${c.family}, ${c.network}, ${c.name}, ${source})
        returning id, slug, family`;
    });
    rows.push({ id: row.id, slug: row.slug, family: row.family });
  }
  return rows;
}

/** What the site may show about a source: never credentials. */
export function describeSource(c: ChainConfig): string {
  const s = c.source;
  switch (s.kind) {
    case "bitcoin-rpc":
    case "evm-rpc": {
      const u = new URL(s.url);
      return `${s.kind === "bitcoin-rpc" ? "Bitcoin Core" : "JSON-RPC"} at ${u.host}`;
    }
    case "bitcoin-blk":
      return "blk*.dat files";
    case "evm-devnet":
      return "local anvil devnet";
  }
}
