// A tx's inputs and outputs in one statement: a tx page needs both, and each statement costs the server a socket
// write and PostgreSQL a round trip, more than the rows themselves. The two tables' rows share one column list
// (kind 0 = input, 1 = output; columns the other table lacks are NULL) and are split back into Prisma's shapes.
// When the query will also show the rows' addresses, the txs that spent the outputs or the txs that funded the
// inputs, the same statement joins those rows in (ioSql's `addresses` / `spenders` / `funders`): a tx page is then
// one statement where it was four, three of them array lookups that PostgreSQL re-plans on every run.
import type { BtcAddress, BtcInput, BtcOutput } from "../../generated/prisma/client";
import { COLUMN_LISTS, joined, nulls, picker, type BtcTxRow, type Col } from "../sql";

/** Neighbour rows to join in: address rows of inputs and outputs, tx rows of the outputs' spenders and of the inputs'
 *  funders, and with those tx rows their raw bytes (`raw`: the query parses them, e.g. a funder's own inputs). */
export interface IoNeighbours { addresses: boolean; spenders: boolean; funders: boolean; raw: boolean }

/** Whether any neighbour rows are joined; whether the "s." columns (the row's other tx) are. */
export const joinsAny = (o: IoNeighbours) => o.addresses || joinsOtherTx(o);
export const joinsOtherTx = (o: IoNeighbours) => o.spenders || o.funders;

/** The variant's key (statement texts and loaders are kept per variant). */
export const neighboursKey = (o: IoNeighbours) => `${o.addresses}:${o.spenders}:${o.funders}:${o.raw}`;

const ADDRESS_COLS = COLUMN_LISTS.btcAddress;
/** The "s." columns: a btc_tx row with its raw bytes, which a join leaves NULL unless the query parses them. */
export const TX_COLS: readonly Col[] = [...COLUMN_LISTS.btcTx, ["raw", "raw", "bytea"]];

// Neighbour columns come back as "a.<field>" (address) and "s.<field>" (the row's other tx: an input's funding tx,
// an output's spending tx; both are btc_tx rows, so one set of columns serves both arms).
/** A joined btc_tx row's columns in TX_COLS' shape under `alias`, its raw bytes NULL unless `withRaw`. */
export const txColumnsAs = (alias: string, withRaw: boolean) =>
  joined(alias, COLUMN_LISTS.btcTx) + (withRaw ? `, ${alias}.raw AS "${alias}.raw"` : `, NULL::bytea AS "${alias}.raw"`);

/** The statement's text: `one` takes a single bigint ($1) by equality (a plan PostgreSQL keeps, see context.ts). */
export function ioSql(o: { one: boolean } & IoNeighbours): string {
  const k = `${o.one}:${neighboursKey(o)}`;
  let text = texts.get(k);
  if (text === undefined) texts.set(k, (text = `${ioArms(o.one ? "= $1::bigint" : "= ANY($1::bigint[])", o)}\n  ORDER BY 1, 3, 4`));
  return text;
}
const texts = new Map<string, string>();

/**
 * The input and output SELECTs joined by UNION ALL, unordered, for the txs `tx_id <txIdIs>` selects; `pad` is
 * appended to both select lists (another statement's columns, as NULLs, when this is part of a wider UNION).
 */
export function ioArms(txIdIs: string, o: IoNeighbours, pad = ""): string {
  const a = o.addresses, s = joinsOtherTx(o);
  return `
  SELECT 0 AS kind, i.chain_id AS "chainId", i.tx_id AS "txId", i.vin AS n, i.prev_tx_id AS "prevTxId", i.prev_vout AS "prevVout", i.value,
    i.address_id AS "addressId", NULL::smallint AS "scriptType", NULL::bigint AS "spentByTxId", NULL::int AS "spentByVin", NULL::bigint AS "spentHeight"${a ? joined("a", ADDRESS_COLS) : ""}${s ? (o.funders ? txColumnsAs("s", o.raw) : nulls("s", TX_COLS)) : ""}${pad}
  FROM btc_input i${a ? " LEFT JOIN btc_address a ON a.id = i.address_id" : ""}${o.funders ? " LEFT JOIN btc_tx s ON s.id = i.prev_tx_id" : ""} WHERE i.tx_id ${txIdIs}
  UNION ALL
  SELECT 1, o.chain_id, o.tx_id, o.vout, NULL, NULL, o.value, o.address_id, o.script_type, o.spent_by_tx_id, o.spent_by_vin, o.spent_height${a ? joined("a", ADDRESS_COLS) : ""}${s ? (o.spenders ? txColumnsAs("s", o.raw) : nulls("s", TX_COLS)) : ""}${pad}
  FROM btc_output o${a ? " LEFT JOIN btc_address a ON a.id = o.address_id" : ""}${o.spenders ? " LEFT JOIN btc_tx s ON s.id = o.spent_by_tx_id" : ""} WHERE o.tx_id ${txIdIs}`;
}

/** NULLs in the shape of ioArms' columns (for a row of another kind in the same UNION). */
export function ioNulls(o: IoNeighbours): string {
  return `NULL::bigint AS "prevTxId", NULL::int AS "prevVout", NULL::bigint AS value, NULL::bigint AS "addressId", NULL::smallint AS "scriptType",
    NULL::bigint AS "spentByTxId", NULL::int AS "spentByVin", NULL::bigint AS "spentHeight"${o.addresses ? nulls("a", ADDRESS_COLS) : ""}${joinsOtherTx(o) ? nulls("s", TX_COLS) : ""}`;
}

export interface IoRow {
  kind: 0 | 1; chainId: number; txId: bigint; n: number; prevTxId: bigint | null; prevVout: number | null; value: bigint;
  addressId: bigint | null; scriptType: number | null; spentByTxId: bigint | null; spentByVin: number | null; spentHeight: bigint | null;
  /** Joined neighbour columns ("a.<field>", "s.<field>"), when asked for. */
  [neighbourColumn: `${"a" | "s"}.${string}`]: unknown;
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

const address = picker<BtcAddress>("a", ADDRESS_COLS);
/** A btc_tx row in the "s." columns: an output's spender or an input's funder here, the tx itself in a tx page's row (tx-page.ts). */
export const sTx = picker<BtcTxRow>("s", TX_COLS);

/** The joined address rows and other txs (spenders, funders), once per id, in BtcAddress / BtcTx shapes. */
export function ioNeighbours(rows: readonly IoRow[]): { addresses: BtcAddress[]; txs: BtcTxRow[] } {
  const addresses = new Map<bigint, BtcAddress>(), txs = new Map<bigint, BtcTxRow>();
  for (const r of rows) {
    const aid = r["a.id"] as bigint | null | undefined;
    if (aid != null && !addresses.has(aid)) addresses.set(aid, address(r));
    const sid = r["s.id"] as bigint | null | undefined;
    if (sid != null && !txs.has(sid)) txs.set(sid, sTx(r));
  }
  return { addresses: [...addresses.values()], txs: [...txs.values()] };
}
