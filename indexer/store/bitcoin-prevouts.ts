// Resolves the prevouts the batch did not create itself: from the cache of recent unspent outputs where it holds
// them, the rest with one query per batch joining btc_tx on (chain_id, txid) to btc_output, with the size of the
// spent output's address script (stats need it). Anything not found is an error that names the outpoint: an input
// is never written with an invented value.
import { reversedHex } from "../../lib/bytes";
import { FatalEngineError } from "../engine/errors";
import type { Tx } from "../engine/adapter";
import { type BatchRows } from "./bitcoin-rows";
import { hexOf, pgArray } from "./bitcoin-sql";
import type { UtxoCache } from "./bitcoin-utxo-cache";

/** An input spends an output the index does not hold (or may not spend). Retrying cannot help. */
export class PrevoutError extends FatalEngineError {
  override readonly name = "PrevoutError";
}

export interface PrevoutContext {
  slug: string;
  chainId: number;
  /** Display hash of the block at a batch block index. */
  blockHash(block: number): string;
}

export async function resolvePrevouts(sql: Tx, ctx: PrevoutContext, rows: BatchRows, cache: UtxoCache | undefined): Promise<void> {
  const misses: number[] = [];
  for (const i of rows.pending) {
    const input = rows.ins[i];
    const hit = cache?.get(input.prevTxid, input.prevVout);
    if (!hit) misses.push(i);
    else {
      input.prev = { kind: "db", txId: hit.txId, vout: input.prevVout, value: hit.value, addrId: hit.addrId, scriptSize: hit.scriptSize };
      rows.txs[input.tx].inputValue += hit.value;
    }
  }
  await resolveFromDb(sql, ctx, rows, misses);
}

async function resolveFromDb(sql: Tx, ctx: PrevoutContext, rows: BatchRows, pending: number[]): Promise<void> {
  if (!pending.length) return;
  // Looked up in txid order, the order of the txid index (each of its pages is read once per batch); checked in
  // chain order, so the first bad input is the one reported.
  const order = [...pending].sort((a, b) => Buffer.compare(rows.ins[a].prevTxid, rows.ins[b].prevTxid));
  const txidHex: string[] = [];
  const vouts: number[] = [];
  for (const i of order) {
    txidHex.push(hexOf(rows.ins[i].prevTxid));
    vouts.push(rows.ins[i].prevVout);
  }
  // One index lookup chain per outpoint, whatever the statistics say: LATERAL keeps the outpoint list outermost.
  // Mid-load statistics once planned a full scan of btc_output joined to the list (14 s for 946 outpoints at 200k
  // txs). `order by t.id desc limit 1`: a txid indexed twice (the BIP30 duplicate coinbases) resolves to its latest
  // copy, as in Core.
  const found = await sql`
    select u.i::int as i, x.*
    from unnest(${pgArray(txidHex)}::text[], ${pgArray(vouts)}::int[]) with ordinality as u(txid, vout, i)
    cross join lateral (
      select t.id::text as tx_id, t.height::text as height, o.value::text as value, o.address_id::text as address_id,
        o.spent_by_tx_id::text as spent_by, o.spent_height::text as spent_height, length(a.script) as script_size
      from btc_tx t
      join btc_output o on o.tx_id = t.id and o.vout = u.vout
      left join btc_address a on a.id = o.address_id
      where t.chain_id = ${ctx.chainId} and t.txid = decode(u.txid, 'hex')
      order by t.id desc
      limit 1) x`;
  const byInput = new Map<number, (typeof found)[number]>();
  for (const r of found) byInput.set(order[r.i - 1], r);
  for (const inIdx of pending) {
    const input = rows.ins[inIdx];
    const r = byInput.get(inIdx);
    const where = () => {
      const tx = rows.txs[input.tx];
      return `${ctx.slug}: block ${tx.height} ${ctx.blockHash(tx.block)} tx ${reversedHex(tx.txid)} input ${input.vin} spends ${reversedHex(input.prevTxid)}:${input.prevVout}`;
    };
    if (!r) throw new PrevoutError(`${where()}, an output this index does not hold (the block spends a nonexistent output, or earlier blocks are missing from the index). Nothing of this batch was written.`);
    if (r.spent_by !== null) throw new PrevoutError(`${where()}, which was already spent at height ${r.spent_height} (a double spend). Nothing of this batch was written.`);
    if (r.height === "0") throw new PrevoutError(`${where()}, the genesis coinbase output, which Bitcoin Core never added to the UTXO set (unspendable). Nothing of this batch was written.`);
    if (r.address_id === null) throw new PrevoutError(`${where()}, a provably unspendable output. Nothing of this batch was written.`);
    input.prev = { kind: "db", txId: BigInt(r.tx_id), vout: input.prevVout, value: BigInt(r.value), addrId: BigInt(r.address_id), scriptSize: r.script_size };
    rows.txs[input.tx].inputValue += BigInt(r.value);
  }
}
