// The indexer process: one follower per declared chain, all writing to one PostgreSQL.
import postgres from "postgres";
import { ConfigError, loadConfig } from "./config";
import { log, logError } from "./log";
import { registerChains } from "./store/chains";

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError("DATABASE_URL is required for the indexer (npm start provides it)");
  const sql = postgres(config.databaseUrl, { onnotice: () => {}, max: 4 * Math.max(1, config.chains.length) });
  const abort = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => abort.abort());
  try {
    const rows = await registerChains(sql, config.chains);
    log("indexer", `chains: ${rows.map((r) => `${r.slug} (${r.family})`).join(", ") || "none"}`);
    await new Promise<void>((resolve) => abort.signal.addEventListener("abort", () => resolve()));
    return 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    logError("indexer", e instanceof ConfigError ? `configuration error: ${e.message}` : String(e?.stack ?? e));
    process.exit(e instanceof ConfigError ? 2 : 1);
  },
);
