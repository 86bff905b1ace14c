// A tx page's reads in one statement: the tx with its canonical block (tx-block.ts) and its inputs and outputs with
// the neighbour rows the query shows (io-rows.ts). Each statement costs the server a socket write and PostgreSQL a
// round trip, more than these few rows do; one statement also reads them all in one snapshot. The tx row is one
// more arm of the inputs/outputs UNION (kind 2): its columns go where the other rows have their other tx ("s.", the
// same btc_tx shape, so rows stay narrow), its block's in "b." columns that the other arms leave NULL.
import type { Block } from "../../generated/prisma/client";
import { COLUMN_LISTS, nulls, picker, type BtcTxRow } from "../sql";
import { ioArms, ioNeighbours, ioNulls, joinsOtherTx, neighboursKey, splitIo, sTx, TX_COLS, type IoNeighbours, type IoRow, type TxIo } from "./io-rows";
import { TX_BLOCK_BY_TXID_ONE } from "./tx-block";

const BLOCK_COLS = COLUMN_LISTS.block;

/** Chain id $1, txid hex $2: the tx row(s) (two for a BIP30 duplicate txid) and their inputs and outputs. */
export function txPageSql(want: IoNeighbours): string {
  const k = neighboursKey(want);
  let text = texts.get(k);
  if (text === undefined) texts.set(k, (text = buildTxPageSql(want)));
  return text;
}
const texts = new Map<string, string>();

function buildTxPageSql(want: IoNeighbours): string {
  const pad = (joinsOtherTx(want) ? "" : nulls("s", TX_COLS)) + nulls("b", BLOCK_COLS);
  const txColumns = TX_COLS.map(([, f]) => `, t."${f}"`).join("") + BLOCK_COLS.map(([, f]) => `, t."b.${f}"`).join("");
  return `
  WITH t AS MATERIALIZED (${TX_BLOCK_BY_TXID_ONE})
  ${ioArms("IN (SELECT id FROM t)", want, pad)}
  UNION ALL
  SELECT 2, t."chainId", t.id, 0, ${ioNulls({ addresses: want.addresses, spenders: false, funders: false, raw: false })}${txColumns} FROM t
  ORDER BY 1, 3, 4`;
}

export interface TxPage {
  /** By height, so the last is the live one of a BIP30 duplicate; each with its canonical block (or null). */
  txs: { tx: BtcTxRow; block: Block | null; io: TxIo }[];
  neighbours: ReturnType<typeof ioNeighbours>;
}

/** An IoRow, or (kind 2) a tx row. */
type TxPageRow = Omit<IoRow, "kind"> & { kind: 0 | 1 | 2 };

const block = picker<Block>("b", BLOCK_COLS);

export function splitTxPage(rows: readonly TxPageRow[]): TxPage {
  const io = rows.filter((r) => r.kind !== 2) as IoRow[];
  const txs = rows.filter((r) => r.kind === 2).map((r) => ({
    tx: sTx(r),
    block: (r as Record<string, unknown>)["b.hash"] == null ? null : block(r),
  })).sort((a, b) => (a.tx.height < b.tx.height ? -1 : a.tx.height > b.tx.height ? 1 : 0));
  const ios = splitIo(txs.map((t) => t.tx.id), io);
  return { txs: txs.map((t, i) => ({ ...t, io: ios[i] })), neighbours: ioNeighbours(io) };
}
