// Settings come from the environment (and optionally a chains file). Everything is validated before anything
// starts: an unknown or malformed setting stops the program with a message that names it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Env = Record<string, string | undefined>;

export type BitcoinNetwork = "mainnet" | "testnet3" | "testnet4" | "signet" | "regtest";

export type ChainSource =
  | { kind: "bitcoin-rpc"; url: string; user?: string; password?: string; cookieFile?: string }
  | { kind: "bitcoin-blk"; dir: string; xorKey?: string }
  | { kind: "evm-rpc"; url: string }
  | { kind: "evm-devnet" };

/** On a large machine V8 lets the heap grow lazily to several GB before collecting; the indexer's live data is a few
 *  batches, so a capped old space bounds its memory. RSS peak on the 2M-tx bench, with the UTXO cache (off the V8
 *  heap) and a batch prepared ahead: 932 MB with 640 MB, 1,013 MB with 768 MB (no slower); on 200k, 941 MB with a
 *  1 GiB old space, 1.5 GB without a cap. Also in package.json's `indexer` script. */
export const INDEXER_NODE_FLAGS = ["--max-old-space-size=640"];

/** Write-transaction size: a batch closes at this many blocks or transactions, whichever comes first. */
export const DEFAULT_BATCH_BLOCKS = 500;
export const DEFAULT_BATCH_TXS = 20_000;

/** ≈ 150 MB of typed arrays when full (76 bytes an entry); the whole UTXO set of the 2M-tx bench chain fits. */
export const DEFAULT_UTXO_CACHE_ENTRIES = 2_000_000;

export interface ChainConfig {
  /** URL-safe id, also the `chain.slug` row. */
  id: string;
  family: "bitcoin" | "evm";
  network: string;
  name: string;
  source: ChainSource;
  /** First height to index (EVM chains may start anywhere; Bitcoin starts at genesis). */
  startHeight: number;
}

export interface Config {
  databaseUrl?: string;
  port: number;
  dataDir: string;
  chains: ChainConfig[];
  batchBlocks: number;
  batchTxs: number;
  pollMs: number;
  onInvalid: "stop" | "retry";
  utxoCacheEntries: number;
}

/** Every setting Chainproof reads, with its default, as documented in the README's configuration table. */
export const SETTINGS = {
  DATABASE_URL: "PostgreSQL to use; unset starts an embedded PostgreSQL in $CHAINPROOF_DATA_DIR/pg",
  PORT: "the site's HTTP port (3000)",
  CHAINPROOF_DATA_DIR: "where embedded PostgreSQL and the devnet keep their state (.data)",
  CHAINPROOF_CHAINS_FILE: "a JSON file declaring chains (overrides the single-chain settings below)",
  CHAINPROOF_BTC_RPC_URL: "Bitcoin Core JSON-RPC URL (unset: the bundled mainnet 0–583 demo chain)",
  CHAINPROOF_BTC_RPC_USER: "Bitcoin Core RPC user",
  CHAINPROOF_BTC_RPC_PASSWORD: "Bitcoin Core RPC password",
  CHAINPROOF_BTC_RPC_COOKIE: "path to Bitcoin Core's .cookie file (instead of user/password)",
  CHAINPROOF_BTC_BLOCKS_DIR: "a Bitcoin Core blocks/ directory of blk*.dat files to import",
  CHAINPROOF_BTC_NETWORK: "mainnet | testnet3 | testnet4 | signet | regtest (mainnet)",
  CHAINPROOF_EVM_RPC_URL: "EVM JSON-RPC URL (unset: a local anvil devnet with generated traffic)",
  CHAINPROOF_EVM_START_HEIGHT: "first EVM block to index (0)",
  CHAINPROOF_DEMO: "on | off: index the demo chains when no source is configured (on)",
  CHAINPROOF_BATCH_BLOCKS: "blocks per write transaction during catch-up (500)",
  CHAINPROOF_BATCH_TXS: "also close a write transaction at this many transactions (20000): bounds indexer memory",
  CHAINPROOF_UTXO_CACHE: "unspent outputs each Bitcoin chain keeps in memory to resolve inputs without a database lookup (2000000, ≈ 150 MB when full; 0: off)",
  CHAINPROOF_POLL_MS: "how often to poll the node at the tip, in ms (1000)",
  CHAINPROOF_ON_INVALID: "stop | retry: what to do with a block that fails verification (stop)",
  CHAINPROOF_GRAPHQL_CACHE: "on | off: keep whole GraphQL answers until a chain's state changes (on)",
} as const;

const BTC_NETWORKS: BitcoinNetwork[] = ["mainnet", "testnet3", "testnet4", "signet", "regtest"];

export function loadConfig(env: Env = process.env): Config {
  for (const key of Object.keys(env)) {
    if (key.startsWith("CHAINPROOF_") && !(key in SETTINGS)) {
      throw new ConfigError(`unknown setting ${key}; known settings: ${Object.keys(SETTINGS).filter((k) => k.startsWith("CHAINPROOF_")).join(", ")}`);
    }
  }
  const dataDir = path.resolve(ROOT, env.CHAINPROOF_DATA_DIR || ".data");
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError(`DATABASE_URL must be a postgres:// URL, got "${databaseUrl}"`);
  const chains = env.CHAINPROOF_CHAINS_FILE ? chainsFromFile(path.resolve(env.CHAINPROOF_CHAINS_FILE)) : chainsFromEnv(env);
  return {
    databaseUrl,
    port: intSetting(env, "PORT", 3000, 1, 65535),
    dataDir,
    chains,
    batchBlocks: intSetting(env, "CHAINPROOF_BATCH_BLOCKS", DEFAULT_BATCH_BLOCKS, 1, 100_000),
    batchTxs: intSetting(env, "CHAINPROOF_BATCH_TXS", DEFAULT_BATCH_TXS, 1, 10_000_000),
    pollMs: intSetting(env, "CHAINPROOF_POLL_MS", 1000, 50, 3_600_000),
    onInvalid: enumSetting(env, "CHAINPROOF_ON_INVALID", ["stop", "retry"] as const, "stop"),
    utxoCacheEntries: intSetting(env, "CHAINPROOF_UTXO_CACHE", DEFAULT_UTXO_CACHE_ENTRIES, 0, 2 ** 28),
  };
}

function chainsFromEnv(env: Env): ChainConfig[] {
  const demo = enumSetting(env, "CHAINPROOF_DEMO", ["on", "off"] as const, "on") === "on";
  const network = enumSetting(env, "CHAINPROOF_BTC_NETWORK", BTC_NETWORKS, "mainnet");
  const chains: ChainConfig[] = [];
  if (env.CHAINPROOF_BTC_RPC_URL && env.CHAINPROOF_BTC_BLOCKS_DIR) {
    throw new ConfigError("set either CHAINPROOF_BTC_RPC_URL or CHAINPROOF_BTC_BLOCKS_DIR, not both (or declare two chains in CHAINPROOF_CHAINS_FILE)");
  }
  if (env.CHAINPROOF_BTC_RPC_URL) {
    chains.push({
      id: `btc-${network}`, family: "bitcoin", network, name: `Bitcoin ${network}`, startHeight: 0,
      source: { kind: "bitcoin-rpc", url: urlSetting(env, "CHAINPROOF_BTC_RPC_URL"), user: env.CHAINPROOF_BTC_RPC_USER, password: env.CHAINPROOF_BTC_RPC_PASSWORD, cookieFile: env.CHAINPROOF_BTC_RPC_COOKIE },
    });
  } else if (env.CHAINPROOF_BTC_BLOCKS_DIR) {
    chains.push({ id: `btc-${network}`, family: "bitcoin", network, name: `Bitcoin ${network}`, startHeight: 0, source: { kind: "bitcoin-blk", dir: path.resolve(env.CHAINPROOF_BTC_BLOCKS_DIR) } });
  } else if (demo) {
    chains.push({ id: "btc-demo", family: "bitcoin", network: "mainnet", name: "Bitcoin mainnet 0–583 (bundled)", startHeight: 0, source: { kind: "bitcoin-blk", dir: path.join(ROOT, "data/bitcoin") } });
  }
  const evmStart = intSetting(env, "CHAINPROOF_EVM_START_HEIGHT", 0, 0, Number.MAX_SAFE_INTEGER);
  if (env.CHAINPROOF_EVM_RPC_URL) {
    chains.push({ id: "evm", family: "evm", network: "custom", name: "EVM", startHeight: evmStart, source: { kind: "evm-rpc", url: urlSetting(env, "CHAINPROOF_EVM_RPC_URL") } });
  } else if (demo) {
    chains.push({ id: "devnet", family: "evm", network: "devnet", name: "EVM devnet (anvil)", startHeight: 0, source: { kind: "evm-devnet" } });
  }
  return chains;
}

function chainsFromFile(file: string): ChainConfig[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConfigError(`CHAINPROOF_CHAINS_FILE ${file}: ${(e as Error).message}`);
  }
  const list = (doc as { chains?: unknown })?.chains;
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError(`CHAINPROOF_CHAINS_FILE ${file}: expected {"chains": [ ... ]} with at least one chain`);
  const seen = new Set<string>();
  return list.map((c: Record<string, unknown>, i: number) => {
    const where = `CHAINPROOF_CHAINS_FILE chains[${i}]`;
    const id = String(c.id ?? "");
    if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(id)) throw new ConfigError(`${where}.id must be lowercase letters, digits and dashes, got "${id}"`);
    if (seen.has(id)) throw new ConfigError(`${where}.id "${id}" is declared twice`);
    seen.add(id);
    const family = c.family;
    if (family !== "bitcoin" && family !== "evm") throw new ConfigError(`${where}.family must be "bitcoin" or "evm"`);
    const network = String(c.network ?? (family === "bitcoin" ? "mainnet" : "custom"));
    if (family === "bitcoin" && !BTC_NETWORKS.includes(network as BitcoinNetwork)) throw new ConfigError(`${where}.network must be one of ${BTC_NETWORKS.join(", ")}`);
    const name = String(c.name ?? id);
    const startHeight = Number(c.startHeight ?? 0);
    if (!Number.isSafeInteger(startHeight) || startHeight < 0 || (family === "bitcoin" && startHeight !== 0)) throw new ConfigError(`${where}.startHeight must be a non-negative integer (0 for Bitcoin)`);
    let source: ChainSource;
    if (typeof c.rpcUrl === "string") {
      checkUrl(c.rpcUrl, `${where}.rpcUrl`);
      source = family === "bitcoin"
        ? { kind: "bitcoin-rpc", url: c.rpcUrl, user: c.rpcUser as string | undefined, password: c.rpcPassword as string | undefined, cookieFile: c.rpcCookie as string | undefined }
        : { kind: "evm-rpc", url: c.rpcUrl };
    } else if (typeof c.blocksDir === "string" && family === "bitcoin") {
      source = { kind: "bitcoin-blk", dir: path.resolve(path.dirname(file), c.blocksDir) };
    } else if (c.devnet === true && family === "evm") {
      source = { kind: "evm-devnet" };
    } else {
      throw new ConfigError(`${where} needs a source: "rpcUrl", or "blocksDir" (bitcoin), or "devnet": true (evm)`);
    }
    return { id, family, network, name, startHeight, source };
  });
}

function intSetting(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(`${key} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function enumSetting<T extends string>(env: Env, key: string, allowed: readonly T[], fallback: T): T {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  if (!allowed.includes(raw as T)) throw new ConfigError(`${key} must be one of ${allowed.join(" | ")}, got "${raw}"`);
  return raw as T;
}

function urlSetting(env: Env, key: string): string {
  return checkUrl(env[key]!, key);
}

function checkUrl(raw: string, what: string): string {
  try {
    const u = new URL(raw);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    throw new ConfigError(`${what} must be an http(s) URL, got "${raw}"`);
  }
  return raw;
}
