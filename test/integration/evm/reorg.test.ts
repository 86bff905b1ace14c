// Reorgs of depth 1 and 20 forced on anvil (anvil_reorg) while the engine follows it: afterwards the index equals
// the node's new chain and a clean index of it (ids included), and the orphaned blocks are recorded stale.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres } from "../../../indexer/db/client";
import { startTestDb, type TestDb } from "../../helpers/db";
import { startAnvil, type Anvil } from "../../../indexer/devnet/anvil";
import { Traffic } from "../../../indexer/devnet/traffic";
import { createEvmAdapter } from "../../../indexer/sources/evm-adapter";
import { EvmRpc, hexQ } from "../../../indexer/sources/evm-rpc";
import type { RpcBlock } from "../../../lib/evm/types";
import { expectKeptExact } from "../analytics/periods";
import { balances, compareWithNode, dbTip, evmChecksums, registerEvmChain, run, waitFor } from "./helpers";

const CHAIN = 32;
const COINBASE = "0x0000000000000000000000000000000000000000";

let db: TestDb;
let anvil: Anvil;
let traffic: Traffic;
let rpc: EvmRpc;

beforeAll(async () => {
  [db, anvil] = await Promise.all([startTestDb(), startAnvil({ blockTime: "manual" })]);
  traffic = new Traffic({ rpcUrl: anvil.url, seed: 11 });
  rpc = new EvmRpc({ url: anvil.url });
  await traffic.generate(40);
});

afterAll(async () => {
  await anvil?.stop();
  await db?.stop();
});

async function nodeTip(): Promise<RpcBlock> {
  return (await rpc.call<RpcBlock>("eth_getBlockByNumber", ["latest", false]))!;
}

async function hashesAbove(n: number, to: number): Promise<string[]> {
  const bs = await rpc.batchOrThrow<RpcBlock>(Array.from({ length: to - n }, (_, i) => ({ method: "eth_getBlockByNumber", params: [hexQ(n + 1 + i), false] })));
  return bs.map((b) => b.hash);
}

async function synced(): Promise<void> {
  await waitFor("the index to reach the node's tip", async () => {
    const [t, ours] = await Promise.all([nodeTip(), dbTip(db.sql, CHAIN)]);
    return ours?.hash === t.hash;
  });
}

async function reorg(depth: number): Promise<string[]> {
  const tip = Number((await nodeTip()).number);
  const orphaned = await hashesAbove(tip - depth, tip);
  await rpc.call("anvil_reorg", [depth, []]);
  await traffic.syncNonces();
  const now = await hashesAbove(tip - depth, tip);
  expect(now.filter((h) => orphaned.includes(h))).toEqual([]);
  return orphaned;
}

describe("EVM reorgs while following anvil", () => {
  it("rolls back depth 1 and depth 20 and ends equal to the node and to a clean index", async () => {
    await registerEvmChain(db.sql, CHAIN, "reorg");
    const adapter = createEvmAdapter({ startHeight: 0 }, { chainId: CHAIN, rpcUrl: anvil.url, checkSenders: false });
    const stop = new AbortController();
    const lines: string[] = [];
    const following = run({ sql: db.sql, chainId: CHAIN, adapter, signal: stop.signal, batchBlocks: 16, lines });
    try {
      await synced();

      const orphan1 = await reorg(1);
      await synced();
      await traffic.generate(8);
      await synced();

      const orphan20 = await reorg(20);
      await traffic.generate(5); // the new branch grows past the old tip
      await synced();

      const stale = await db.sql`select '0x' || encode(hash, 'hex') as h from block where chain_id = ${CHAIN} and stale`;
      expect(stale.map((r) => r.h).sort()).toEqual([...orphan1, ...orphan20].sort());
      expect(lines.filter((l) => l.includes("reorg: rolled back")).length).toBeGreaterThanOrEqual(2);
    } finally {
      stop.abort();
      await following;
    }
    await compareWithNode(db.sql, CHAIN, anvil.url, { coinbase: COINBASE });
    // The open week's and month's active counts forgot the orphaned blocks' addresses.
    expect((await expectKeptExact(db.sql, CHAIN)).some((p) => !p.closed)).toBe(true);

    // A clean index of the same chain, in another database, is the same index.
    const cleanUrl = await db.createDatabase("evm_clean");
    const clean = connectPostgres(cleanUrl, { onnotice: () => {}, max: 2 });
    try {
      await registerEvmChain(clean, CHAIN, "reorg");
      const tip = (await dbTip(db.sql, CHAIN))!;
      await run({ sql: clean, chainId: CHAIN, adapter: createEvmAdapter({ startHeight: 0 }, { chainId: CHAIN, rpcUrl: anvil.url, checkSenders: false }), untilHeight: tip.height, batchBlocks: 7 });
      expect(await evmChecksums(db.sql, CHAIN)).toEqual(await evmChecksums(clean, CHAIN));
      expect(await balances(db.sql, CHAIN, COINBASE)).toEqual(await balances(clean, CHAIN, COINBASE));
    } finally {
      await clean.end({ timeout: 1 });
    }
  });
});
