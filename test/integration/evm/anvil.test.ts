// Index ~200 blocks of generated devnet traffic from a real anvil into a real PostgreSQL through the engine, then
// compare every block, tx, log, transfer and balance with what the node answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDb, type TestDb } from "../../helpers/db";
import { startAnvil, type Anvil } from "../../../indexer/devnet/anvil";
import { Traffic, XSS_TOKEN_NAME } from "../../../indexer/devnet/traffic";
import { createEvmAdapter } from "../../../indexer/sources/evm-adapter";
import { recoverSenders } from "../../../indexer/sources/evm-senders";
import { encodeTransaction, txType } from "../../../lib/evm/tx";
import { toHex } from "../../../lib/evm/fields";
import type { RpcTransaction } from "../../../lib/evm/types";
import { recoverTransactionAddress } from "viem";
import { expectKeptExact } from "../analytics/periods";
import { writeEvmMetricsFromTables } from "../../../indexer/store/analytics";
import { compareTokenBalances, compareWithNode, registerEvmChain, run } from "./helpers";

const BLOCKS = 200;
const CHAIN = 31;

let db: TestDb;
let anvil: Anvil;
let traffic: Traffic;

beforeAll(async () => {
  [db, anvil] = await Promise.all([startTestDb(), startAnvil({ blockTime: "manual" })]);
  traffic = new Traffic({ rpcUrl: anvil.url });
  await traffic.generate(BLOCKS);
});

afterAll(async () => {
  await anvil?.stop();
  await db?.stop();
});

describe("EVM adapter against anvil", () => {
  it("indexes generated traffic and matches the node row for row", async () => {
    await registerEvmChain(db.sql, CHAIN, "anvil");
    // Senders checked too (the default): every type anvil takes (0, 1, 2, 4) through libsecp256k1 recovery.
    const adapter = createEvmAdapter({ startHeight: 0 }, { chainId: CHAIN, rpcUrl: anvil.url });
    const t0 = performance.now();
    await run({ sql: db.sql, chainId: CHAIN, adapter, untilHeight: BLOCKS });
    const secs = (performance.now() - t0) / 1000;

    const r = await compareWithNode(db.sql, CHAIN, anvil.url, { coinbase: "0x0000000000000000000000000000000000000000" });
    expect(r.blocks).toBe(BLOCKS + 1);
    const [unchecked] = await db.sql`select count(*)::int as n from block where chain_id = ${CHAIN} and tx_count > 0 and not ('txSenders' = any(checks))`;
    expect(unchecked.n).toBe(0);
    expect(r.txs).toBeGreaterThan(BLOCKS * 8);
    expect(r.transfers).toBeGreaterThan(BLOCKS * 4);
    console.log(`indexed ${r.blocks} blocks, ${r.txs} txs, ${r.logs} logs, ${r.transfers} transfers, ${r.addresses} addresses in ${secs.toFixed(1)} s ` +
      `(${(r.blocks / secs).toFixed(0)} blocks/s, ${(r.txs / secs).toFixed(0)} tx/s)`);

    // Every tx type the generator sends, reverted calls, contract creations.
    const types = await db.sql`select type, count(*)::int as n from evm_tx where chain_id = ${CHAIN} group by type order by type`;
    expect(types.map((t) => t.type)).toEqual([0, 1, 2, 4]); // anvil (1.7) accepts EIP-7702
    const [s] = await db.sql`
      select count(*) filter (where status = 0)::int as reverted, count(contract_created_id)::int as created from evm_tx where chain_id = ${CHAIN}`;
    expect(s.reverted).toBeGreaterThanOrEqual(BLOCKS - 1);
    expect(s.created).toBeGreaterThanOrEqual(5 + Math.floor(BLOCKS / 10) - 1);
    const std = await db.sql`select standard, count(*)::int as n, count(distinct batch_index)::int as b from evm_token_transfer where chain_id = ${CHAIN} group by standard order by standard`;
    expect(std.map((x) => x.standard)).toEqual([20, 721, 1155]);
    expect(std[2].b).toBeGreaterThan(1); // TransferBatch rows

    // Token metadata as the chain says it, hostile markup included; contract flags; history roles.
    const tokens = await db.sql`
      select encode(address, 'hex') as a, token_name, token_symbol, token_decimals, is_contract from evm_address
      where chain_id = ${CHAIN} and token_name is not null order by id`;
    expect(tokens.map((t) => [`0x${t.a}`, t.token_name, t.token_symbol, t.token_decimals, t.is_contract])).toEqual([
      [traffic.contracts!.token.toLowerCase(), "Chainproof Devnet Token", "CPT", 18, true],
      [traffic.contracts!.xssToken.toLowerCase(), XSS_TOKEN_NAME, "<b>XSS</b>", 6, true],
      [traffic.contracts!.nft.toLowerCase(), "Chainproof Devnet NFT", "CPNFT", null, true],
    ]);
    const roles = await db.sql`select bit_or(role)::int as r from evm_address_tx where chain_id = ${CHAIN}`;
    expect(roles[0].r).toBe(31);
    const n = await compareTokenBalances(db.sql, CHAIN, anvil.url, [traffic.contracts!.token, traffic.contracts!.xssToken, traffic.contracts!.nft]);
    expect(n).toBeGreaterThan(10);
    // ERC-1155: the per-contract balance is the sum over ids.
    const [m] = await db.sql`
      select coalesce(sum(b.balance), 0)::text as s from evm_token_balance b join evm_address t on t.id = b.token_address_id
      where b.chain_id = ${CHAIN} and t.address = decode(${traffic.contracts!.multi.slice(2).toLowerCase()}, 'hex')`;
    expect(m.s).toBe("3000");

    // The counters sit right after the highest ids.
    const [c] = await db.sql`
      select next_tx_seq::text as t, next_addr_seq::text as a,
        (select count(*) from evm_tx where chain_id = ${CHAIN})::text as txs, (select count(*) from evm_address where chain_id = ${CHAIN})::text as addrs
      from chain where id = ${CHAIN}`;
    expect([c.t, c.a]).toEqual([c.txs, c.addrs]);
  });

  it("writes the analytics the SQL definition computes from the rows (checked on the chain indexed above)", async () => {
    const tables = ["analytics_block", "analytics_day", "analytics_day_address", "analytics_counter"];
    const dump = async (sql: typeof db.sql) => {
      const out: Record<string, string[]> = {};
      for (const t of tables) out[t] = (await sql.unsafe(`select row_to_json(x)::text as j from ${t} x where chain_id = ${CHAIN}`)).map((r) => r.j as string).sort();
      return out;
    };
    const fromMemory = await dump(db.sql);
    expect(fromMemory.analytics_block.length).toBe(BLOCKS + 1);
    expect(fromMemory.analytics_counter.length).toBeGreaterThan(5);
    // The same aggregates recomputed from the raw tables in one range, in a transaction that is then undone.
    const ROLLBACK = new Error("undo");
    let fromTables: Record<string, string[]> | undefined;
    await db.sql
      .begin(async (tx) => {
        for (const t of tables) await tx.unsafe(`delete from ${t} where chain_id = ${CHAIN}`);
        await writeEvmMetricsFromTables(tx, { chainId: CHAIN, fromHeight: 0, toHeight: BLOCKS });
        fromTables = await dump(tx as unknown as typeof db.sql);
        throw ROLLBACK;
      })
      .catch((e) => {
        if (e !== ROLLBACK) throw e;
      });
    expect(fromMemory).toEqual(fromTables);
    // The open week and month (anvil's blocks are seconds apart), counted from the addresses the adapter held.
    const kept = await expectKeptExact(db.sql, CHAIN);
    expect(new Set(kept.filter((p) => !p.closed).map((p) => p.unit))).toEqual(new Set(["month", "week"]));
  });

  it("recovers every devnet sender (types 0, 1, 2, 4) as viem and the noble fallback do, and refuses a forged one", async () => {
    const adapter = createEvmAdapter({ startHeight: 0 }, { chainId: CHAIN, rpcUrl: anvil.url });
    const blocks = await adapter.fetch(1, 60);
    const txs = blocks.flatMap((b) => b.block.transactions as RpcTransaction[]);
    expect(new Set(txs.map(txType))).toEqual(new Set([0, 1, 2, 4]));
    expect(blocks.flatMap((b) => b.senders!)).toEqual(txs.map((t) => t.from!.toLowerCase()));
    const sample = txs.filter((t, i) => txType(t) !== 2 || i % 6 === 0);
    expect(await recoverSenders(sample, { backend: "noble" })).toEqual(sample.map((t) => t.from!.toLowerCase()));
    const viem = await Promise.all(sample.map((t) => recoverTransactionAddress({ serializedTransaction: toHex(encodeTransaction(t)) as never })));
    expect(viem.map((a) => a.toLowerCase())).toEqual(sample.map((t) => t.from!.toLowerCase()));

    const b = blocks.find((x) => x.block.transactions.length > 3)!;
    const forged = structuredClone(b.block);
    const [t0, t1] = forged.transactions as RpcTransaction[];
    t0.from = t1.from === t0.from ? "0x000000000000000000000000000000000000dead" : t1.from;
    const report = adapter.verify({ ...b, block: forged, senders: await recoverSenders(forged.transactions as RpcTransaction[]) }, undefined);
    expect(report.checks.find((c) => c.check === "txSenders")).toMatchObject({ ok: false });
  });
});
