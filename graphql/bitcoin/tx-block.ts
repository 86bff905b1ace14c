// A tx looked up by txid together with its canonical block: a tx page shows the block (hash, time, the Merkle proof
// against its header), and reading it in the tx's statement saves the page a statement of its own. The block's
// columns come back beside the tx's as "b.<field>" and are split off into Prisma's Block shape.
import type { Block } from "../../generated/prisma/client";
import { COLUMN_LISTS, COLUMNS, type BtcTxRow } from "../sql";

const BLOCK_FIELDS = COLUMN_LISTS.block.map(([, field]) => field);

/**
 * `txSql` (tx rows in COLUMNS.btcTxWithRaw's shape: a tx asked for by txid is usually shown whole) with each row's
 * canonical block joined, still ordered by height. LIMIT 1 (there is one canonical block per height) keeps the lateral
 * a probe of the height index per tx: flattened into a join, a generic plan may hash the whole block table.
 */
const withBlock = (txSql: string) => `
  SELECT t.*${BLOCK_FIELDS.map((f) => `, b."${f}" AS "b.${f}"`).join("")}
  FROM (${txSql}) t
  LEFT JOIN LATERAL (SELECT ${COLUMNS.block} FROM block WHERE NOT stale AND chain_id = t."chainId" AND height = t.height LIMIT 1) b ON true
  ORDER BY t.height ASC`;

/** One (chain id $1, txid hex $2) by equality (a plan PostgreSQL keeps, see context.ts). */
export const TX_BLOCK_BY_TXID_ONE = withBlock(`SELECT ${COLUMNS.btcTxWithRaw} FROM btc_tx WHERE chain_id = $1::smallint AND txid = decode($2, 'hex')`);
/** Several: chain ids $1 and txids (hex) $2, pairwise. */
export const TX_BLOCK_BY_TXID = withBlock(
  `SELECT ${COLUMNS.btcTxWithRaw} FROM btc_tx WHERE (chain_id, txid) IN (SELECT c, decode(h, 'hex') FROM unnest($1::smallint[], $2::text[]) AS k(c, h))`,
);

export type TxBlockRow = BtcTxRow & { [blockColumn: `b.${string}`]: unknown };

/** The tx (without the block's columns) and its block (null when the tx has no canonical block row). */
export function splitTxBlock(r: TxBlockRow): { tx: BtcTxRow; block: Block | null } {
  const tx: Record<string, unknown> = {}, block: Record<string, unknown> = {};
  for (const k in r) {
    if (k.startsWith("b.")) block[k.slice(2)] = r[k as keyof TxBlockRow];
    else tx[k] = r[k as keyof TxBlockRow];
  }
  return { tx: tx as unknown as BtcTxRow, block: block.hash == null ? null : (block as unknown as Block) };
}
