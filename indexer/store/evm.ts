// EVM rows for a batch of verified blocks, one statement per table: binary COPY for the row tables and for
// addresses new to the chain (evm-copy.ts), unnest for the rest (bytea travels as hex text, wei as decimal text);
// and the exact undo of them for a reorg. Ids come from the chain's counters in the same
// transaction and are allocated in a fixed order (block, tx, then from/to/created/log emitter/token parties), so
// an index that was reorged equals a clean index of the winning chain, ids included.
import { makeId, type BlockHeader, type IdCounters, type Tx } from "../engine/adapter";
import { blobFee, contractAddressFor } from "../../lib/evm/outcome";
import { encodeTransaction, txType } from "../../lib/evm/tx";
import type { RpcBlock, RpcReceipt, RpcTransaction } from "../../lib/evm/types";
import type { TokenTransfer } from "../../lib/evm/transfers";
import { logIndexOf, touchedAddresses, type TokenMeta } from "../sources/evm-rpc";
import { copyInBinary } from "./bitcoin-sql";
import { CopyBinaryWriter } from "./copy-binary";
import { addTxMetrics, blockMetrics, count, writeEvmMetrics, type EvmBlockMetrics, type EvmCounters } from "./evm-analytics";
import { ADDRESS_COLUMNS, ADDRESS_TX_COLUMNS, LOG_COLUMNS, TRANSFER_COLUMNS, TX_COLUMNS, writeLogRow, writeNewAddressRow, writeTransferRow, writeTxRow } from "./evm-copy";
import type { PeriodAddressCache } from "./period-address-cache";

/** What the store needs of a fetched, verified block. */
export interface EvmWriteBlock {
  header: BlockHeader;
  block: RpcBlock;
  receipts: RpcReceipt[];
  transfers: TokenTransfer[];
  balances: Map<string, { wei: bigint; height: number }>;
  tokens: Map<string, TokenMeta>;
  /** encodeTransaction of each tx when the source already has it (the adapter encodes once at fetch). */
  rawTxs?: (Uint8Array | undefined)[];
}

/** Reads native balances of addresses (lowercase 0x-hex) at a height, for the rollback. */
export type BalanceReader = (addresses: string[], height: number) => Promise<Map<string, bigint>>;

export const ROLE_FROM = 1;
export const ROLE_TO = 2;
export const ROLE_CREATED = 4;
export const ROLE_TOKEN = 8;
export const ROLE_EMITTER = 16;

/** Initial COPY buffer per table: grows by doubling to the batch's size. The writer's 1 MiB default, times five
 *  tables and again after each end(), was external memory enough to trigger extra full GCs every batch. */
const COPY_START = 1 << 14;
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const strip = (h: string) => (h.startsWith("0x") || h.startsWith("0X") ? h.slice(2) : h).toLowerCase();
const big = (q: string | null | undefined) => (q == null ? null : BigInt(q).toString());
const bigOrNull = (q: string | null | undefined) => (q == null ? null : BigInt(q));

export interface AddrAcc {
  id: bigint;
  isNew: boolean;
  first: number;
  last: number;
  txs: number;
  contract: boolean;
  balance?: { wei: bigint; height: number };
  token?: TokenMeta;
}

/** Returns what to record in `periodAddresses` once the transaction has committed. */
export async function writeEvmBlocks(sql: Tx, ids: IdCounters, blocks: EvmWriteBlock[], periodAddresses?: PeriodAddressCache): Promise<() => void> {
  if (!blocks.length) return () => {};
  const chainId = ids.chainId;

  // 1. Every address of the batch, in allocation order, with the ids it already has.
  const order: string[] = [];
  const seen = new Set<string>();
  for (const b of blocks) {
    for (const a of touchedAddresses(b.block, b.receipts, b.transfers)) {
      if (!seen.has(a)) {
        seen.add(a);
        order.push(a);
      }
    }
  }
  const existing = new Map<string, bigint>();
  if (order.length) {
    const rows = await sql`
      select id::text as id, encode(address, 'hex') as a from evm_address
      where chain_id = ${chainId} and address in (select decode(x, 'hex') from unnest(${order.map(strip)}::text[]) as x)`;
    for (const r of rows) existing.set(`0x${r.a}`, BigInt(r.id));
  }
  const acc = new Map<string, AddrAcc>();
  for (const a of order) {
    const id = existing.get(a);
    acc.set(a, { id: id ?? makeId(chainId, ids.nextAddrSeq++), isNew: id === undefined, first: Infinity, last: -1, txs: 0, contract: false });
  }
  const idOf = (a: string) => acc.get(a.toLowerCase())!.id;

  // 2. Rows: the row tables (no conflicts possible: fresh ids) in COPY's binary format, written as the blocks are
  // walked; addresses and token balances need ON CONFLICT and go in set-based statements below.
  const blk = { hash: [] as string[], miner: [] as string[], gasUsed: [] as string[], gasLimit: [] as string[], baseFee: [] as (string | null)[], stateRoot: [] as string[],
    txRoot: [] as string[], rcptRoot: [] as string[], wdRoot: [] as (string | null)[], extra: [] as string[], header: [] as string[] };
  const txw = new CopyBinaryWriter(COPY_START);
  const logw = new CopyBinaryWriter(COPY_START);
  const ttw = new CopyBinaryWriter(COPY_START);
  const history = new Map<string, { addr: bigint; height: number; pos: number; tx: bigint; role: number }>();
  const tokenDelta = new Map<string, { holder: bigint; token: bigint; delta: bigint }>();
  // Analytics of the batch, gathered on the same walk (evm-analytics.ts).
  const metrics: EvmBlockMetrics[] = [];
  const counters: EvmCounters = { contractTxs: new Map(), tokenTransfers: new Map() };
  let m: EvmBlockMetrics;

  const touch = (a: string, height: number, txId: bigint | null, pos: number, role: number) => {
    const s = acc.get(a.toLowerCase())!;
    if (height < s.first) s.first = height;
    if (height > s.last) s.last = height;
    if (role & (ROLE_CREATED | ROLE_EMITTER)) s.contract = true;
    if (txId === null) return;
    m.active.add(s.id);
    const key = `${s.id}:${txId}`;
    const h = history.get(key);
    if (h) h.role |= role;
    else {
      history.set(key, { addr: s.id, height, pos, tx: txId, role });
      s.txs++;
    }
  };
  const delta = (holder: string, token: string, d: bigint) => {
    if (holder === ZERO_ADDRESS) return;
    const h = idOf(holder);
    const t = idOf(token);
    const key = `${h}:${t}`;
    const x = tokenDelta.get(key);
    if (x) x.delta += d;
    else tokenDelta.set(key, { holder: h, token: t, delta: d });
  };

  for (const b of blocks) {
    const rb = b.block;
    const height = b.header.height;
    const { transactions: _txs, ...headerJson } = rb;
    blk.hash.push(strip(rb.hash));
    blk.miner.push(strip(rb.miner));
    blk.gasUsed.push(BigInt(rb.gasUsed).toString());
    blk.gasLimit.push(BigInt(rb.gasLimit).toString());
    blk.baseFee.push(big(rb.baseFeePerGas));
    blk.stateRoot.push(strip(rb.stateRoot));
    blk.txRoot.push(strip(rb.transactionsRoot));
    blk.rcptRoot.push(strip(rb.receiptsRoot));
    blk.wdRoot.push(rb.withdrawalsRoot == null ? null : strip(rb.withdrawalsRoot));
    blk.extra.push(strip(rb.extraData));
    blk.header.push(JSON.stringify(headerJson));
    metrics.push((m = blockMetrics(b.header, BigInt(rb.gasUsed))));

    const txIdByLog = new Map<number, bigint>();
    const posByLog = new Map<number, number>();
    let logPos = 0;
    (rb.transactions as RpcTransaction[]).forEach((t, pos) => {
      const r = b.receipts[pos];
      const id = makeId(chainId, ids.nextTxSeq++);
      const from = t.from!.toLowerCase();
      const created = t.to == null ? contractAddressFor(from, t.nonce) : null;
      const price = BigInt(r.effectiveGasPrice ?? t.gasPrice!);
      const gasUsed = BigInt(r.gasUsed);
      const dyn = "maxFeePerGas" in t && t.maxFeePerGas != null;
      const fee = gasUsed * price + blobFee(r);
      addTxMetrics(m, fee, price);
      if (t.to != null) count(counters.contractTxs, idOf(t.to));
      writeTxRow(txw, {
        id, chainId, hash: t.hash, height, pos, type: txType(t), from: idOf(from), to: t.to == null ? null : idOf(t.to), created: created == null ? null : idOf(created),
        value: BigInt(t.value), nonce: BigInt(t.nonce), gas: BigInt(t.gas), gasPrice: dyn ? null : bigOrNull(t.gasPrice),
        maxFee: dyn ? bigOrNull((t as { maxFeePerGas: string }).maxFeePerGas) : null,
        maxPrio: dyn ? bigOrNull((t as { maxPriorityFeePerGas: string }).maxPriorityFeePerGas) : null,
        input: t.input ?? t.data ?? "0x",
        raw: b.rawTxs?.[pos] ?? encodeTransaction(t), // the transactions-trie leaf, for inclusion proofs
        status: r.status == null ? null : Number(BigInt(r.status)), // pre-Byzantium receipts carry a state root, not a status
        gasUsed, price, fee, logs: r.logs.length,
      });

      touch(from, height, id, pos, ROLE_FROM);
      if (t.to != null) touch(t.to, height, id, pos, ROLE_TO);
      if (created) touch(created, height, id, pos, ROLE_CREATED);
      for (const l of r.logs) {
        const idx = logIndexOf(l, logPos++);
        txIdByLog.set(idx, id);
        posByLog.set(idx, pos);
        writeLogRow(logw, chainId, id, idx, idOf(l.address), l);
        touch(l.address, height, id, pos, ROLE_EMITTER);
      }
    });
    for (const t of b.transfers) {
      const txId = txIdByLog.get(t.logIndex);
      if (txId === undefined) continue;
      const pos = posByLog.get(t.logIndex)!;
      writeTransferRow(ttw, chainId, txId, height, t, idOf(t.token), idOf(t.from), idOf(t.to));
      m.transfers++;
      count(counters.tokenTransfers, idOf(t.token));
      touch(t.from, height, txId, pos, ROLE_TOKEN);
      touch(t.to, height, txId, pos, ROLE_TOKEN);
      delta(t.from, t.token, -t.amount);
      delta(t.to, t.token, t.amount);
      const meta = b.tokens.get(t.token);
      if (meta) acc.get(t.token)!.token = meta;
    }
    for (const [a, bal] of b.balances) {
      const s = acc.get(a);
      if (s && (!s.balance || bal.height >= s.balance.height)) s.balance = bal;
    }
  }

  // 3. One statement per table.
  await sql`
    insert into evm_block (chain_id, hash, miner, gas_used, gas_limit, base_fee_per_gas, state_root, transactions_root, receipts_root, withdrawals_root, extra_data, header)
    select ${chainId}, decode(u.hash, 'hex'), decode(u.miner, 'hex'), u.gu, u.gl, u.bf, decode(u.sr, 'hex'), decode(u.tr, 'hex'), decode(u.rr, 'hex'),
      decode(u.wr, 'hex'), decode(u.ex, 'hex'), u.hd::jsonb
    from unnest(${blk.hash}::text[], ${blk.miner}::text[], ${blk.gasUsed}::bigint[], ${blk.gasLimit}::bigint[], ${blk.baseFee}::numeric[], ${blk.stateRoot}::text[],
      ${blk.txRoot}::text[], ${blk.rcptRoot}::text[], ${blk.wdRoot}::text[], ${blk.extra}::text[], ${blk.header}::text[])
      as u(hash, miner, gu, gl, bf, sr, tr, rr, wr, ex, hd)
    on conflict (chain_id, hash) do nothing`;

  await copyInBinary(sql, "evm_tx", TX_COLUMNS, txw, []);
  await copyInBinary(sql, "evm_log", LOG_COLUMNS, logw, []);
  await copyInBinary(sql, "evm_token_transfer", TRANSFER_COLUMNS, ttw, []);
  const hw = new CopyBinaryWriter(COPY_START);
  for (const h of history.values()) hw.row(6).int2(chainId).int8(h.addr).int8(h.height).int4(h.pos).int8(h.tx).int2(h.role);
  await copyInBinary(sql, "evm_address_tx", ADDRESS_TX_COLUMNS, hw, []);

  // Addresses first seen in this batch are plain rows; those the chain already has get their summaries updated.
  const aw = new CopyBinaryWriter(COPY_START);
  const seenBefore: [string, AddrAcc][] = [];
  const firstSeen = new Map<bigint, number>();
  for (const [a, s] of acc) {
    if (!s.isNew) seenBefore.push([a, s]);
    else {
      writeNewAddressRow(aw, chainId, s.id, a, s);
      firstSeen.set(s.id, s.first);
    }
  }
  await copyInBinary(sql, "evm_address", ADDRESS_COLUMNS, aw, []);
  if (seenBefore.length) {
    const a = seenBefore;
    await sql`
      insert into evm_address as e (id, chain_id, address, is_contract, balance, balance_height, tx_count, first_height, last_height, token_name, token_symbol, token_decimals)
      select u.id, ${chainId}, decode(u.a, 'hex'), u.ic, coalesce(u.bal, 0), u.bh, u.tc, u.fh, u.lh, u.tn, u.ts, u.td
      from unnest(${a.map(([, s]) => s.id.toString())}::bigint[], ${a.map(([k]) => strip(k))}::text[], ${a.map(([, s]) => (s.contract ? "t" : "f"))}::text[]::bool[],
        ${a.map(([, s]) => s.balance?.wei.toString() ?? null)}::numeric[], ${a.map(([, s]) => s.balance?.height ?? null)}::bigint[], ${a.map(([, s]) => s.txs)}::int[],
        ${a.map(([, s]) => s.first)}::bigint[], ${a.map(([, s]) => s.last)}::bigint[], ${a.map(([, s]) => s.token?.name ?? null)}::text[],
        ${a.map(([, s]) => s.token?.symbol ?? null)}::text[], ${a.map(([, s]) => s.token?.decimals ?? null)}::int[])
        as u(id, a, ic, bal, bh, tc, fh, lh, tn, ts, td)
      on conflict (chain_id, address) do update set
        is_contract = e.is_contract or excluded.is_contract,
        balance = case when excluded.balance_height >= coalesce(e.balance_height, -1) then excluded.balance else e.balance end,
        balance_height = greatest(e.balance_height, excluded.balance_height),
        tx_count = e.tx_count + excluded.tx_count,
        last_height = greatest(e.last_height, excluded.last_height),
        token_name = coalesce(e.token_name, excluded.token_name),
        token_symbol = coalesce(e.token_symbol, excluded.token_symbol),
        token_decimals = coalesce(e.token_decimals, excluded.token_decimals)`;
  }
  if (tokenDelta.size) {
    const d = [...tokenDelta.values()];
    await sql`
      insert into evm_token_balance as b (chain_id, address_id, token_address_id, balance)
      select ${chainId}, u.h, u.t, u.d
      from unnest(${d.map((x) => x.holder.toString())}::bigint[], ${d.map((x) => x.token.toString())}::bigint[], ${d.map((x) => x.delta.toString())}::numeric[]) as u(h, t, d)
      on conflict (address_id, token_address_id) do update set balance = b.balance + excluded.balance`;
  }
  return writeEvmMetrics(sql, chainId, metrics, firstSeen, counters, periodAddresses && { cache: periodAddresses, nextAddrSeq: ids.nextAddrSeq });
}

/**
 * Undo every EVM row above `height`: token balances (minus the undone transfers; pairs left with no transfer are
 * removed), history, logs, transfers, txs, addresses first seen above it; summaries of the remaining addresses
 * (tx count, last height, contract flag, token metadata) recomputed, and their native balance re-read from the
 * node at `height`; id counters back to max(id)+1. evm_block rows stay (keyed by hash, beside the stale block row).
 */
export async function rollbackEvm(sql: Tx, ids: IdCounters, height: number, readBalances?: BalanceReader): Promise<void> {
  const chainId = ids.chainId;
  const base = makeId(chainId, 0n).toString();
  const end = makeId(chainId + 1, 0n).toString();
  const [m] = await sql`select min(id)::text as id from evm_tx where chain_id = ${chainId} and height > ${height}`;
  if (m.id !== null) {
    const minTx = m.id as string;
    // Addresses the undone rows touch.
    const affected = (await sql`
      select distinct a::text as a from (
        select from_id as a from evm_tx where id >= ${minTx}::bigint and id < ${end}::bigint
        union all select to_id from evm_tx where id >= ${minTx}::bigint and id < ${end}::bigint
        union all select contract_created_id from evm_tx where id >= ${minTx}::bigint and id < ${end}::bigint
        union all select address_id from evm_log where tx_id >= ${minTx}::bigint and tx_id < ${end}::bigint
        union all select from_id from evm_token_transfer where tx_id >= ${minTx}::bigint and tx_id < ${end}::bigint
        union all select to_id from evm_token_transfer where tx_id >= ${minTx}::bigint and tx_id < ${end}::bigint
      ) x where a is not null`).map((r) => r.a as string);

    // Token balances: take the undone transfers back out; a pair with no transfer left has no row.
    const pairs = await sql`
      with d as (
        select to_id as h, token_address_id as t, amount as d from evm_token_transfer where tx_id >= ${minTx}::bigint and tx_id < ${end}::bigint
        union all
        select from_id, token_address_id, -amount from evm_token_transfer where tx_id >= ${minTx}::bigint and tx_id < ${end}::bigint
      ), s as (select h, t, sum(d) as d from d group by h, t)
      update evm_token_balance b set balance = b.balance - s.d from s where b.address_id = s.h and b.token_address_id = s.t
      returning b.address_id::text as h, b.token_address_id::text as t`;
    await sql`delete from evm_token_transfer where tx_id >= ${minTx}::bigint and tx_id < ${end}::bigint`;
    await sql`delete from evm_log where tx_id >= ${minTx}::bigint and tx_id < ${end}::bigint`;
    await sql`delete from evm_tx where id >= ${minTx}::bigint and id < ${end}::bigint`;
    if (pairs.length) {
      await sql`
        delete from evm_token_balance b using unnest(${pairs.map((p) => p.h)}::bigint[], ${pairs.map((p) => p.t)}::bigint[]) as p(h, t)
        where b.address_id = p.h and b.token_address_id = p.t
          and not exists (select 1 from evm_token_transfer x where x.to_id = p.h and x.token_address_id = p.t)
          and not exists (select 1 from evm_token_transfer x where x.from_id = p.h and x.token_address_id = p.t)`;
    }

    if (affected.length) {
      // History rows out; summaries of the addresses that stay recomputed from what remains (the subqueries
      // filter on height: they see the snapshot before the delete).
      await sql`
        with d as (
          delete from evm_address_tx where chain_id = ${chainId} and address_id = any(${affected}::bigint[]) and height > ${height}
          returning address_id, role
        ), s as (select address_id, count(*)::int as n, bool_or(role & ${ROLE_CREATED | ROLE_EMITTER} <> 0) as c from d group by address_id)
        update evm_address a set
          tx_count = a.tx_count - s.n,
          last_height = coalesce((select max(x.height) from evm_address_tx x where x.chain_id = ${chainId} and x.address_id = a.id and x.height <= ${height}), a.first_height),
          is_contract = case when s.c then exists (select 1 from evm_address_tx x where x.chain_id = ${chainId} and x.address_id = a.id and x.height <= ${height}
            and x.role & ${ROLE_CREATED | ROLE_EMITTER} <> 0) else a.is_contract end
        from s where a.id = s.address_id and a.first_height <= ${height}`;
      await sql`delete from evm_address where id = any(${affected}::bigint[]) and first_height > ${height}`;
      await sql`
        update evm_address a set token_name = null, token_symbol = null, token_decimals = null
        where a.id = any(${affected}::bigint[]) and (a.token_name is not null or a.token_symbol is not null or a.token_decimals is not null)
          and not exists (select 1 from evm_token_transfer x where x.token_address_id = a.id)`;
      // Native balances read on the losing branch: read again at the new tip.
      const stale = await sql`
        select id::text as id, encode(address, 'hex') as a from evm_address
        where id = any(${affected}::bigint[]) and balance_height > ${height}`;
      if (stale.length) {
        let values: Map<string, bigint> | undefined;
        if (readBalances) values = await readBalances(stale.map((r) => `0x${r.a}`), height);
        await sql`
          update evm_address a set balance = coalesce(u.bal, a.balance), balance_height = case when u.bal is null then null else ${height}::bigint end
          from unnest(${stale.map((r) => r.id)}::bigint[], ${stale.map((r) => values?.get(`0x${r.a}`)?.toString() ?? null)}::numeric[]) as u(id, bal)
          where a.id = u.id`;
      }
    }
  }
  // Counters: ids stay dense and in allocation order, so the next is max + 1 of what remains.
  const [c] = await sql`
    select
      (select coalesce(max(id) - ${base}::bigint + 1, 0) from evm_tx where id >= ${base}::bigint and id < ${end}::bigint)::text as t,
      (select coalesce(max(id) - ${base}::bigint + 1, 0) from evm_address where id >= ${base}::bigint and id < ${end}::bigint)::text as a`;
  ids.nextTxSeq = BigInt(c.t);
  ids.nextAddrSeq = BigInt(c.a);
}
