// What an address holds (Bitcoin UTXOs, EVM token balances) and a chain's newest blocks and transactions.
// UTXO pages walk the partial index btc_output_unspent_address_idx (address_id, tx_id desc, vout desc) WHERE
// spent_by_tx_id IS NULL: spent outputs are never visited and a deep page is an index walk; token balances walk the
// (address_id, token_address_id) primary key of evm_token_balance. Both are keyset pages, never OFFSET.
import { Prisma, type BtcAddress, type Chain } from "../../generated/prisma/client";
import { scriptTypeFromCode } from "../../lib/bitcoin/script";
import { familyOf, type Context, type EvmAddressRow as EvmAddress, type EvmTxRow } from "../context";
import { badInput } from "../errors";
import { DEFAULT_PAGE, MAX_PAGE } from "../pagination";
import { COLUMNS, sqlRows, type BtcTxRow } from "../sql";
import { canonicalBlocks, withFamily } from "./block";
import { btcHex } from "./common";

/** Forward-only pages (first/after): the limit and the decoded cursor. */
interface ForwardArgs { first?: number | null; after?: string | null }

function pageLimit(first: number | null | undefined, max = MAX_PAGE, dflt = DEFAULT_PAGE): number {
  if (first === null || first === undefined) return dflt;
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw badInput(`first must be between 0 and ${max} (got ${first})`, { argument: "first", max });
  }
  return first;
}

function cursorParts(after: string | null | undefined, prefix: string, parts: number): bigint[] | null {
  if (!after) return null;
  const text = after.length <= 80 ? Buffer.from(after, "base64url").toString("utf8") : "";
  const m = text.split(":");
  if (m[0] !== prefix || m.length !== parts + 1 || !m.slice(1).every((x) => /^\d{1,19}$/.test(x))) {
    throw badInput("after: not a cursor from this list", { argument: "after" });
  }
  return m.slice(1).map((x) => BigInt(x));
}
const cursorOf = (prefix: string, ...parts: (bigint | number)[]) => Buffer.from([prefix, ...parts].join(":")).toString("base64url");

function page<R, N>(rows: R[], limit: number, hadCursor: boolean, cursor: (r: R) => string, node: (r: R) => N) {
  const edges = rows.slice(0, limit).map((r) => ({ cursor: cursor(r), node: node(r) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > limit, hasPreviousPage: hadCursor, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

// ------------------------------------------------------------------------------------------------- Bitcoin UTXOs

interface UtxoRow { tx_id: bigint; vout: number; value: bigint; script_type: number; txid: Uint8Array; height: bigint }

/**
 * One page of an address's unspent outputs, newest first by (tx_id, vout) (tx ids grow with the chain). The WHERE
 * repeats the partial index's predicate so the planner can use it; the funding tx's txid and height come from one
 * primary-key probe of btc_tx per output on the page.
 */
export function utxoSql(addressId: bigint, limit: number, after: [bigint, number] | null) {
  const from = after ? Prisma.sql`AND (tx_id, vout) < (${after[0]}::bigint, ${after[1]}::int)` : Prisma.empty;
  return Prisma.sql`
    SELECT o.tx_id, o.vout, o.value, o.script_type, t.txid, t.height
    FROM (
      SELECT tx_id, vout, value, script_type FROM btc_output
      WHERE address_id = ${addressId}::bigint AND spent_by_tx_id IS NULL ${from}
      ORDER BY tx_id DESC, vout DESC
      LIMIT ${limit + 1}
    ) o
    JOIN btc_tx t ON t.id = o.tx_id
    ORDER BY o.tx_id DESC, o.vout DESC`;
}

export async function btcUtxos(ctx: Context, a: BtcAddress, args: ForwardArgs) {
  const limit = pageLimit(args.first);
  const c = cursorParts(args.after, "u1", 2);
  const after: [bigint, number] | null = c ? [c[0], Number(c[1])] : null;
  const rows = a.id < 0n || limit === 0 ? [] : await sqlRows<UtxoRow>(utxoSql(a.id, limit, after));
  return page(rows, limit, after !== null, (r) => cursorOf("u1", BigInt(r.tx_id), Number(r.vout)), (r) => r);
}

export const BitcoinUtxo = {
  txid: (r: UtxoRow) => btcHex(r.txid),
  vout: (r: UtxoRow) => Number(r.vout),
  value: (r: UtxoRow) => BigInt(r.value),
  height: (r: UtxoRow) => Number(r.height),
  scriptType: (r: UtxoRow) => scriptTypeFromCode(Number(r.script_type)),
  transaction: async (r: UtxoRow, _: unknown, ctx: Context) => {
    const tx = await ctx.loaders.btcTx.load(BigInt(r.tx_id));
    if (!tx) throw new Error("btc_tx row missing for an unspent output");
    return tx;
  },
};

// ------------------------------------------------------------------------------------------------- EVM token balances

interface TokenBalanceRow {
  token_id: bigint; balance: string; token_name: string | null; token_symbol: string | null; token_decimals: number | null; standard: number | null;
}

/**
 * One page of an address's token balances by token id (the primary key order), with the token's metadata and its
 * standard (from its earliest transfer: the (token_address_id, height) index answers it with one probe).
 * Zero balances (everything sent away) are left out.
 */
export function tokenBalanceSql(addressId: bigint, limit: number, afterTokenId: bigint | null) {
  const from = afterTokenId !== null ? Prisma.sql`AND b.token_address_id > ${afterTokenId}::bigint` : Prisma.empty;
  return Prisma.sql`
    SELECT b.token_address_id AS token_id, b.balance::text AS balance, a.token_name, a.token_symbol, a.token_decimals, s.standard
    FROM evm_token_balance b
    JOIN evm_address a ON a.id = b.token_address_id
    LEFT JOIN LATERAL (
      SELECT x.standard::int AS standard FROM evm_token_transfer x WHERE x.token_address_id = b.token_address_id ORDER BY x.height LIMIT 1
    ) s ON true
    WHERE b.address_id = ${addressId}::bigint AND b.balance <> 0 ${from}
    ORDER BY b.token_address_id
    LIMIT ${limit + 1}`;
}

export async function evmTokenBalances(ctx: Context, a: EvmAddress, args: ForwardArgs) {
  const limit = pageLimit(args.first);
  const c = cursorParts(args.after, "b1", 1);
  const after = c ? c[0] : null;
  const rows = a.id < 0n || limit === 0 ? [] : await sqlRows<TokenBalanceRow>(tokenBalanceSql(a.id, limit, after));
  return page(rows, limit, after !== null, (r) => cursorOf("b1", BigInt(r.token_id)), (r) => r);
}

export const EvmTokenBalance = {
  token: async (r: TokenBalanceRow, _: unknown, ctx: Context) => {
    const t = await ctx.loaders.evmAddress.load(BigInt(r.token_id));
    if (!t) throw new Error("evm_address row missing for a token balance");
    return t;
  },
  name: (r: TokenBalanceRow) => r.token_name,
  symbol: (r: TokenBalanceRow) => r.token_symbol,
  decimals: (r: TokenBalanceRow) => (r.token_decimals == null ? null : Number(r.token_decimals)),
  standard: (r: TokenBalanceRow) => (r.standard == null ? null : Number(r.standard)),
  // numeric::text: the exact decimal string, no float on the way.
  balance: (r: TokenBalanceRow) => r.balance,
};

// ------------------------------------------------------------------------------------------------- chain: latest

export const LATEST_MAX = 20;
export const LATEST_DEFAULT = 10;

/** Newest canonical blocks: the partial unique index on canonical (chain_id, height) walked backward. */
export async function latestBlocks(ctx: Context, chain: Chain, a: { first?: number | null }) {
  const n = pageLimit(a.first, LATEST_MAX, LATEST_DEFAULT);
  if (n === 0) return [];
  const rows = await canonicalBlocks(chain.id, true, null, n);
  const family = familyOf(chain);
  return rows.map((b) => withFamily(b, family)!);
}

/** Newest transactions: the (chain_id, height, position) index walked backward. */
export async function latestTransactions(ctx: Context, chain: Chain, a: { first?: number | null }): Promise<(BtcTxRow | EvmTxRow)[]> {
  const n = pageLimit(a.first, LATEST_MAX, LATEST_DEFAULT);
  if (n === 0) return [];
  const [table, columns] = chain.family === "evm" ? ["evm_tx", COLUMNS.evmTx] : ["btc_tx", COLUMNS.btcTx];
  return sqlRows<BtcTxRow | EvmTxRow>(Prisma.sql`SELECT ${Prisma.raw(columns)} FROM ${Prisma.raw(table)} WHERE chain_id = ${chain.id}::smallint ORDER BY height DESC, position DESC LIMIT ${n}`);
}
