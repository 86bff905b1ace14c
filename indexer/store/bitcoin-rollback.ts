// Undo every Bitcoin row of the canonical blocks above `height`, so the database equals a clean index of the chain
// up to `height` (the engine then applies the winning branch). Tx and address ids grow with height, so "above
// height" is an id range [firstTxId, chain end) served by the primary keys; address summaries subtract the
// rolled-back txs' effect (from their outputs and inputs), last_height is recomputed from the remaining history.
// btc_block rows stay: like the engine's `block` rows (kept, marked stale) they describe the stale block.
import type { IdCounters, Tx } from "../engine/adapter";
import { resyncRichAddresses } from "./bitcoin-rich";
import { chainIdRange } from "./bitcoin-sql";

export async function rollbackBitcoin(sql: Tx, ids: IdCounters, height: number): Promise<void> {
  const c = ids.chainId;
  const [lo, hi] = chainIdRange(c);
  await sql`delete from btc_block_stats where chain_id = ${c} and height > ${height}`;
  const [first] = await sql`select min(id)::text as id from btc_tx where chain_id = ${c} and height > ${height}`;
  if (first.id !== null) {
    const from = first.id as string;
    // Address summaries: subtract what the rolled-back txs added (outputs) and took (inputs).
    await sql`
      with outs as (
        select address_id, sum(value) as v, count(*) as n from btc_output
        where tx_id >= ${from}::bigint and tx_id < ${hi}::bigint and address_id is not null group by address_id),
      ins as (
        select address_id, sum(value) as v, count(*) as n from btc_input
        where tx_id >= ${from}::bigint and tx_id < ${hi}::bigint and address_id is not null group by address_id),
      txs as (
        select address_id, count(*) as n from (
          select address_id, tx_id from btc_output where tx_id >= ${from}::bigint and tx_id < ${hi}::bigint and address_id is not null
          union
          select address_id, tx_id from btc_input where tx_id >= ${from}::bigint and tx_id < ${hi}::bigint and address_id is not null) x
        group by address_id),
      eff as (
        select txs.address_id as id, coalesce(outs.v, 0) as rec, coalesce(ins.v, 0) as sent,
          coalesce(outs.n, 0) - coalesce(ins.n, 0) as utxo, txs.n as txc
        from txs left join outs using (address_id) left join ins using (address_id))
      update btc_address a set received = a.received - eff.rec, sent = a.sent - eff.sent,
        balance = a.balance - eff.rec + eff.sent, utxo_count = a.utxo_count - eff.utxo, tx_count = a.tx_count - eff.txc,
        last_height = coalesce((select max(h.height) from btc_address_tx h where h.chain_id = ${c} and h.address_id = a.id and h.height <= ${height}), a.first_height)
      from eff where a.id = eff.id`;
    // History above height of every touched address (primary key prefix (chain_id, address_id, height)), and the
    // addresses first seen above height (they have no rows left).
    const touched = (await sql`
      select address_id::text as id from btc_output where tx_id >= ${from}::bigint and tx_id < ${hi}::bigint and address_id is not null
      union
      select address_id::text from btc_input where tx_id >= ${from}::bigint and tx_id < ${hi}::bigint and address_id is not null`).map((r) => r.id as string);
    await sql`
      delete from btc_address_tx h using unnest(${touched}::bigint[]) as a(id)
      where h.chain_id = ${c} and h.address_id = a.id and h.height > ${height}`;
    await sql`delete from btc_address a using unnest(${touched}::bigint[]) as t(id) where a.id = t.id and a.first_height > ${height}`;
    await resyncRichAddresses(sql, c, touched);
    // Outputs at or below height that the rolled-back txs spent become unspent again.
    await sql`
      update btc_output o set spent_by_tx_id = null, spent_by_vin = null, spent_height = null
      from btc_input i
      where i.tx_id >= ${from}::bigint and i.tx_id < ${hi}::bigint and i.prev_tx_id is not null
        and o.tx_id = i.prev_tx_id and o.vout = i.prev_vout and o.tx_id < ${from}::bigint`;
    await sql`delete from btc_input where tx_id >= ${from}::bigint and tx_id < ${hi}::bigint`;
    await sql`delete from btc_output where tx_id >= ${from}::bigint and tx_id < ${hi}::bigint`;
    await sql`delete from btc_tx where id >= ${from}::bigint and id < ${hi}::bigint`;
  }
  const [m] = await sql`
    select (select max(id) from btc_tx where id >= ${lo}::bigint and id < ${hi}::bigint)::text as tx,
      (select max(id) from btc_address where id >= ${lo}::bigint and id < ${hi}::bigint)::text as addr`;
  const base = BigInt(lo);
  ids.nextTxSeq = m.tx === null ? 0n : BigInt(m.tx) - base + 1n;
  ids.nextAddrSeq = m.addr === null ? 0n : BigInt(m.addr) - base + 1n;
}
