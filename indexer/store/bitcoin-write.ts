// The hot write path: a batch of verified blocks becomes one statement per table (binary COPY FROM STDIN for the
// row tables), inside the engine's transaction. Order: rows and in-batch prevouts (pure, built ahead), address ids
// (looked up ahead, else 1 query), database prevouts (cache, else 1 query), the spent-by update (while the batch's
// statistics and analytics are computed from memory), then the analytics, the inserts, the address summaries
// with the rich list, and the address history.
import { blockStrippedSize, blockWeight, txSize, txVsize, txWeight } from "../../lib/bitcoin/codec";
import { type Network } from "../../lib/bitcoin/network";
import { blockStats, type Prevout as StatsPrevout } from "../../lib/bitcoin/stats";
import { reversedHex } from "../../lib/bytes";
import type { IdCounters, Tx } from "../engine/adapter";
import type { BitcoinBlock } from "../sources/bitcoin-block";
import { addressEffects, assignAddressIds, historyByAddress, localsById, type AddressEffects, type AddressIds } from "./bitcoin-addresses";
import { bitcoinMetrics, writeBitcoinMetrics } from "./bitcoin-analytics";
import { resolvePrevouts } from "./bitcoin-prevouts";
import { addRichAddresses, resizeRichList, richFloor } from "./bitcoin-rich";
import { buildRows, startWrite, type BatchRows } from "./bitcoin-rows";
import { chunks, compareBigints, copyInBinary, hexOf, pgArray } from "./bitcoin-sql";
import type { UtxoCache } from "./bitcoin-utxo-cache";
import { CopyBinaryWriter } from "./copy-binary";
import type { DayAddressCache } from "./day-address-cache";
import type { PeriodAddressCache } from "./period-address-cache";

export interface WriteContext {
  slug: string;
  network: Network;
  /** Recent unspent outputs; the caller applies the returned update once the transaction has committed. */
  utxos?: UtxoCache;
  /** Daily-active rows already stored; updated through commitCache like `utxos`. */
  dayAddresses?: DayAddressCache;
  /** The addresses of the latest weeks and months; updated through commitCache like `utxos`. */
  periodAddresses?: PeriodAddressCache;
}

/** Where the time of the last batches went (ms), for the benchmark: wall clock, and this process's CPU time (all
 *  its threads) in writeCpu. A phase with wall far above CPU waits on PostgreSQL. */
export const writeTimings = { rows: 0, addresses: 0, prevouts: 0, stats: 0, metrics: 0, insert: 0, spend: 0, summaries: 0, history: 0 };
export const writeCpu: typeof writeTimings = { ...writeTimings };

/** The database-free part of a write, done ahead (see bitcoin-rows.ts). */
export function prepareBitcoinBlocks(blocks: BitcoinBlock[], slug: string): BatchRows {
  const t0 = performance.now();
  const rows = buildRows(blocks, slug);
  writeTimings.rows += performance.now() - t0;
  return rows;
}

export interface WriteResult {
  /** Applies the batch to `ctx.utxos` and `ctx.dayAddresses`: call only once the transaction has committed. */
  commitCache: () => void;
  /** Per script of the batch's rows. */
  addressIds: bigint[];
}

/** Writes the batch (from `prepared` rows when given, with `knownAddresses` when their lookup was done ahead). */
export async function writeBitcoinBlocks(sql: Tx, ids: IdCounters, blocks: BitcoinBlock[], ctx: WriteContext, prepared?: BatchRows, knownAddresses?: (bigint | null)[]): Promise<WriteResult> {
  if (!blocks.length) return { commitCache: () => {}, addressIds: [] };
  const chainId = ids.chainId;
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  const lap = (k: keyof typeof writeTimings) => {
    const t = performance.now();
    const c = process.cpuUsage();
    writeTimings[k] += t - t0;
    writeCpu[k] += (c.user - c0.user + c.system - c0.system) / 1000;
    t0 = t;
    c0 = c;
  };
  const rows = prepared ?? buildRows(blocks, ctx.slug);
  startWrite(rows, ids);
  lap("rows");
  const addr = await assignAddressIds(sql, ids, rows, knownAddresses);
  lap("addresses");
  await resolvePrevouts(sql, { slug: ctx.slug, chainId, blockHash: (b) => reversedHex(blocks[b].header.hash) }, rows, ctx.utxos);
  lap("prevouts");
  // The spends need nothing else: PostgreSQL marks them while this thread computes the batch's statistics and
  // analytics (the statement is sent at once; its result is awaited below, a failure handled there).
  const spending = markSpent(sql, ctx, rows, blocks);
  spending.catch(() => {});
  await new Promise((r) => setImmediate(r));
  const stats = blocks.map((b, bi) => blockStats(b.block, { height: b.header.height, network: ctx.network, prevouts: statsPrevouts(rows, bi, b) }));
  lap("stats");
  const effects = addressEffects(rows, addr);
  const metrics = bitcoinMetrics(blocks, rows, effects);
  lap("metrics");
  await spending;
  lap("spend");
  const commitMetrics = await writeBitcoinMetrics(sql, chainId, effects, metrics, ctx, ids.nextAddrSeq);
  lap("metrics");

  await insertBlocksAndStats(sql, chainId, blocks, stats);
  await insertTxs(sql, chainId, rows, blocks);
  await insertInputs(sql, chainId, rows, addr);
  await insertOutputs(sql, chainId, rows, addr);
  lap("insert");
  await writeAddresses(sql, chainId, rows, effects);
  lap("summaries");
  await writeHistory(sql, chainId, rows, effects);
  lap("history");
  const utxos = ctx.utxos;
  return {
    commitCache: () => {
      if (utxos) updateUtxoCache(utxos, rows, addr);
      commitMetrics();
    },
    addressIds: addr.ids,
  };
}

/** The batch's spends leave the cache and its unspent outputs enter it. Genesis outputs (never spendable) and
 *  provably unspendable ones stay out, so the database refuses those spends with its usual message. */
function updateUtxoCache(utxos: UtxoCache, rows: BatchRows, addr: AddressIds): void {
  for (const i of rows.pending) utxos.delete(rows.ins[i].prevTxid, rows.ins[i].prevVout);
  for (const o of rows.outs) {
    const t = rows.txs[o.tx];
    if (o.spentByTx !== null || o.script < 0 || t.height === 0) continue;
    utxos.set(t.txid, o.vout, { txId: t.id, value: o.value, addrId: addr.ids[o.script], scriptSize: o.scriptPubKey.length });
  }
}

/** [txIndex][inputIndex] prevouts of one block, as lib/bitcoin/stats wants them (the coinbase's list stays empty). */
function statsPrevouts(rows: BatchRows, bi: number, b: BitcoinBlock): StatsPrevout[][] {
  const out: StatsPrevout[][] = b.block.txs.map(() => []);
  for (let i = firstInOfTx(rows, firstTxOfBlock(rows, bi)); i < rows.ins.length && rows.txs[rows.ins[i].tx].block === bi; i++) {
    const input = rows.ins[i];
    const p = input.prev;
    if (!p) continue;
    const list = out[rows.txs[input.tx].position];
    if (p.kind === "batch") {
      const o = rows.outs[p.out];
      list.push({ value: o.value, scriptPubKey: o.scriptPubKey });
    } else {
      list.push({ value: p.value, scriptSize: p.scriptSize });
    }
  }
  return out;
}

function firstTxOfBlock(rows: BatchRows, bi: number): number {
  let lo = 0, hi = rows.txs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows.txs[mid].block < bi) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstInOfTx(rows: BatchRows, t: number): number {
  let lo = 0, hi = rows.ins.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows.ins[mid].tx < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

async function insertBlocksAndStats(sql: Tx, chainId: number, blocks: BitcoinBlock[], stats: ReturnType<typeof blockStats>[]): Promise<void> {
  const h = blocks.map((b) => b.block.header);
  // A block that lost a reorg keeps its header extras (its `block` row is kept, marked stale): winning again is a no-op.
  await sql`
    insert into btc_block (chain_id, hash, version, merkle_root, bits, nonce, stripped_size, weight)
    select ${chainId}, decode(u.hash, 'hex'), u.version, decode(u.root, 'hex'), u.bits, u.nonce, u.stripped, u.weight
    from unnest(${blocks.map((b) => hexOf(b.header.hash))}::text[], ${h.map((x) => x.version)}::int[], ${h.map((x) => hexOf(x.merkleRoot))}::text[],
      ${h.map((x) => x.bits | 0)}::int[], ${h.map((x) => x.nonce)}::bigint[], ${blocks.map((b) => blockStrippedSize(b.block))}::int[],
      ${blocks.map((b) => blockWeight(b.block))}::int[]) as u(hash, version, root, bits, nonce, stripped, weight)
    on conflict (chain_id, hash) do nothing`;
  const col = <K extends keyof (typeof stats)[number]>(k: K) => stats.map((s) => s[k] as number);
  await sql`
    insert into btc_block_stats (chain_id, height, time, txs, ins, outs, subsidy, totalfee, total_out, total_size, total_weight,
      swtxs, swtotal_size, swtotal_weight, avgfee, avgfeerate, avgtxsize, maxfee, maxfeerate, maxtxsize, medianfee, mediantxsize,
      minfee, minfeerate, mintxsize, feerate_percentiles, utxo_increase, utxo_size_inc, utxo_increase_actual, utxo_size_inc_actual)
    select ${chainId}, u.height, u.time, u.txs, u.ins, u.outs, u.subsidy, u.totalfee, u.total_out, u.total_size, u.total_weight,
      u.swtxs, u.swtotal_size, u.swtotal_weight, u.avgfee, u.avgfeerate, u.avgtxsize, u.maxfee, u.maxfeerate, u.maxtxsize, u.medianfee,
      u.mediantxsize, u.minfee, u.minfeerate, u.mintxsize, u.pct::bigint[], u.utxo_increase, u.utxo_size_inc, u.utxo_increase_actual, u.utxo_size_inc_actual
    from unnest(${col("height")}::bigint[], ${col("time")}::bigint[], ${col("txs")}::int[], ${col("ins")}::int[], ${col("outs")}::int[],
      ${col("subsidy")}::bigint[], ${col("totalfee")}::bigint[], ${col("total_out")}::bigint[], ${col("total_size")}::bigint[], ${col("total_weight")}::bigint[],
      ${col("swtxs")}::int[], ${col("swtotal_size")}::bigint[], ${col("swtotal_weight")}::bigint[], ${col("avgfee")}::bigint[], ${col("avgfeerate")}::bigint[],
      ${col("avgtxsize")}::bigint[], ${col("maxfee")}::bigint[], ${col("maxfeerate")}::bigint[], ${col("maxtxsize")}::bigint[], ${col("medianfee")}::bigint[],
      ${col("mediantxsize")}::bigint[], ${col("minfee")}::bigint[], ${col("minfeerate")}::bigint[], ${col("mintxsize")}::bigint[],
      ${stats.map((s) => `{${s.feerate_percentiles.join(",")}}`)}::text[], ${col("utxo_increase")}::int[], ${col("utxo_size_inc")}::bigint[],
      ${col("utxo_increase_actual")}::int[], ${col("utxo_size_inc_actual")}::bigint[])
      as u(height, time, txs, ins, outs, subsidy, totalfee, total_out, total_size, total_weight, swtxs, swtotal_size, swtotal_weight,
        avgfee, avgfeerate, avgtxsize, maxfee, maxfeerate, maxtxsize, medianfee, mediantxsize, minfee, minfeerate, mintxsize, pct,
        utxo_increase, utxo_size_inc, utxo_increase_actual, utxo_size_inc_actual)`;
}

async function insertTxs(sql: Tx, chainId: number, rows: BatchRows, blocks: BitcoinBlock[]): Promise<void> {
  const w = new CopyBinaryWriter();
  await copyInBinary(sql, "btc_tx", ["id", "chain_id", "txid", "height", "position", "version", "locktime", "size", "vsize", "weight", "is_coinbase",
    "has_witness", "input_count", "output_count", "input_value", "output_value", "fee", "raw"], w, (function* () {
    for (const t of rows.txs) {
      const r = blocks[t.block].block.txs[t.position];
      w.row(18).int8(t.id).int2(chainId).bytea(t.txid).int8(t.height).int4(t.position).int4(r.version).int8(r.locktime).int4(txSize(r))
        .int4(txVsize(r)).int4(txWeight(r)).bool(t.coinbase).bool(r.hasWitness).int4(r.inputs.length).int4(r.outputs.length)
        .int8(t.inputValue).int8(t.outputValue).int8(t.coinbase ? 0n : t.inputValue - t.outputValue).bytea(r.raw);
      yield;
    }
  })());
}

async function insertInputs(sql: Tx, chainId: number, rows: BatchRows, addr: AddressIds): Promise<void> {
  const w = new CopyBinaryWriter();
  await copyInBinary(sql, "btc_input", ["chain_id", "tx_id", "vin", "prev_tx_id", "prev_vout", "value", "address_id"], w, (function* () {
    for (const i of rows.ins) {
      w.row(7).int2(chainId).int8(rows.txs[i.tx].id).int4(i.vin);
      const p = i.prev;
      if (!p) w.null().null().int8(0).null();
      else if (p.kind === "batch") {
        const o = rows.outs[p.out];
        w.int8(rows.txs[o.tx].id).int4(o.vout).int8(o.value).int8OrNull(o.script >= 0 ? addr.ids[o.script] : null);
      } else {
        w.int8(p.txId).int4(p.vout).int8(p.value).int8OrNull(p.addrId);
      }
      yield;
    }
  })());
}

async function insertOutputs(sql: Tx, chainId: number, rows: BatchRows, addr: AddressIds): Promise<void> {
  const w = new CopyBinaryWriter();
  await copyInBinary(sql, "btc_output", ["chain_id", "tx_id", "vout", "value", "script_type", "address_id", "spent_by_tx_id", "spent_by_vin", "spent_height"], w, (function* () {
    for (const o of rows.outs) {
      w.row(9).int2(chainId).int8(rows.txs[o.tx].id).int4(o.vout).int8(o.value).int2(o.scriptType).int8OrNull(o.script >= 0 ? addr.ids[o.script] : null)
        .int8OrNull(o.spentByTx === null ? null : rows.txs[o.spentByTx].id).int4OrNull(o.spentVin).int8OrNull(o.spentHeight);
      yield;
    }
  })());
}

/** Outputs of earlier batches spent by this one: one UPDATE ... FROM unnest. */
async function markSpent(sql: Tx, ctx: WriteContext, rows: BatchRows, blocks: BitcoinBlock[]): Promise<void> {
  // In key order: each page of btc_output and of its primary key is visited once per batch, not once per input.
  const list = rows.pending.map((i) => rows.ins[i]).sort((a, b) => compareBigints((a.prev as { txId: bigint }).txId, (b.prev as { txId: bigint }).txId) || a.prevVout - b.prevVout);
  for (const part of chunks(list)) {
    const res = await sql`
      update btc_output o set spent_by_tx_id = u.by, spent_by_vin = u.vin, spent_height = u.h
      from unnest(${pgArray(part.map((i) => (i.prev as { txId: bigint }).txId))}::bigint[], ${pgArray(part.map((i) => i.prevVout))}::int[],
        ${pgArray(part.map((i) => rows.txs[i.tx].id))}::bigint[], ${pgArray(part.map((i) => i.vin))}::int[], ${pgArray(part.map((i) => rows.txs[i.tx].height))}::bigint[])
        as u(tx, vout, by, vin, h)
      where o.tx_id = u.tx and o.vout = u.vout and o.spent_by_tx_id is null`;
    if (res.count !== part.length) {
      const first = blocks[rows.txs[part[0].tx].block].header.height;
      throw new Error(`${ctx.slug}: marking ${part.length} outputs spent (blocks from ${first}) changed ${res.count} rows: another writer spent them concurrently`);
    }
  }
}

async function writeAddresses(sql: Tx, chainId: number, rows: BatchRows, e: AddressEffects): Promise<void> {
  const floor = await richFloor(sql, chainId);
  const fresh: number[] = [];
  const old: number[] = [];
  for (let l = 0; l < e.ids.length; l++) (e.fresh[l] ? fresh : old).push(l);
  const wa = new CopyBinaryWriter();
  await copyInBinary(sql, "btc_address", ["id", "chain_id", "script", "script_type", "balance", "received", "sent", "tx_count", "utxo_count",
    "first_height", "last_height"], wa, (function* () {
    for (const s of fresh) {
      wa.row(11).int8(e.ids[s]).int2(chainId).bytea(rows.scripts[s]).int2(rows.scriptTypes[s]).int8(e.balance[s]).int8(e.received[s])
        .int8(e.sent[s]).int4(e.txCount[s]).int4(e.utxoCount[s]).int8(rows.scriptFirstHeight[s]).int8(e.lastHeight[s]);
      yield;
    }
  })());
  await addRichAddresses(sql, chainId, floor, fresh.map((s) => e.ids[s]), fresh.map((s) => e.balance[s]));
  // In id order, which is the heap's order (ids grow with first appearance): each page is visited once per batch.
  for (const part of chunks(localsById(e, old))) {
    // HOT updates (see the schema), and the rich list follows each balance across the floor in the same statement.
    await sql`
      with u as (
        update btc_address a set balance = a.balance + u.bal, received = a.received + u.rec, sent = a.sent + u.sent,
          tx_count = a.tx_count + u.txc, utxo_count = a.utxo_count + u.utxo, last_height = greatest(a.last_height, u.lh)
        from unnest(${pgArray(part.map((l) => e.ids[l]))}::bigint[], ${pgArray(part.map((l) => e.balance[l]))}::bigint[],
          ${pgArray(part.map((l) => e.received[l]))}::bigint[], ${pgArray(part.map((l) => e.sent[l]))}::bigint[],
          ${pgArray(part.map((l) => e.txCount[l]))}::int[], ${pgArray(part.map((l) => e.utxoCount[l]))}::int[], ${pgArray(part.map((l) => e.lastHeight[l]))}::bigint[])
          as u(id, bal, rec, sent, txc, utxo, lh)
        where a.id = u.id
        returning a.id, a.balance, a.balance - u.bal as before),
      up as (
        insert into btc_rich (chain_id, address_id, balance) select ${chainId}, id, balance from u where balance >= ${floor.toString()}::bigint
        on conflict (address_id) do update set balance = excluded.balance)
      delete from btc_rich r using u where r.address_id = u.id and u.balance < ${floor.toString()}::bigint and u.before >= ${floor.toString()}::bigint`;
  }
  await resizeRichList(sql, chainId, floor);
}

async function writeHistory(sql: Tx, chainId: number, rows: BatchRows, e: AddressEffects): Promise<void> {
  // In primary-key order: each B-tree leaf is visited once per batch instead of once per row.
  const h = e.history;
  const wh = new CopyBinaryWriter();
  await copyInBinary(sql, "btc_address_tx", ["chain_id", "address_id", "height", "position", "tx_id", "delta"], wh, (function* () {
    for (const k of historyByAddress(e)) {
      const t = rows.txs[h.tx[k]];
      wh.row(6).int2(chainId).int8(e.ids[h.local[k]]).int8(t.height).int4(t.position).int8(t.id).int8(h.delta[k]);
      yield;
    }
  })());
}
