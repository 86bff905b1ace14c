// The fields every Block shares, and the block's transaction connection (keyset over (height, position)).
import { Prisma, type Block } from "../../generated/prisma/client";
import { chainById, type BlockRow, type Context, type EvmTxRow, type Family } from "../context";
import { badInput } from "../errors";
import { connection, pageRequest, type PageArgs } from "../pagination";
import { COLUMNS, sqlRows, type BtcTxRow } from "../sql";
import { btcHex, evmHex, verification } from "./common";

export function withFamily(row: Block | null, family: Family): BlockRow | null {
  return row ? Object.assign(row, { family }) : null;
}

const hashHex = (b: BlockRow, bytes: Uint8Array) => (b.family === "evm" ? evmHex(bytes) : btcHex(bytes));

/**
 * A chain's canonical blocks, newest first (`newestFirst`: heights below `from`) or oldest first (above it); the
 * partial unique index on canonical (chain_id, height) serves both directions.
 */
export function canonicalBlocks(chainId: number, newestFirst: boolean, from: bigint | null, limit: number): Promise<Block[]> {
  const after = from === null ? Prisma.empty : newestFirst ? Prisma.sql`AND height < ${from}::bigint` : Prisma.sql`AND height > ${from}::bigint`;
  return sqlRows<Block>(Prisma.sql`SELECT ${Prisma.raw(COLUMNS.block)} FROM block WHERE chain_id = ${chainId}::smallint AND NOT stale ${after}
    ORDER BY height ${Prisma.raw(newestFirst ? "DESC" : "ASC")} LIMIT ${limit}`);
}

/** Transactions of one block in block order, a page at a time; batched across blocks by the blockTxPage loader. */
export async function blockTransactions(ctx: Context, b: BlockRow, args: PageArgs) {
  const req = pageRequest(args);
  if (req.cursor && req.cursor.height !== b.height) throw badInput("cursor belongs to another block");
  // Stale blocks keep no transactions (the reorg rolled them back), so there is nothing to page.
  const ids = b.stale ? [] : await ctx.loaders.blockTxPage.load({ chainId: b.chainId, family: b.family, height: b.height, req });
  const loader = b.family === "evm" ? ctx.loaders.evmTx : ctx.loaders.btcTx;
  const rows = (await loader.loadMany(ids)).filter((r): r is BtcTxRow | EvmTxRow => r !== null && !(r instanceof Error));
  return connection(req, rows, (r) => ({ height: r.height, position: r.position }), (r) => ({ node: r }));
}

export const blockFields = {
  chain: (b: BlockRow, _: unknown, ctx: Context) => chainById(ctx, b.chainId),
  hash: (b: BlockRow) => hashHex(b, b.hash),
  height: (b: BlockRow) => Number(b.height),
  parentHash: (b: BlockRow) => hashHex(b, b.parentHash),
  time: (b: BlockRow) => b.time,
  stale: (b: BlockRow) => b.stale,
  canonical: async (b: BlockRow, _: unknown, ctx: Context) =>
    b.stale ? withFamily(await ctx.loaders.canonicalBlockByHeight.load({ chainId: b.chainId, value: b.height }), b.family) : b,
  verification: (b: BlockRow) => verification(b),
  transactions: (b: BlockRow, args: PageArgs, ctx: Context) => blockTransactions(ctx, b, args),
};

export const BlockInterface = {
  __resolveType: (b: BlockRow) => (b.family === "evm" ? "EvmBlock" : "BitcoinBlock"),
};

/** The canonical block holding a transaction (tx rows exist only for canonical blocks). */
export async function txBlock(ctx: Context, tx: { chainId: number; height: bigint }, family: Family): Promise<BlockRow> {
  const b = withFamily(await ctx.loaders.canonicalBlockByHeight.load({ chainId: tx.chainId, value: tx.height }), family);
  if (!b) throw new Error(`no canonical block at ${tx.height} for a stored transaction`);
  return b;
}
