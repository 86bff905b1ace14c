// Databases indexed from real chain data by the real indexer (registerChains + runChain + the family adapters),
// for tests that read the index back (GraphQL, site):
// - indexBitcoinDemo: the bundled Bitcoin mainnet blocks 0–583 (data/bitcoin) through the blk-directory source;
// - indexBtcdReorg: btcd's reorg files (blk_0_to_4.dat, then blk_3A/4A/5A.dat appear): the side branch wins and
//   the engine's reorg leaves real stale blocks at heights 3 and 4;
// - indexDevnet: an anvil devnet (manual mining, state in a temp dir) with the devnet traffic generator's
//   transactions in every block, indexed through the EVM JSON-RPC adapter.
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type postgres from "postgres";
import { ROOT, type ChainConfig } from "../../indexer/config";
import { startAnvil } from "../../indexer/devnet/anvil";
import { Traffic, type TrafficContracts } from "../../indexer/devnet/traffic";
import type { ChainAdapter, SourceBlock } from "../../indexer/engine/adapter";
import { runChain } from "../../indexer/engine/engine";
import { createBitcoinAdapter } from "../../indexer/sources/bitcoin-adapter";
import { createEvmAdapter } from "../../indexer/sources/evm-adapter";
import { registerChains, type ChainRow } from "../../indexer/store/chains";

export const BITCOIN_DEMO_DIR = path.join(ROOT, "data/bitcoin");
export const BITCOIN_DEMO_TIP = 583;
const BTCD_DIR = path.join(ROOT, "test/fixtures/chaindata/bitcoin/btcd");

export interface IndexLog {
  /** Engine log lines (logfmt). */
  lines?: string[];
}

async function run<B extends SourceBlock>(sql: postgres.Sql, chain: ChainRow, adapter: ChainAdapter<B>, untilHeight: number, o: IndexLog & { batchBlocks?: number }) {
  await runChain({
    sql, chain: { id: chain.id, slug: chain.slug }, adapter, batchBlocks: o.batchBlocks ?? 100, concurrency: 2, pollMs: 20, onInvalid: "stop",
    signal: new AbortController().signal, log: (l) => o.lines?.push(l), untilHeight, retry: { baseMs: 10, capMs: 200 },
    progressOut: { isTTY: false, write: () => true } as never, progressLogEveryMs: 1e9,
  });
}

async function registerOne(sql: postgres.Sql, c: ChainConfig): Promise<ChainRow> {
  const [row] = await registerChains(sql, [c]);
  return row;
}

async function indexBlkDir(sql: postgres.Sql, c: ChainConfig, untilHeight: number, o: IndexLog & { batchBlocks?: number }): Promise<ChainRow> {
  const row = await registerOne(sql, c);
  const adapter = createBitcoinAdapter(c, { chainId: row.id, network: c.network as "mainnet", log: (l) => o.lines?.push(l) });
  try {
    await run(sql, row, adapter, untilHeight, o);
  } finally {
    await adapter.close();
  }
  return row;
}

/** Bitcoin mainnet 0–583 from the bundled blk file, verified and written by the engine. */
export async function indexBitcoinDemo(sql: postgres.Sql, o: { slug: string; name?: string; untilHeight?: number } & IndexLog): Promise<ChainRow> {
  return indexBlkDir(sql, {
    id: o.slug, family: "bitcoin", network: "mainnet", name: o.name ?? "Bitcoin mainnet 0–583 (bundled)", startHeight: 0,
    source: { kind: "bitcoin-blk", dir: BITCOIN_DEMO_DIR },
  }, o.untilHeight ?? BITCOIN_DEMO_TIP, o);
}

export interface ReorgChain {
  chain: ChainRow;
  /** Display hashes of the blocks the reorg left stale, by height (3 and 4). */
  stale: { height: number; hash: string }[];
}

/**
 * btcd's reorg files: blocks 0–4 indexed from blk_0_to_4.dat, then the side branch 3A–5A appears in the directory
 * and the engine follows it to height 5, rolling back 3 and 4 (kept as stale blocks).
 */
export async function indexBtcdReorg(sql: postgres.Sql, o: { slug: string; name?: string } & IndexLog): Promise<ReorgChain> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "chainproof-btcd-"));
  try {
    await copyFile(path.join(BTCD_DIR, "blk_0_to_4.dat"), path.join(dir, "blk_0_to_4.dat"));
    const c: ChainConfig = { id: o.slug, family: "bitcoin", network: "mainnet", name: o.name ?? "btcd reorg test chain", startHeight: 0, source: { kind: "bitcoin-blk", dir } };
    const chain = await indexBlkDir(sql, c, 4, o);
    for (const f of ["blk_3A.dat", "blk_4A.dat", "blk_5A.dat"]) await copyFile(path.join(BTCD_DIR, f), path.join(dir, f));
    await indexBlkDir(sql, c, 5, o);
    const rows = await sql`select height::int as height, encode(hash, 'hex') as hash from block where chain_id = ${chain.id} and stale order by height`;
    const stale = rows.map((r) => ({ height: r.height as number, hash: Buffer.from(r.hash as string, "hex").reverse().toString("hex") }));
    return { chain, stale };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface IndexedDevnet {
  chain: ChainRow;
  rpcUrl: string;
  /** The traffic generator's contracts (token = the ERC-20 "Chainproof Devnet Token"). */
  contracts: TrafficContracts;
  /** Height of the last indexed block (= the node's tip). */
  tip: number;
  stop(): Promise<void>;
}

export interface Devnet {
  rpcUrl: string;
  contracts: TrafficContracts;
  /** The node's tip once the traffic was mined. */
  tip: number;
  /** Registers the chain and indexes it to `tip`. */
  index(sql: postgres.Sql, o: { slug: string; name?: string } & IndexLog): Promise<IndexedDevnet>;
  stop(): Promise<void>;
}

/**
 * anvil with manual mining (a block per traffic round, so `blocks` blocks take a second or two, not `blocks`
 * seconds as the demo's one-block-a-second devnet would; state in a temp dir) and the devnet traffic generator's
 * transactions in every block. Needs no database: start it beside startTestDb, then index() into it.
 */
export async function startDevnetWithTraffic(o: { blocks: number; seed?: number } & IndexLog): Promise<Devnet> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "chainproof-devnet-"));
  const anvil = await startAnvil({ dataDir: path.join(dir, "devnet"), blockTime: "manual", log: (l) => o.lines?.push(l) }).catch(async (e) => {
    await rm(dir, { recursive: true, force: true });
    throw e;
  });
  const stop = async () => {
    await anvil.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const traffic = new Traffic({ rpcUrl: anvil.url, dataDir: path.join(dir, "devnet"), seed: o.seed, log: (l) => o.lines?.push(l) });
    await traffic.generate(o.blocks);
    const tip = Number(await traffic.rpc<string>("eth_blockNumber"));
    const contracts = traffic.contracts!;
    return {
      rpcUrl: anvil.url, contracts, tip, stop,
      async index(sql, x) {
        const c: ChainConfig = { id: x.slug, family: "evm", network: "devnet", name: x.name ?? "EVM devnet (anvil)", startHeight: 0, source: { kind: "evm-devnet" } };
        const chain = await registerOne(sql, c);
        await run(sql, chain, createEvmAdapter(c, { chainId: chain.id, rpcUrl: anvil.url, log: (l) => x.lines?.push(l) }), tip, { ...x, batchBlocks: 50 });
        return { chain, rpcUrl: anvil.url, contracts, tip, stop };
      },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** startDevnetWithTraffic + index: the node stays up for the test to ask it what the index should say. */
export async function indexDevnet(sql: postgres.Sql, o: { slug: string; blocks: number; name?: string; seed?: number } & IndexLog): Promise<IndexedDevnet> {
  const devnet = await startDevnetWithTraffic(o);
  try {
    return await devnet.index(sql, o);
  } catch (e) {
    await devnet.stop();
    throw e;
  }
}
