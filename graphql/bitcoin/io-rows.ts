// A tx's inputs and outputs in one statement: a tx page needs both, and each statement costs the server a socket
// write and PostgreSQL a round trip, more than the rows themselves. The two tables' rows share one column list
// (kind 0 = input, 1 = output; columns the other table lacks are NULL) and are split back into Prisma's shapes.
import type { BtcInput, BtcOutput } from "../../generated/prisma/client";

export const IO_SQL = `
  SELECT 0 AS kind, chain_id AS "chainId", tx_id AS "txId", vin AS n, prev_tx_id AS "prevTxId", prev_vout AS "prevVout", value,
    address_id AS "addressId", NULL::smallint AS "scriptType", NULL::bigint AS "spentByTxId", NULL::int AS "spentByVin", NULL::bigint AS "spentHeight"
  FROM btc_input WHERE tx_id = ANY($1::bigint[])
  UNION ALL
  SELECT 1, chain_id, tx_id, vout, NULL, NULL, value, address_id, script_type, spent_by_tx_id, spent_by_vin, spent_height
  FROM btc_output WHERE tx_id = ANY($1::bigint[])
  ORDER BY 1, 3, 4`;

/** IO_SQL for one tx by equality ($1 is one bigint): a plan PostgreSQL keeps (see context.ts). */
export const IO_SQL_ONE = IO_SQL.replaceAll("= ANY($1::bigint[])", "= $1::bigint");

export interface IoRow {
  kind: 0 | 1; chainId: number; txId: bigint; n: number; prevTxId: bigint | null; prevVout: number | null; value: bigint;
  addressId: bigint | null; scriptType: number | null; spentByTxId: bigint | null; spentByVin: number | null; spentHeight: bigint | null;
}

export interface TxIo { inputs: BtcInput[]; outputs: BtcOutput[] }

/** Each tx's inputs (by vin) and outputs (by vout), in `txIds` order; a tx without rows gets empty lists. */
export function splitIo(txIds: readonly bigint[], rows: readonly IoRow[]): TxIo[] {
  const by = new Map<bigint, TxIo>(txIds.map((id) => [id, { inputs: [], outputs: [] }]));
  for (const r of rows) {
    const io = by.get(r.txId);
    if (!io) continue;
    if (r.kind === 0) {
      io.inputs.push({ chainId: r.chainId, txId: r.txId, vin: r.n, prevTxId: r.prevTxId, prevVout: r.prevVout, value: r.value, addressId: r.addressId });
    } else {
      io.outputs.push({
        chainId: r.chainId, txId: r.txId, vout: r.n, value: r.value, scriptType: r.scriptType!, addressId: r.addressId,
        spentByTxId: r.spentByTxId, spentByVin: r.spentByVin, spentHeight: r.spentHeight,
      });
    }
  }
  return txIds.map((id) => by.get(id)!);
}
