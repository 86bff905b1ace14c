// Shared by the Bitcoin integration tests: real chain data, the adapter driven through the engine's runChain, and
// per-table checksums over natural columns (ids taken relative to the chain's id base) to compare two indexes.
import { readFileSync } from "node:fs";
import path from "node:path";
import type postgres from "postgres";
import { orderByPrevHash, chainLink, parseBlkFile } from "../../../lib/bitcoin/blk";
import { parseHeader } from "../../../lib/bitcoin/header";
import { getNetwork, type NetworkName } from "../../../lib/bitcoin/network";
import { afterAll, beforeAll } from "vitest";
import { ChainGenerator, type GenOptions } from "../../../bench/gen/chain";
import { runChain } from "../../../indexer/engine/engine";
import { BitcoinAdapter, type BitcoinSource } from "../../../indexer/sources/bitcoin-adapter";
import { BitcoinRpcClient, BitcoinRpcSource } from "../../../indexer/sources/bitcoin-rpc";
import { FakeBitcoind } from "../../helpers/bitcoind";
import { startTestDb, type TestDb } from "../../helpers/db";

export const CHAINDATA = path.resolve(import.meta.dirname, "../../fixtures/chaindata/bitcoin");
export const DEMO_DIR = path.resolve(import.meta.dirname, "../../../data/bitcoin");

/** The raw blocks of a blk-framed file, in chain order from genesis. */
export function chainFromBlkFile(file: string, network: NetworkName = "mainnet"): Uint8Array[] {
  const f = parseBlkFile(readFileSync(file), { network });
  return orderByPrevHash(f.records, getNetwork(network).genesisHash, (r) => chainLink(parseHeader(r.block))).chain.map((r) => Uint8Array.from(r.block));
}

/** The blocks of a synthetic chain (bench/gen), genesis first. */
export function generatedChain(o: GenOptions): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  const gen = new ChainGenerator(o);
  for (let b = gen.next(); b; b = gen.next()) blocks.push(b.raw);
  return blocks;
}

/** For one test file: a database, and a Bitcoin Core double serving `blocks` as regtest; `source()` is an RPC
 *  source on it. */
export function regtestNodeAndDb(blocks: Uint8Array[]): { db: TestDb; node: FakeBitcoind; source: () => BitcoinRpcSource } {
  const env = {
    db: undefined as unknown as TestDb,
    node: undefined as unknown as FakeBitcoind,
    source: () => new BitcoinRpcSource(new BitcoinRpcClient({ url: env.node.url, user: env.node.user, password: env.node.password, timeoutMs: 5_000 })),
  };
  beforeAll(async () => {
    env.db = await startTestDb();
    env.node = await new FakeBitcoind({ blocks, chain: "regtest" }).start();
  });
  afterAll(async () => {
    await env.node?.stop();
    await env.db?.stop();
  });
  return env;
}

export async function registerChain(sql: postgres.Sql, id: number, slug: string, network = "mainnet"): Promise<void> {
  await sql`insert into chain (id, slug, family, network, name) values (${id}, ${slug}, 'bitcoin', ${network}, ${slug})`;
}

export interface IndexOptions {
  sql: postgres.Sql;
  chainId: number;
  slug: string;
  source: BitcoinSource;
  network?: NetworkName;
  until: number;
  batchBlocks?: number;
  logs?: string[];
  /** Entries of the adapter's UTXO cache (the product default when omitted), or an adapter to reuse. */
  utxoCacheEntries?: number;
  adapter?: BitcoinAdapter;
}

export async function indexUntil(o: IndexOptions): Promise<BitcoinAdapter> {
  const adapter = o.adapter ?? new BitcoinAdapter(o.slug, o.source, o.network ?? "mainnet", o.utxoCacheEntries);
  await runChain({
    sql: o.sql, chain: { id: o.chainId, slug: o.slug }, adapter, batchBlocks: o.batchBlocks ?? 100, concurrency: 2, pollMs: 20,
    onInvalid: "stop", signal: new AbortController().signal, log: (l) => o.logs?.push(l), untilHeight: o.until,
    retry: { baseMs: 10, capMs: 100 }, progressOut: { write: () => true } as never, progressLogEveryMs: 1e9,
  });
  return adapter;
}

/** Runs until `signal` aborts (tests that move the source under a following engine). */
export function follow(o: Omit<IndexOptions, "until"> & { signal: AbortSignal }): Promise<void> {
  const adapter = new BitcoinAdapter(o.slug, o.source, o.network ?? "mainnet");
  return runChain({
    sql: o.sql, chain: { id: o.chainId, slug: o.slug }, adapter, batchBlocks: o.batchBlocks ?? 100, concurrency: 2, pollMs: 20,
    onInvalid: "stop", signal: o.signal, log: (l) => o.logs?.push(l), retry: { baseMs: 10, capMs: 100 },
    progressOut: { write: () => true } as never, progressLogEveryMs: 1e9,
  });
}

export type Checksums = Record<string, string>;

/** md5 per table of one chain's canonical Bitcoin index, comparable across chain ids. */
export async function bitcoinChecksums(sql: postgres.Sql, chainId: number): Promise<Checksums> {
  const base = (BigInt(chainId) << 40n).toString();
  const rel = (col: string) => sql.unsafe(`(${col} - ${base}::bigint)`);
  const [r] = await sql`
    select
      (select md5(coalesce(string_agg(concat_ws('|', encode(hash, 'hex'), height, encode(parent_hash, 'hex'), time, tx_count, size, checks::text), ',' order by height), ''))
        from block where chain_id = ${chainId} and not stale) as block,
      (select md5(coalesce(string_agg(concat_ws('|', encode(x.hash, 'hex'), x.version, encode(x.merkle_root, 'hex'), x.bits, x.nonce, x.stripped_size, x.weight), ',' order by k.height), ''))
        from btc_block x join block k on k.chain_id = x.chain_id and k.hash = x.hash and not k.stale where x.chain_id = ${chainId}) as btc_block,
      (select md5(coalesce(string_agg(concat_ws('|', ${rel("id")}, encode(txid, 'hex'), height, position, version, locktime, size, vsize, weight,
          is_coinbase, has_witness, input_count, output_count, input_value, output_value, fee, encode(raw, 'hex')), ',' order by id), ''))
        from btc_tx where chain_id = ${chainId}) as btc_tx,
      (select md5(coalesce(string_agg(concat_ws('|', ${rel("tx_id")}, vin, coalesce(${rel("prev_tx_id")}, -1), coalesce(prev_vout, -1), value, coalesce(${rel("address_id")}, -1)), ',' order by tx_id, vin), ''))
        from btc_input where chain_id = ${chainId}) as btc_input,
      (select md5(coalesce(string_agg(concat_ws('|', ${rel("tx_id")}, vout, value, script_type, coalesce(${rel("address_id")}, -1), coalesce(${rel("spent_by_tx_id")}, -1),
          coalesce(spent_by_vin, -1), coalesce(spent_height, -1)), ',' order by tx_id, vout), ''))
        from btc_output where chain_id = ${chainId}) as btc_output,
      (select md5(coalesce(string_agg(concat_ws('|', ${rel("id")}, encode(script, 'hex'), script_type, balance, received, sent, tx_count, utxo_count,
          first_height, last_height), ',' order by id), ''))
        from btc_address where chain_id = ${chainId}) as btc_address,
      (select md5(coalesce(string_agg(concat_ws('|', ${rel("address_id")}, height, position, ${rel("tx_id")}, delta), ',' order by address_id, height, position), ''))
        from btc_address_tx where chain_id = ${chainId}) as btc_address_tx,
      (select count(*) from btc_tx where chain_id = ${chainId})::text as tx_count,
      (select concat_ws('|', tip_height, encode(tip_hash, 'hex'), next_tx_seq, next_addr_seq) from chain where id = ${chainId}) as checkpoint`;
  const out = { ...r } as Checksums;
  // btc_block_stats rows carry chain_id: compare without it.
  const [s] = await sql`
    select md5(coalesce(string_agg(concat_ws('|', height, time, txs, ins, outs, subsidy, totalfee, total_out, total_size, total_weight, swtxs, swtotal_size,
      swtotal_weight, avgfee, avgfeerate, avgtxsize, maxfee, maxfeerate, maxtxsize, medianfee, mediantxsize, minfee, minfeerate, mintxsize,
      feerate_percentiles::text, utxo_increase, utxo_size_inc, utxo_increase_actual, utxo_size_inc_actual), ',' order by height), '')) as h
    from btc_block_stats where chain_id = ${chainId}`;
  out.btc_block_stats = s.h;
  const [d] = await sql`
    select md5(coalesce(string_agg(concat_ws('|', day, ${rel("address_id")}, first_height), ',' order by day, address_id), '')) as h, count(*)::int as n
    from analytics_day_address where chain_id = ${chainId}`;
  out.analytics_day_address = `${d.n} ${d.h}`;
  return out;
}
