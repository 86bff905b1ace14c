// Shared by the analytics and trace tests: index real mainnet blocks 0–583 through the real engine and Bitcoin
// adapter, a synthetic EVM chain written straight
// into the tables, and a yoga server whose schema merges the base API with graphql/analytics and graphql/trace.
import { readFileSync } from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { createSchema, createYoga } from "graphql-yoga";
import type postgres from "postgres";
import { sha256d } from "../../../lib/bitcoin/hash";
import type { IdCounters, Tx } from "../../../indexer/engine/adapter";
import { markStaleAbove } from "../../../indexer/engine/blocks";
import { runChain } from "../../../indexer/engine/engine";
import { BitcoinAdapter, type BitcoinBlock, type BitcoinSource } from "../../../indexer/sources/bitcoin-adapter";
import type { RawBlock } from "../../../indexer/sources/bitcoin-block";
import { rollbackBlockMetrics, writeEvmMetricsFromTables } from "../../../indexer/store/analytics";
import { mulberry32 as rng } from "../../../lib/random";

const DAT = path.resolve(import.meta.dirname, "../../fixtures/chaindata/bitcoin/derived/mainnet_blocks_0_to_583.dat");

export function mainnetRaw(): Uint8Array[] {
  const buf = new Uint8Array(readFileSync(DAT));
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: Uint8Array[] = [];
  for (let pos = 0; pos + 8 <= buf.length;) {
    if (dv.getUint32(pos) !== 0xf9beb4d9) throw new Error(`bad magic at ${pos}`);
    const len = dv.getUint32(pos + 4, true);
    out.push(buf.subarray(pos + 8, pos + 8 + len));
    pos += 8 + len;
  }
  return out;
}

class MemorySource implements BitcoinSource {
  constructor(private blocks: Uint8Array[]) {}
  async tip() {
    const h = this.blocks.length - 1;
    return { height: h, hash: sha256d(this.blocks[h].subarray(0, 80)) };
  }
  async hashAt(height: number) {
    return sha256d(this.blocks[height].subarray(0, 80));
  }
  async fetchRaw(from: number, to: number): Promise<RawBlock[]> {
    const out: RawBlock[] = [];
    for (let h = from; h <= to; h++) out.push({ height: h, raw: this.blocks[h] });
    return out;
  }
}

/** The Bitcoin adapter (its store writes the analytics), undoing the aggregates on rollback as the engine's reorg
 *  does, so rollbackChain below can call the adapter directly. */
export class AnalyticsBitcoinAdapter extends BitcoinAdapter {
  override async rollback(sql: Tx, ids: IdCounters, height: number): Promise<void> {
    await rollbackBlockMetrics(sql, { chainId: ids.chainId, aboveHeight: height, family: "bitcoin" });
    await super.rollback(sql, ids, height);
  }
}

const quiet = { isTTY: false, write: () => true };

/** Indexes mainnet 0..upTo (or continues from the checkpoint) as chain `id` with the real engine. */
/** Indexes mainnet blocks up to `upTo` with a new adapter, or with `adapter` (one that has indexed and rolled back
 *  before, as the engine's reorg goes on with the same one; its source must hold the blocks). */
export async function indexMainnet(sql: postgres.Sql, id: number, slug: string, upTo: number, adapter?: AnalyticsBitcoinAdapter): Promise<AnalyticsBitcoinAdapter> {
  await sql`insert into chain (id, slug, family, network, name) values (${id}, ${slug}, 'bitcoin', 'mainnet', 'Bitcoin mainnet 0–583') on conflict (id) do nothing`;
  adapter ??= new AnalyticsBitcoinAdapter(slug, new MemorySource(mainnetRaw().slice(0, upTo + 1)), "mainnet");
  const abort = new AbortController();
  await runChain({
    sql, chain: { id, slug }, adapter, batchBlocks: 16, concurrency: 2, pollMs: 10, onInvalid: "stop", retry: { baseMs: 5, capMs: 50 },
    progressOut: quiet, log: () => {}, signal: abort.signal, untilHeight: upTo,
  });
  return adapter;
}

/** What the engine's reorg does (reorg.ts rollbackTo), with the analytics call before the adapter's. */
export async function rollbackChain(sql: postgres.Sql, chainId: number, adapter: { rollback(tx: Tx, ids: IdCounters, h: number): Promise<void> }, height: number): Promise<void> {
  await sql.begin(async (tx) => {
    const [c] = await tx`select next_tx_seq::text as t, next_addr_seq::text as a from chain where id = ${chainId} for update`;
    const ids: IdCounters = { chainId, nextTxSeq: BigInt(c.t), nextAddrSeq: BigInt(c.a) };
    await adapter.rollback(tx, ids, height);
    await markStaleAbove(tx, chainId, height);
    await tx`update chain set tip_height = ${height}, tip_hash = (select hash from block where chain_id = ${chainId} and height = ${height} and not stale),
      next_tx_seq = ${ids.nextTxSeq.toString()}, next_addr_seq = ${ids.nextAddrSeq.toString()} where id = ${chainId}`;
  });
}

export interface Api {
  gql(query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  statements: { count: number; log: string[]; reset(): void };
  fetch: (req: Request) => Promise<Response>;
  stop(): Promise<void>;
}

/** The base schema merged with analytics and trace, as the lead will merge it into graphql/yoga.ts. */
export async function startApi(url: string): Promise<Api> {
  process.env.DATABASE_URL = url;
  const { PrismaClient } = await import("../../../generated/prisma/client");
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 4 }), log: [{ emit: "event", level: "query" }] });
  const statements = { count: 0, log: [] as string[], reset() { this.count = 0; this.log = []; } };
  client.$on("query", (e: { query: string }) => {
    statements.count++;
    statements.log.push(e.query);
  });
  // The hottest loaders run raw SQL on the server's pg pool (graphql/sql.ts): count those statements too.
  (await import("../../../graphql/sql")).onRawQuery((q) => {
    statements.count++;
    statements.log.push(q);
  });
  (globalThis as { chainproofPrisma?: unknown }).chainproofPrisma = client;
  const base = await import("../../../graphql/schema");
  const baseResolvers = await import("../../../graphql/resolvers");
  const analytics = await import("../../../graphql/analytics");
  const trace = await import("../../../graphql/trace");
  const { createContext } = await import("../../../graphql/context");
  const { pageSizeRule, armor, costAndTimeout } = await import("../../../graphql/limits");
  const schema = createSchema({
    typeDefs: [base.typeDefs, analytics.typeDefs, trace.typeDefs],
    resolvers: [baseResolvers.resolvers, analytics.resolvers, trace.resolvers],
  });
  const yoga = createYoga({
    schema, graphqlEndpoint: "/api/graphql", context: () => createContext(), maskedErrors: { isDev: false }, landingPage: false,
    plugins: [pageSizeRule(), armor(), costAndTimeout()],
  });
  const fetchFn = async (req: Request) => yoga.fetch(req);
  return {
    statements,
    fetch: fetchFn,
    async gql(query, variables) {
      const res = await yoga.fetch("http://x/api/graphql", { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify({ query, variables }) });
      return res.json();
    },
    async stop() {
      await client.$disconnect();
      await (await import("../../../graphql/prisma")).endPool();
    },
  };
}

// ------------------------------------------------------------------------------------------------- EVM (synthetic)

const eid = (chainId: number, seq: number) => ((BigInt(chainId) << 40n) + BigInt(seq)).toString();
const hex32 = (n: number) => Buffer.from(n.toString(16).padStart(64, "0"), "hex");
const addrBytes = (n: number) => Buffer.from(n.toString(16).padStart(40, "0"), "hex");


export interface EvmSeed { accounts: string[]; tokens: string[]; routers: string[]; cycle: string[]; height: number }

/**
 * A synthetic EVM chain of `blocks` blocks (12 s apart, spanning days) written straight into the tables, as the EVM
 * store writes them: 40 accounts, 3 tokens, 2 router contracts; random native payments, token transfers (through
 * routers too), logs, history roles and first/last heights. Heights 1..3 hold a native cycle A→B→C→A.
 * Calls writeEvmMetricsFromTables per batch of 10 blocks, in the same transaction, as the engine's batches write them.
 */
export async function seedEvm(sql: postgres.Sql, chainId: number, slug: string, blocks: number): Promise<EvmSeed> {
  const rand = rng(42);
  const NA = 40;
  const accounts = Array.from({ length: NA }, (_, i) => 0x1000 + i);
  const tokens = [0xaa01, 0xaa02, 0xaa03];
  const routers = [0xbb01, 0xbb02];
  const all = [...accounts, ...tokens, ...routers];
  const addrSeq = new Map<number, number>();
  const first = new Map<number, number>(), last = new Map<number, number>(), txc = new Map<number, number>();
  let nextAddr = 0, nextTx = 0;
  const T0 = 1_700_000_000 - 20 * 3600;
  await sql`insert into chain (id, slug, family, network, name, status) values (${chainId}, ${slug}, 'evm', 'devnet', 'Synthetic EVM', 'following')`;
  const aid = (a: number, h: number) => {
    if (!addrSeq.has(a)) { addrSeq.set(a, nextAddr++); first.set(a, h); }
    last.set(a, h);
    return eid(chainId, addrSeq.get(a)!);
  };
  for (let lo = 0; lo < blocks; lo += 10) {
    const hi = Math.min(blocks - 1, lo + 9);
    await sql.begin(async (tx) => {
      const B: object[] = [], EB: object[] = [], TX: object[] = [], LOG: object[] = [], TT: object[] = [], HIST = new Map<string, { chain_id: number; address_id: string; height: number; position: number; tx_id: string; role: number }>();
      const hist = (a: string, h: number, p: number, t: string, role: number) => {
        const k = `${a}:${h}:${p}`;
        const e = HIST.get(k);
        if (e) e.role |= role; else HIST.set(k, { chain_id: chainId, address_id: a, height: h, position: p, tx_id: t, role });
      };
      for (let h = lo; h <= hi; h++) {
        const hash = hex32(0xe0000 + h);
        let gas = 0n;
        const n = h === 0 ? 0 : h <= 3 ? 1 : Math.floor(rand() * 6);
        for (let p = 0; p < n; p++) {
          const id = eid(chainId, nextTx++);
          let from: number, to: number, value: bigint, input = Buffer.alloc(0);
          const transfers: { token: number; from: number; to: number; amount: bigint }[] = [];
          if (h <= 3) {
            [from, to] = [[0x1000, 0x1001], [0x1001, 0x1002], [0x1002, 0x1000]][h - 1];
            value = 10n ** 18n * BigInt(h);
          } else {
            from = accounts[Math.floor(rand() * NA)];
            const kind = rand();
            if (kind < 0.4) { to = accounts[Math.floor(rand() * NA)]; value = BigInt(Math.floor(rand() * 1e6)) * 10n ** 12n; }
            else if (kind < 0.75) {
              to = tokens[Math.floor(rand() * tokens.length)]; value = 0n; input = Buffer.from("a9059cbb", "hex");
              transfers.push({ token: to, from, to: accounts[Math.floor(rand() * NA)], amount: BigInt(1 + Math.floor(rand() * 1e9)) });
            } else {
              to = routers[Math.floor(rand() * routers.length)]; value = rand() < 0.5 ? 10n ** 15n : 0n; input = Buffer.from("38ed1739", "hex");
              const tk = tokens[Math.floor(rand() * tokens.length)];
              transfers.push({ token: tk, from, to, amount: 1000n }, { token: tk, from: to, to: accounts[Math.floor(rand() * NA)], amount: 990n });
            }
          }
          const gasUsed = 21_000n + BigInt(transfers.length) * 30_000n;
          const price = 1_000_000_000n + BigInt(Math.floor(rand() * 50)) * 100_000_000n;
          gas += gasUsed;
          const fromId = aid(from, h), toId = aid(to, h);
          txc.set(from, (txc.get(from) ?? 0) + 1);
          TX.push({ id, chain_id: chainId, hash: hex32(0x7000000 + nextTx), height: h, position: p, type: 2, from_id: fromId, to_id: toId, contract_created_id: null,
            value: value.toString(), nonce: p, gas: 500_000, gas_price: null, max_fee_per_gas: price.toString(), max_priority_fee_per_gas: "1", input, status: 1,
            gas_used: gasUsed.toString(), effective_gas_price: price.toString(), fee: (gasUsed * price).toString(), log_count: transfers.length });
          hist(fromId, h, p, id, 1);
          hist(toId, h, p, id, 2);
          transfers.forEach((t, li) => {
            const tk = aid(t.token, h), f = aid(t.from, h), r = aid(t.to, h);
            LOG.push({ chain_id: chainId, tx_id: id, log_index: li, address_id: tk, topic0: hex32(1), topic1: null, topic2: null, topic3: null, data: Buffer.alloc(0) });
            TT.push({ chain_id: chainId, tx_id: id, log_index: li, batch_index: 0, height: h, standard: 20, token_address_id: tk, from_id: f, to_id: r, nft_id: null, amount: t.amount.toString() });
            hist(tk, h, p, id, 16);
            hist(f, h, p, id, 8);
            hist(r, h, p, id, 8);
          });
        }
        B.push({ chain_id: chainId, hash, height: h, parent_hash: h ? hex32(0xe0000 + h - 1) : Buffer.alloc(32), time: T0 + h * 3600, tx_count: n, size: 500 + n * 110, stale: false, checks: ["headerHash"] });
        EB.push({ chain_id: chainId, hash, miner: addrBytes(0xc0de), gas_used: gas.toString(), gas_limit: 30_000_000, base_fee_per_gas: "1000000000", state_root: hex32(1),
          transactions_root: hex32(2), receipts_root: hex32(3), withdrawals_root: null, extra_data: Buffer.alloc(0), header: tx.json({}) });
      }
      const ins = async (table: string, rows: object[]) => {
        for (let i = 0; i < rows.length; i += 500) await tx`insert into ${tx(table)} ${tx(rows.slice(i, i + 500) as Record<string, never>[])}`;
      };
      await ins("block", B);
      await ins("evm_block", EB);
      // Addresses first seen in this batch, then summaries of all touched.
      const fresh = [...addrSeq.entries()].filter(([a]) => first.get(a)! >= lo);
      await ins("evm_address", fresh.map(([a, s]) => ({
        id: eid(chainId, s), chain_id: chainId, address: addrBytes(a), is_contract: tokens.includes(a) || routers.includes(a), balance: "0", balance_height: hi, tx_count: 0,
        first_height: first.get(a)!, last_height: last.get(a)!, token_symbol: tokens.includes(a) ? `TK${tokens.indexOf(a)}` : null, token_name: null, token_decimals: null,
      })));
      await ins("evm_tx", TX);
      await ins("evm_log", LOG);
      await ins("evm_token_transfer", TT);
      await ins("evm_address_tx", [...HIST.values()]);
      for (const [a, s] of addrSeq) {
        await tx`update evm_address set last_height = ${last.get(a)!}, balance = ${(BigInt(txc.get(a) ?? 0) * 10n ** 17n + BigInt(s)).toString()} where id = ${eid(chainId, s)}`;
      }
      await writeEvmMetricsFromTables(tx, { chainId, fromHeight: lo, toHeight: hi });
      await tx`update chain set tip_height = ${hi}, tip_hash = ${B[B.length - 1] && (B[B.length - 1] as { hash: Buffer }).hash}, next_tx_seq = ${nextTx}, next_addr_seq = ${nextAddr} where id = ${chainId}`;
    });
  }
  const name = (a: number) => `0x${a.toString(16).padStart(40, "0")}`;
  return { accounts: accounts.map(name), tokens: tokens.map(name), routers: routers.map(name), cycle: [0x1000, 0x1001, 0x1002].map(name), height: blocks - 1 };
}

/** Undo EVM rows above `height` the way the EVM store's rollback does (enough for these tables), after the analytics. */
export async function rollbackEvm(sql: postgres.Sql, chainId: number, height: number, analyticsFirst = true): Promise<void> {
  await sql.begin(async (tx) => {
    if (analyticsFirst) await rollbackBlockMetrics(tx, { chainId, aboveHeight: height });
    await tx`delete from evm_token_transfer where chain_id = ${chainId} and height > ${height}`;
    await tx`delete from evm_log where tx_id in (select id from evm_tx where chain_id = ${chainId} and height > ${height})`;
    await tx`delete from evm_address_tx where chain_id = ${chainId} and height > ${height}`;
    await tx`delete from evm_tx where chain_id = ${chainId} and height > ${height}`;
    await tx`delete from evm_address where chain_id = ${chainId} and first_height > ${height}`;
    await markStaleAbove(tx, chainId, height);
    await tx`update chain set tip_height = ${height} where id = ${chainId}`;
    if (!analyticsFirst) await rollbackBlockMetrics(tx, { chainId, aboveHeight: height });
  });
}
