// The Query root: argument checks and the first lookup; type resolvers do the rest.
import type { GraphQLResolveInfo } from "graphql";
import type { Chain } from "../../generated/prisma/client";
import { ioNeighboursWanted, selectsInputsOrOutputs } from "../bitcoin/io-wants";
import { chainBySlug, familyOf, type Context } from "../context";
import { badInput } from "../errors";
import { connection, pageRequest, type PageArgs } from "../pagination";
import { lookupAddress } from "./address";
import { latestBlocks, latestTransactions } from "./holdings";
import { canonicalBlocks, withFamily } from "./block";
import { parseBtcHash, parseEvmHash, parseHeight } from "./common";
import { search } from "./search";

export const Query = {
  chains: async (_: unknown, __: unknown, ctx: Context) => (await ctx.chains()).all,
  chain: (_: unknown, a: { id: string }, ctx: Context) => chainBySlug(ctx, a.id),

  block: async (_: unknown, a: { chain: string; height?: number | null; hash?: string | null }, ctx: Context) => {
    const chain = await chainBySlug(ctx, a.chain);
    const hasHeight = a.height !== null && a.height !== undefined;
    const hasHash = a.hash !== null && a.hash !== undefined;
    if (hasHeight === hasHash) throw badInput("block: give exactly one of height and hash");
    const row = hasHash
      ? await ctx.loaders.blockByHash.load({ chainId: chain.id, value: parseHash(chain, a.hash!, "hash") })
      : await ctx.loaders.canonicalBlockByHeight.load({ chainId: chain.id, value: parseHeight(a.height!) });
    return withFamily(row, familyOf(chain));
  },

  blocks: async (_: unknown, a: { chain: string } & PageArgs, ctx: Context) => {
    const chain = await chainBySlug(ctx, a.chain);
    const req = pageRequest(a);
    // Newest first: forward walks heights downward, backward upward.
    const rows = await canonicalBlocks(chain.id, req.direction === "forward", req.cursor ? req.cursor.height : null, req.limit + 1);
    const family = familyOf(chain);
    return connection(req, rows, (b) => ({ height: b.height, position: 0 }), (b) => ({ node: withFamily(b, family) }));
  },

  transaction: async (_: unknown, a: { chain: string; hash: string }, ctx: Context, info: GraphQLResolveInfo) => {
    const chain = await chainBySlug(ctx, a.chain);
    const key = { chainId: chain.id, value: parseHash(chain, a.hash, "hash") };
    if (chain.family === "evm") return ctx.loaders.evmTxByHash.load(key);
    // A tx page that shows inputs or outputs reads them with the tx, in one statement.
    return selectsInputsOrOutputs(info)
      ? ctx.loaders.btcTxPage(ioNeighboursWanted(info.operation, info.fragments)).load(key)
      : ctx.loaders.btcTxByTxid.load(key);
  },

  address: async (_: unknown, a: { chain: string; address: string }, ctx: Context) =>
    lookupAddress(ctx, await chainBySlug(ctx, a.chain), a.address),

  search: (_: unknown, a: { query: string }, ctx: Context) => search(ctx, a.query),
};

function parseHash(chain: Chain, s: string, arg: string): Uint8Array {
  return chain.family === "evm" ? parseEvmHash(s, arg) : parseBtcHash(s, arg);
}

export const ChainType = {
  id: (c: Chain) => c.slug,
  family: (c: Chain) => (c.family === "evm" ? "EVM" : "BITCOIN"),
  tipHeight: (c: Chain) => (c.tipHeight == null ? null : Number(c.tipHeight)),
  tipHash: (c: Chain) =>
    c.tipHash == null ? null : c.family === "evm" ? `0x${Buffer.from(c.tipHash).toString("hex")}` : Buffer.from(c.tipHash).reverse().toString("hex"),
  nodeHeight: (c: Chain) => (c.nodeHeight == null ? null : Number(c.nodeHeight)),
  updatedAt: (c: Chain) => c.updatedAt.toISOString(),
  latestBlocks: (c: Chain, a: { first?: number | null }, ctx: Context) => latestBlocks(ctx, c, a),
  latestTransactions: (c: Chain, a: { first?: number | null }, ctx: Context) => latestTransactions(ctx, c, a),
};

export type { PageArgs };
