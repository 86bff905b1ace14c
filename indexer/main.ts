// The indexer process: one follower per declared chain, all writing to one PostgreSQL.
import { connectPostgres } from "./db/client";
import type { NetworkName } from "../lib/bitcoin/network";
import { BlockVerificationError } from "../lib/verify";
import { ConfigError, loadConfig, type ChainConfig, type Config } from "./config";
import { startDevnet, type Devnet } from "./devnet";
import type { ChainAdapter } from "./engine/adapter";
import { runChain } from "./engine/engine";
import { log, logError } from "./log";
import { createBitcoinAdapter } from "./sources/bitcoin-adapter";
import { createEvmAdapter } from "./sources/evm-adapter";
import { registerChains, type ChainRow } from "./store/chains";

/** What main has to stop when it stops. */
interface Follower {
  row: ChainRow;
  adapter: ChainAdapter;
  devnet?: Devnet;
}

async function createFollower(config: Config, c: ChainConfig, row: ChainRow): Promise<Follower> {
  const chainLog = (line: string) => log(c.id, line);
  const s = c.source;
  switch (s.kind) {
    case "bitcoin-rpc":
    case "bitcoin-blk":
      return { row, adapter: createBitcoinAdapter(c, { chainId: row.id, network: c.network as NetworkName, log: chainLog, utxoCacheEntries: config.utxoCacheEntries }) };
    case "evm-rpc":
      return { row, adapter: createEvmAdapter(c, { chainId: row.id, rpcUrl: s.url, log: chainLog }) };
    case "evm-devnet": {
      const devnet = await startDevnet({ dataDir: config.dataDir, log: chainLog });
      log(c.id, `anvil devnet at ${devnet.rpcUrl}, generating traffic`);
      return { row, devnet, adapter: createEvmAdapter(c, { chainId: row.id, rpcUrl: devnet.rpcUrl, log: chainLog }) };
    }
  }
}

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError("DATABASE_URL is required for the indexer (npm start provides it)");
  const sql = connectPostgres(config.databaseUrl, { onnotice: () => {}, max: 4 * Math.max(1, config.chains.length) });
  const abort = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => abort.abort());
  const followers: Follower[] = [];
  try {
    const rows = await registerChains(sql, config.chains);
    log("indexer", `chains: ${rows.map((r) => `${r.slug} (${r.family})`).join(", ") || "none"}`);
    for (const [i, c] of config.chains.entries()) followers.push(await createFollower(config, c, rows[i]));
    const results = await Promise.allSettled(
      followers.map((f) =>
        runChain({
          sql, chain: { id: f.row.id, slug: f.row.slug }, adapter: f.adapter,
          batchBlocks: config.batchBlocks, batchTxs: config.batchTxs, concurrency: 2, pollMs: config.pollMs, onInvalid: config.onInvalid,
          signal: abort.signal, log: (line) => log(f.row.slug, line),
        }),
      ),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    for (const r of failed) {
      const e = r.reason;
      logError("indexer", e instanceof BlockVerificationError ? e.message : String(e?.stack ?? e));
    }
    // Every chain runs until aborted; reaching here without an abort means each one stopped on an error.
    return failed.length > 0 && !abort.signal.aborted ? 1 : 0;
  } finally {
    for (const f of followers) {
      await f.adapter.close?.().catch(() => {});
      await f.devnet?.stop().catch(() => {});
    }
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
