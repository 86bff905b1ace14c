// Resolves the prevouts the batch did not create itself and marks them spent, in one statement per batch: an UPDATE
// of btc_output found through btc_tx (chain_id, txid), returning each spent output's value, address and script
// (stats need its size). Anything not found or already spent is diagnosed by a second query and named by outpoint:
// an input is never written with an invented value, and the throw rolls the whole batch back.
import { reversedHex } from "../../lib/bytes";
import { FatalEngineError } from "../engine/errors";
import type { Tx } from "../engine/adapter";
import { type BatchRows } from "./bitcoin-rows";
import { chunks, hexOf } from "./bitcoin-sql";

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

export async function spendDbPrevouts(sql: Tx, ctx: PrevoutContext, rows: BatchRows): Promise<void> {
  if (!rows.pending.length) return;
  for (const part of chunks(rows.pending.map((inIdx, k) => ({ inIdx, k })))) {
    const input = (k: number) => rows.ins[part[k].inIdx];
    // The latest copy of a txid (BIP30's duplicate coinbases), as in Core. A spent output is matched once.
    const found = await sql`
      with u as (
        update btc_output o set spent_by_tx_id = u.by, spent_by_vin = u.vin, spent_height = u.h
        from (
          select u.i, u.vout, u.by, u.vin, u.h, t.id as tx_id, t.height as tx_height
          from unnest(${part.map((_, k) => hexOf(input(k).prevTxid))}::text[], ${part.map((_, k) => input(k).prevVout)}::int[],
            ${part.map((_, k) => rows.txs[input(k).tx].id.toString())}::bigint[], ${part.map((_, k) => input(k).vin)}::int[],
            ${part.map((_, k) => rows.txs[input(k).tx].height)}::bigint[]) with ordinality as u(txid, vout, by, vin, h, i)
          cross join lateral (
            select t.id, t.height from btc_tx t where t.chain_id = ${ctx.chainId} and t.txid = decode(u.txid, 'hex') order by t.id desc limit 1) t) u
        where o.tx_id = u.tx_id and o.vout = u.vout and o.spent_by_tx_id is null
        returning u.i, o.tx_id, o.value, o.address_id, u.tx_height)
      select u.i::int as i, u.tx_id::text as tx_id, u.value::text as value, u.address_id::text as address_id, u.tx_height::text as height, a.script
      from u left join btc_address a on a.id = u.address_id`;
    const byIndex = new Array<(typeof found)[number] | undefined>(part.length);
    for (const r of found) byIndex[r.i - 1] = r;
    if (found.length !== part.length) await diagnose(sql, ctx, rows, part.filter((_, k) => !byIndex[k]).map((p) => p.inIdx));
    part.forEach(({ inIdx }, k) => {
      const r = byIndex[k]!;
      const inp = rows.ins[inIdx];
      if (r.height === "0") throw new PrevoutError(`${where(ctx, rows, inIdx)}, the genesis coinbase output, which Bitcoin Core never added to the UTXO set (unspendable). Nothing of this batch was written.`);
      if (r.address_id === null) throw new PrevoutError(`${where(ctx, rows, inIdx)}, a provably unspendable output. Nothing of this batch was written.`);
      inp.prev = { kind: "db", txId: BigInt(r.tx_id), vout: inp.prevVout, value: BigInt(r.value), addrId: BigInt(r.address_id), scriptPubKey: r.script };
      rows.txs[inp.tx].inputValue += BigInt(r.value);
    });
  }
}

function where(ctx: PrevoutContext, rows: BatchRows, inIdx: number): string {
  const input = rows.ins[inIdx];
  const tx = rows.txs[input.tx];
  return `${ctx.slug}: block ${tx.height} ${ctx.blockHash(tx.block)} tx ${reversedHex(tx.txid)} input ${input.vin} spends ${reversedHex(input.prevTxid)}:${input.prevVout}`;
}

/** Why inputs were not spent: an output the index does not hold, or one already spent. Always throws. */
async function diagnose(sql: Tx, ctx: PrevoutContext, rows: BatchRows, missing: number[]): Promise<never> {
  const inIdx = missing[0];
  const input = rows.ins[inIdx];
  const [r] = await sql`
    select o.spent_height::text as spent_height from btc_tx t join btc_output o on o.tx_id = t.id and o.vout = ${input.prevVout}
    where t.chain_id = ${ctx.chainId} and t.txid = decode(${hexOf(input.prevTxid)}, 'hex') order by t.id desc limit 1`;
  if (!r) throw new PrevoutError(`${where(ctx, rows, inIdx)}, an output this index does not hold (the block spends a nonexistent output, or earlier blocks are missing from the index). Nothing of this batch was written.`);
  throw new PrevoutError(`${where(ctx, rows, inIdx)}, which was already spent at height ${r.spent_height} (a double spend). Nothing of this batch was written.`);
}
