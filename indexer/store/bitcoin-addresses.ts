// Address ids and summaries. An address is a scriptPubKey (see lib/bitcoin/address.ts): every output script that is
// not provably unspendable gets one row per chain. Existing ones are looked up in one query per batch; new ones get
// ids in order of first appearance, so ids are deterministic and increase with first_height (rollback relies on it).
import { makeId, type IdCounters, type Tx } from "../engine/adapter";
import type { BatchRows } from "./bitcoin-rows";

export interface AddressIds {
  /** Per BatchRows.scripts index. */
  ids: bigint[];
  /** Per BatchRows.scripts index: allocated by this batch. */
  fresh: boolean[];
  /** The first id this batch allocates: every id at or above it is fresh (it has no rows anywhere yet). */
  firstFresh: bigint;
}

export async function assignAddressIds(sql: Tx, ids: IdCounters, rows: BatchRows): Promise<AddressIds> {
  const out: AddressIds = { ids: new Array(rows.scripts.length), fresh: new Array(rows.scripts.length).fill(true), firstFresh: makeId(ids.chainId, ids.nextAddrSeq) };
  if (!rows.scripts.length) return out;
  const existing = await sql`
    select u.i::int as i, a.id::text as id
    from unnest(${rows.scripts}::text[]) with ordinality as u(s, i)
    join btc_address a on a.chain_id = ${ids.chainId} and a.script = decode(u.s, 'hex')`;
  for (const r of existing) {
    out.ids[r.i - 1] = BigInt(r.id);
    out.fresh[r.i - 1] = false;
  }
  for (let i = 0; i < rows.scripts.length; i++) if (out.fresh[i]) out.ids[i] = makeId(ids.chainId, ids.nextAddrSeq++);
  return out;
}

export interface AddressEffect {
  balance: bigint;
  received: bigint;
  sent: bigint;
  txCount: number;
  utxoCount: number;
  lastHeight: number;
}

export interface HistoryRow {
  addrId: bigint;
  height: number;
  position: number;
  txId: bigint;
  delta: bigint;
}

/** One history row per (address, tx) with the tx's net effect on it, and each address's summary change. */
export function addressEffects(rows: BatchRows, addr: AddressIds): { effects: Map<bigint, AddressEffect>; history: HistoryRow[] } {
  const effects = new Map<bigint, AddressEffect>();
  const history: HistoryRow[] = [];
  const effect = (id: bigint, height: number): AddressEffect => {
    let e = effects.get(id);
    if (!e) effects.set(id, (e = { balance: 0n, received: 0n, sent: 0n, txCount: 0, utxoCount: 0, lastHeight: height }));
    return e;
  };
  let i = 0;
  let o = 0;
  const perTx = new Map<bigint, bigint>();
  for (let t = 0; t < rows.txs.length; t++) {
    const tx = rows.txs[t];
    perTx.clear();
    for (; i < rows.ins.length && rows.ins[i].tx === t; i++) {
      const p = rows.ins[i].prev;
      if (!p) continue;
      let id: bigint | null;
      let value: bigint;
      if (p.kind === "batch") {
        const out = rows.outs[p.out];
        id = out.script >= 0 ? addr.ids[out.script] : null;
        value = out.value;
      } else {
        id = p.addrId;
        value = p.value;
      }
      if (id === null) continue;
      const e = effect(id, tx.height);
      e.sent += value;
      e.balance -= value;
      e.utxoCount--;
      perTx.set(id, (perTx.get(id) ?? 0n) - value);
    }
    for (; o < rows.outs.length && rows.outs[o].tx === t; o++) {
      const out = rows.outs[o];
      if (out.script < 0) continue;
      const id = addr.ids[out.script];
      const e = effect(id, tx.height);
      e.received += out.value;
      e.balance += out.value;
      e.utxoCount++;
      perTx.set(id, (perTx.get(id) ?? 0n) + out.value);
    }
    for (const [id, delta] of perTx) {
      const e = effects.get(id)!;
      e.txCount++;
      e.lastHeight = tx.height;
      history.push({ addrId: id, height: tx.height, position: tx.position, txId: tx.id, delta });
    }
  }
  return { effects, history };
}
