// Address ids and summaries. An address is a scriptPubKey (see lib/bitcoin/address.ts): every output script that is
// not provably unspendable gets one row per chain. Existing ones are looked up in one query per batch (usually
// ahead of the batch's transaction, see bitcoin-address-ahead.ts); new ones get ids in order of first appearance, so
// ids are deterministic and increase with first_height (rollback relies on it).
import type postgres from "postgres";
import { makeId, type IdCounters, type Tx } from "../engine/adapter";
import type { BatchRows } from "./bitcoin-rows";
import { byteaArray, compareBigints } from "./bitcoin-sql";
import { BytesIndex } from "./bytes-index";

export interface AddressIds {
  /** Per BatchRows.scripts index. */
  ids: bigint[];
  /** Per BatchRows.scripts index: allocated by this batch. */
  fresh: boolean[];
  /** The first id this batch allocates: every id at or above it is fresh (it has no rows anywhere yet). */
  firstFresh: bigint;
}

/** The ids of those `scripts` the chain already has, by position (undefined: none). One index scan over the sorted
 *  list (`= any`: PostgreSQL 17+ walks the index once for the whole array instead of descending it per script, as a
 *  LATERAL probe per script did: 46 s of PostgreSQL's CPU at 2M txs), also outside the write transaction. */
export async function findAddressIds(sql: postgres.Sql | Tx, chainId: number, scripts: Uint8Array[]): Promise<(bigint | undefined)[]> {
  const out = new Array<bigint | undefined>(scripts.length);
  if (!scripts.length) return out;
  const at = new BytesIndex();
  scripts.forEach((s, i) => at.set(s, i));
  const existing = await sql`
    select script, id::text as id from btc_address
    where chain_id = ${chainId} and script = any(${byteaArray(scripts)}::bytea[])`;
  for (const r of existing) out[at.get(r.script as Buffer)] = BigInt(r.id);
  return out;
}

/** Ids for the batch's scripts: `known` (per script, null for a new one) when the lookup was done ahead, else looked up now. */
export async function assignAddressIds(sql: Tx, ids: IdCounters, rows: BatchRows, known?: (bigint | null)[]): Promise<AddressIds> {
  const found = known ?? (await findAddressIds(sql, ids.chainId, rows.scripts));
  const out: AddressIds = { ids: new Array(rows.scripts.length), fresh: new Array(rows.scripts.length), firstFresh: makeId(ids.chainId, ids.nextAddrSeq) };
  for (let i = 0; i < rows.scripts.length; i++) {
    const id = found[i];
    out.fresh[i] = id === null || id === undefined;
    out.ids[i] = out.fresh[i] ? makeId(ids.chainId, ids.nextAddrSeq++) : id!;
  }
  return out;
}

/**
 * What a batch does to each address it touches, in dense per-batch "local" indexes instead of maps keyed by id (a
 * Map<bigint> operation costs ~300 ns; these loops run once per input, output and history row). Local indexes
 * 0..scripts.length-1 are BatchRows.scripts; addresses that the batch only spends from follow.
 */
export interface AddressEffects {
  /** Address id per local index. */
  ids: bigint[];
  /** Allocated by this batch (only scripts can be). */
  fresh: boolean[];
  balance: bigint[];
  received: bigint[];
  sent: bigint[];
  txCount: Int32Array;
  utxoCount: Int32Array;
  lastHeight: Int32Array;
  /** History rows in chain order: (address, tx) with the tx's net effect on that address. */
  history: HistoryRows;
}

export interface HistoryRows {
  length: number;
  /** Local address index per row. */
  local: Int32Array;
  /** Index into BatchRows.txs per row. */
  tx: Int32Array;
  delta: bigint[];
}

export function addressEffects(rows: BatchRows, addr: AddressIds): AddressEffects {
  const ids = addr.ids.slice();
  const fresh = addr.fresh.slice();
  // Addresses of earlier batches' outputs: local index by id, the batch's existing scripts first.
  const localOf = new Map<bigint, number>();
  for (let s = 0; s < ids.length; s++) if (!fresh[s]) localOf.set(ids[s], s);
  const inLocal = new Int32Array(rows.ins.length).fill(-1);
  for (let i = 0; i < rows.ins.length; i++) {
    const p = rows.ins[i].prev;
    if (!p) continue;
    if (p.kind === "batch") {
      inLocal[i] = rows.outs[p.out].script;
      continue;
    }
    let l = localOf.get(p.addrId);
    if (l === undefined) {
      l = ids.length;
      ids.push(p.addrId);
      fresh.push(false);
      localOf.set(p.addrId, l);
    }
    inLocal[i] = l;
  }
  const n = ids.length;
  const e: AddressEffects = {
    ids, fresh,
    balance: new Array<bigint>(n).fill(0n), received: new Array<bigint>(n).fill(0n), sent: new Array<bigint>(n).fill(0n),
    txCount: new Int32Array(n), utxoCount: new Int32Array(n), lastHeight: new Int32Array(n),
    history: { length: 0, local: new Int32Array(rows.ins.length + rows.outs.length), tx: new Int32Array(rows.ins.length + rows.outs.length), delta: [] },
  };
  // Per tx: the net change per touched address (touched[] lists them in order of first touch).
  const net = new Array<bigint>(n).fill(0n);
  const touchedBy = new Int32Array(n).fill(-1);
  const touched: number[] = [];
  const touch = (l: number, t: number, amount: bigint) => {
    if (touchedBy[l] !== t) {
      touchedBy[l] = t;
      net[l] = 0n;
      touched.push(l);
    }
    net[l] += amount;
  };
  const h = e.history;
  let i = 0;
  let o = 0;
  for (let t = 0; t < rows.txs.length; t++) {
    touched.length = 0;
    for (; i < rows.ins.length && rows.ins[i].tx === t; i++) {
      const l = inLocal[i];
      if (l < 0) continue;
      const p = rows.ins[i].prev!;
      const value = p.kind === "batch" ? rows.outs[p.out].value : p.value;
      e.sent[l] += value;
      e.balance[l] -= value;
      e.utxoCount[l]--;
      touch(l, t, -value);
    }
    for (; o < rows.outs.length && rows.outs[o].tx === t; o++) {
      const out = rows.outs[o];
      if (out.script < 0) continue;
      const value = out.value;
      e.received[out.script] += value;
      e.balance[out.script] += value;
      e.utxoCount[out.script]++;
      touch(out.script, t, value);
    }
    const height = rows.txs[t].height;
    for (const l of touched) {
      e.txCount[l]++;
      e.lastHeight[l] = height;
      h.local[h.length] = l;
      h.tx[h.length] = t;
      h.delta.push(net[l]);
      h.length++;
    }
  }
  return e;
}

/** Local indexes ordered by address id: statements and COPYs in key order visit each index page once per batch. */
export function localsById(e: AddressEffects, locals: Iterable<number>): number[] {
  return [...locals].sort((a, b) => compareBigints(e.ids[a], e.ids[b]));
}

/** History row indexes in primary-key order (address id, then chain order): a counting sort by each address's rank. */
export function historyByAddress(e: AddressEffects): Int32Array {
  const h = e.history;
  const order = localsById(e, e.ids.keys());
  const rank = new Int32Array(e.ids.length);
  order.forEach((l, r) => (rank[l] = r));
  const start = new Int32Array(e.ids.length + 1);
  for (let k = 0; k < h.length; k++) start[rank[h.local[k]] + 1]++;
  for (let r = 0; r < e.ids.length; r++) start[r + 1] += start[r];
  const out = new Int32Array(h.length);
  for (let k = 0; k < h.length; k++) out[start[rank[h.local[k]]]++] = k;
  return out;
}
