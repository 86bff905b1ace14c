// Shared by the EVM integration tests: register a chain, run the engine to a height or follow, and compare the
// index with what the node answers (every block, tx, log, transfer, balance), or two indexes with each other.
import type postgres from "postgres";
import { expect } from "vitest";
import { runChain } from "../../../indexer/engine/engine";
import type { ChainAdapter } from "../../../indexer/engine/adapter";
import { EvmRpc, hexQ } from "../../../indexer/sources/evm-rpc";
import type { EvmSourceBlock } from "../../../indexer/sources/evm-adapter";
import { contractAddressFor } from "../../../lib/evm/outcome";
import { decodeTransfers } from "../../../lib/evm/transfers";
import type { Hex, RpcBlock, RpcReceipt, RpcTransaction } from "../../../lib/evm/types";

export async function registerEvmChain(sql: postgres.Sql, id: number, slug: string): Promise<void> {
  await sql`insert into chain (id, slug, family, network, name) values (${id}, ${slug}, 'evm', 'devnet', ${slug})`;
}

export const quietOut = { isTTY: false, write: () => true };

export interface RunOptions {
  sql: postgres.Sql;
  chainId: number;
  adapter: ChainAdapter<EvmSourceBlock>;
  untilHeight?: number;
  signal?: AbortSignal;
  batchBlocks?: number;
  lines?: string[];
}

export function run(o: RunOptions): Promise<void> {
  return runChain({
    sql: o.sql, chain: { id: o.chainId, slug: `evm${o.chainId}` }, adapter: o.adapter, batchBlocks: o.batchBlocks ?? 50, concurrency: 2, pollMs: 50,
    onInvalid: "stop", signal: o.signal ?? new AbortController().signal, untilHeight: o.untilHeight, log: (l) => o.lines?.push(l),
    retry: { baseMs: 20, capMs: 300 }, progressOut: quietOut, progressLogEveryMs: 60_000,
  });
}

export async function waitFor(what: string, fn: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function dbTip(sql: postgres.Sql, chainId: number): Promise<{ height: number; hash: string } | null> {
  const [r] = await sql`select tip_height::text as h, encode(tip_hash, 'hex') as hash from chain where id = ${chainId}`;
  return r?.h == null ? null : { height: Number(r.h), hash: `0x${r.hash}` };
}

const lc = (s: string | null | undefined) => (s == null ? null : s.toLowerCase());
const dec = (q: string | null | undefined) => (q == null ? null : BigInt(q).toString());

export interface NodeChain {
  blocks: RpcBlock[];
  receipts: RpcReceipt[][];
}

export async function readNodeChain(rpc: EvmRpc, from: number, to: number): Promise<NodeChain> {
  const heights = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const blocks = await rpc.batchOrThrow<RpcBlock>(heights.map((h) => ({ method: "eth_getBlockByNumber", params: [hexQ(h), true] })));
  const receipts = await rpc.batchOrThrow<RpcReceipt[]>(blocks.map((b) => ({ method: "eth_getBlockReceipts", params: [b.hash] })));
  return { blocks, receipts };
}

/** Every canonical row of the chain against the node's answers; returns counts for the test's own asserts. */
export async function compareWithNode(sql: postgres.Sql, chainId: number, rpcUrl: string, opts: { coinbase?: string } = {}) {
  const rpc = new EvmRpc({ url: rpcUrl });
  const tip = (await dbTip(sql, chainId))!;
  const node = await readNodeChain(rpc, 0, tip.height);

  // Blocks: canonical row per height, hash as the node's, evm_block fields.
  const blocks = await sql`
    select b.height::text as height, encode(b.hash, 'hex') as hash, encode(b.parent_hash, 'hex') as parent, b.time::text as time, b.tx_count, b.size,
      encode(e.miner, 'hex') as miner, e.gas_used::text as gas_used, e.gas_limit::text as gas_limit, e.base_fee_per_gas::text as base_fee,
      encode(e.state_root, 'hex') as state_root, encode(e.receipts_root, 'hex') as receipts_root, encode(e.transactions_root, 'hex') as tx_root,
      encode(e.withdrawals_root, 'hex') as wd_root, encode(e.extra_data, 'hex') as extra, e.header
    from block b join evm_block e on e.chain_id = b.chain_id and e.hash = b.hash
    where b.chain_id = ${chainId} and not b.stale order by b.height`;
  expect(blocks.map((b) => `${b.height}:0x${b.hash}`)).toEqual(node.blocks.map((b) => `${Number(b.number)}:${b.hash}`));
  blocks.forEach((row, i) => {
    const b = node.blocks[i];
    expect({
      parent: `0x${row.parent}`, time: Number(row.time), txs: row.tx_count, size: row.size, miner: `0x${row.miner}`, gasUsed: row.gas_used, gasLimit: row.gas_limit,
      baseFee: row.base_fee, stateRoot: `0x${row.state_root}`, receiptsRoot: `0x${row.receipts_root}`, txRoot: `0x${row.tx_root}`,
      wdRoot: row.wd_root === null ? null : `0x${row.wd_root}`, extra: `0x${row.extra}`, headerHash: row.header.hash, mixHash: row.header.mixHash,
    }).toEqual({
      parent: b.parentHash, time: Number(b.timestamp), txs: b.transactions.length, size: Number(b.size), miner: lc(b.miner), gasUsed: dec(b.gasUsed), gasLimit: dec(b.gasLimit),
      baseFee: dec(b.baseFeePerGas), stateRoot: b.stateRoot, receiptsRoot: b.receiptsRoot, txRoot: b.transactionsRoot, wdRoot: b.withdrawalsRoot ?? null,
      extra: b.extraData, headerHash: b.hash, mixHash: b.mixHash,
    });
  });

  // Transactions with receipt fields.
  const txRows = await sql`
    select t.height::text as height, t.position, encode(t.hash, 'hex') as hash, t.type, encode(f.address, 'hex') as "from", encode(o.address, 'hex') as "to",
      encode(c.address, 'hex') as created, t.value::text as value, t.nonce::text as nonce, t.gas::text as gas, t.gas_price::text as gas_price,
      t.max_fee_per_gas::text as max_fee, t.max_priority_fee_per_gas::text as max_prio, encode(t.input, 'hex') as input, t.status, t.gas_used::text as gas_used,
      t.effective_gas_price::text as egp, t.fee::text as fee, t.log_count
    from evm_tx t join evm_address f on f.id = t.from_id left join evm_address o on o.id = t.to_id left join evm_address c on c.id = t.contract_created_id
    where t.chain_id = ${chainId} order by t.height, t.position`;
  const expectedTxs = node.blocks.flatMap((b, i) => (b.transactions as RpcTransaction[]).map((t, pos) => {
    const r = node.receipts[i][pos];
    const dyn = "maxFeePerGas" in t;
    return {
      height: String(Number(b.number)), position: pos, hash: t.hash, type: Number(t.type ?? "0x0"), from: lc(t.from), to: lc(t.to), created: lc(r.contractAddress ?? null),
      value: dec(t.value), nonce: dec(t.nonce), gas: dec(t.gas), gas_price: dyn ? null : dec(t.gasPrice), max_fee: dyn ? dec((t as { maxFeePerGas: Hex }).maxFeePerGas) : null,
      max_prio: dyn ? dec((t as { maxPriorityFeePerGas: Hex }).maxPriorityFeePerGas) : null, input: t.input, status: Number(r.status), gas_used: dec(r.gasUsed),
      egp: dec(r.effectiveGasPrice), fee: (BigInt(r.gasUsed) * BigInt(r.effectiveGasPrice!)).toString(), log_count: r.logs.length,
    };
  }));
  expect(txRows.map((r) => ({
    ...r, hash: `0x${r.hash}`, from: `0x${r.from}`, to: r.to === null ? null : `0x${r.to}`, created: r.created === null ? null : `0x${r.created}`, input: `0x${r.input}`,
  }))).toEqual(expectedTxs);
  // The created address is also what sender + nonce give.
  for (const t of expectedTxs) if (t.created) expect(t.created).toBe(contractAddressFor(t.from!, BigInt(t.nonce!)));

  // Logs.
  const logRows = await sql`
    select t.height::text as height, l.log_index, encode(a.address, 'hex') as address, encode(l.topic0, 'hex') as t0, encode(l.topic1, 'hex') as t1,
      encode(l.topic2, 'hex') as t2, encode(l.topic3, 'hex') as t3, encode(l.data, 'hex') as data, encode(t.hash, 'hex') as tx
    from evm_log l join evm_tx t on t.id = l.tx_id join evm_address a on a.id = l.address_id
    where l.chain_id = ${chainId} order by t.height, l.log_index`;
  const expectedLogs = node.blocks.flatMap((b, i) => node.receipts[i].flatMap((r) => r.logs.map((l) => ({
    height: String(Number(b.number)), log_index: Number(l.logIndex), address: lc(l.address), t0: l.topics[0] ?? null, t1: l.topics[1] ?? null, t2: l.topics[2] ?? null,
    t3: l.topics[3] ?? null, data: l.data, tx: r.transactionHash,
  }))));
  const hx = (s: string | null) => (s === null ? null : `0x${s}`);
  expect(logRows.map((r) => ({ ...r, address: hx(r.address), t0: hx(r.t0), t1: hx(r.t1), t2: hx(r.t2), t3: hx(r.t3), data: hx(r.data), tx: hx(r.tx) }))).toEqual(expectedLogs);

  // Token transfers: the node's logs decoded independently of the store.
  const ttRows = await sql`
    select x.height::text as height, x.log_index, x.batch_index, x.standard, encode(tk.address, 'hex') as token, encode(f.address, 'hex') as "from",
      encode(o.address, 'hex') as "to", x.nft_id::text as nft, x.amount::text as amount
    from evm_token_transfer x join evm_address tk on tk.id = x.token_address_id join evm_address f on f.id = x.from_id join evm_address o on o.id = x.to_id
    where x.chain_id = ${chainId} order by x.height, x.log_index, x.batch_index`;
  const expectedTt = node.blocks.flatMap((b, i) => decodeTransfers(node.receipts[i].flatMap((r) => r.logs)).map((t) => ({
    height: String(Number(b.number)), log_index: t.logIndex, batch_index: t.batchIndex, standard: t.standard, token: t.token, from: t.from, to: t.to,
    nft: t.tokenId === undefined ? null : t.tokenId.toString(), amount: t.amount.toString(),
  })));
  expect(ttRows.map((r) => ({ ...r, token: hx(r.token), from: hx(r.from), to: hx(r.to) }))).toEqual(expectedTt);

  // Address summaries follow from the history rows; native balances are the node's at balance_height (and, for
  // anything but the coinbase, which earns fees in every block, still at the tip).
  const bad = await sql`
    select a.id from evm_address a
    left join (select address_id, count(*)::int n, min(height) lo, max(height) hi from evm_address_tx where chain_id = ${chainId} group by address_id) h on h.address_id = a.id
    where a.chain_id = ${chainId} and (h.n is null or h.n <> a.tx_count or h.lo <> a.first_height or h.hi <> a.last_height)`;
  expect(bad).toEqual([]);
  const addrs = await sql`select encode(address, 'hex') as a, balance::text as balance, balance_height::text as bh from evm_address where chain_id = ${chainId} order by id`;
  const atHeight = await rpc.batchOrThrow<Hex>(addrs.map((r) => ({ method: "eth_getBalance", params: [`0x${r.a}`, hexQ(Number(r.bh))] })));
  expect(addrs.map((r) => `0x${r.a} ${r.balance}`)).toEqual(addrs.map((r, i) => `0x${r.a} ${BigInt(atHeight[i])}`));
  const atTip = await rpc.batchOrThrow<Hex>(addrs.map((r) => ({ method: "eth_getBalance", params: [`0x${r.a}`, hexQ(tip.height)] })));
  const skip = lc(opts.coinbase ?? null);
  expect(addrs.filter((r) => `0x${r.a}` !== skip).map((r) => `0x${r.a} ${r.balance}`))
    .toEqual(addrs.map((r, i) => ({ r, i })).filter(({ r }) => `0x${r.a}` !== skip).map(({ r, i }) => `0x${r.a} ${BigInt(atTip[i])}`));

  return { blocks: blocks.length, txs: txRows.length, logs: logRows.length, transfers: ttRows.length, addresses: addrs.length, node, tip };
}

/** ERC-20 and ERC-721 token balances against balanceOf(holder) on the node at the tip. */
export async function compareTokenBalances(sql: postgres.Sql, chainId: number, rpcUrl: string, tokens: string[]): Promise<number> {
  const rpc = new EvmRpc({ url: rpcUrl });
  const rows = await sql`
    select encode(h.address, 'hex') as holder, encode(t.address, 'hex') as token, b.balance::text as balance
    from evm_token_balance b join evm_address h on h.id = b.address_id join evm_address t on t.id = b.token_address_id
    where b.chain_id = ${chainId} and t.address in (select decode(x, 'hex') from unnest(${tokens.map((t) => t.slice(2).toLowerCase())}::text[]) x)
    order by 1, 2`;
  const answers = await rpc.batchOrThrow<Hex>(rows.map((r) => ({ method: "eth_call", params: [{ to: `0x${r.token}`, data: `0x70a08231${r.holder.padStart(64, "0")}` }, "latest"] })));
  expect(rows.map((r) => `${r.token} ${r.holder} ${r.balance}`)).toEqual(rows.map((r, i) => `${r.token} ${r.holder} ${BigInt(answers[i])}`));
  return rows.length;
}

/** Per-table checksums of one chain's EVM index, ids relative to the chain base; stale blocks left out, and
 *  balance_height too (a rollback re-reads balances at the new tip, a clean index at the last touch). */
export async function evmChecksums(sql: postgres.Sql, chainId: number): Promise<Record<string, string>> {
  const base = (BigInt(chainId) << 40n).toString();
  const [r] = await sql`
    select
      (select md5(coalesce(string_agg(concat_ws('|', encode(b.hash, 'hex'), b.height, b.tx_count, encode(e.miner, 'hex'), e.gas_used, e.header::text), ',' order by b.height), ''))
        from block b join evm_block e on e.chain_id = b.chain_id and e.hash = b.hash where b.chain_id = ${chainId} and not b.stale) as evm_block,
      (select md5(coalesce(string_agg(concat_ws('|', id - ${base}::bigint, encode(hash, 'hex'), height, position, type, from_id - ${base}::bigint, to_id - ${base}::bigint,
          contract_created_id - ${base}::bigint, value, nonce, gas, gas_price, max_fee_per_gas, max_priority_fee_per_gas, encode(input, 'hex'), status, gas_used,
          effective_gas_price, fee, log_count), ',' order by id), '')) from evm_tx where chain_id = ${chainId}) as evm_tx,
      (select md5(coalesce(string_agg(concat_ws('|', tx_id - ${base}::bigint, log_index, address_id - ${base}::bigint, encode(topic0, 'hex'), encode(topic1, 'hex'),
          encode(topic2, 'hex'), encode(topic3, 'hex'), encode(data, 'hex')), ',' order by tx_id, log_index), '')) from evm_log where chain_id = ${chainId}) as evm_log,
      (select md5(coalesce(string_agg(concat_ws('|', tx_id - ${base}::bigint, log_index, batch_index, height, standard, token_address_id - ${base}::bigint,
          from_id - ${base}::bigint, to_id - ${base}::bigint, nft_id, amount), ',' order by tx_id, log_index, batch_index), '')) from evm_token_transfer where chain_id = ${chainId}) as evm_token_transfer,
      (select md5(coalesce(string_agg(concat_ws('|', id - ${base}::bigint, encode(address, 'hex'), is_contract, tx_count, first_height, last_height,
          token_name, token_symbol, token_decimals), ',' order by id), '')) from evm_address where chain_id = ${chainId}) as evm_address,
      (select md5(coalesce(string_agg(concat_ws('|', address_id - ${base}::bigint, height, position, tx_id - ${base}::bigint, role), ',' order by address_id, height, position), ''))
        from evm_address_tx where chain_id = ${chainId}) as evm_address_tx,
      (select md5(coalesce(string_agg(concat_ws('|', address_id - ${base}::bigint, token_address_id - ${base}::bigint, balance), ',' order by address_id, token_address_id), ''))
        from evm_token_balance where chain_id = ${chainId}) as evm_token_balance,
      (select concat_ws('|', tip_height, encode(tip_hash, 'hex'), next_tx_seq, next_addr_seq) from chain where id = ${chainId}) as checkpoint`;
  return r;
}

/** Native balances of the chain's addresses (except `skip`), for comparing two indexes. */
export async function balances(sql: postgres.Sql, chainId: number, skip?: string): Promise<string[]> {
  const rows = await sql`select encode(address, 'hex') as a, balance::text as b from evm_address where chain_id = ${chainId} order by address`;
  return rows.filter((r) => `0x${r.a}` !== lc(skip ?? null)).map((r) => `0x${r.a} ${r.b}`);
}
