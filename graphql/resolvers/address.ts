// Address lookup (any encoding the chain supports) and address history. History pages are keyset scans of the
// (chain_id, address_id, height, position) primary key of btc_address_tx / evm_address_tx, newest first: the
// row comparison `(height, position) < (cursor)` starts the index walk at the cursor, so a page a million rows
// deep reads the same few index pages as the first one. Never OFFSET.
import { getAddress, isAddress } from "viem";
import { Prisma, type BtcAddress, type Chain } from "../../generated/prisma/client";
import { AddressDecodeError, addressToScript } from "../bitcoin/script";
import type { Context, EvmAddressRow as EvmAddress, EvmTxRow, Family } from "../context";
import { badInput } from "../errors";
import { COLUMN_LISTS, joined, picker, sqlRows, type BtcTxRow } from "../sql";
import { txColumnsAs, TX_COLS } from "../bitcoin/io-rows";
import { connection, pageRequest, type PageArgs, type PageRequest } from "../pagination";
import { emptyBtcAddress } from "./bitcoin";
import { emptyEvmAddress } from "./evm";

export const AddressInterface = {
  __resolveType: (a: BtcAddress | EvmAddress) => ("script" in a ? "BitcoinAddress" : "EvmAddress"),
};

/** EVM: 0x + 40 hex; mixed case must carry a valid EIP-55 checksum (a typo must not find someone else). */
export function parseEvmAddress(s: string, arg = "address"): Uint8Array {
  const t = s.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(t)) throw badInput(`${arg}: expected 0x + 40 hex characters, got "${t.slice(0, 80)}"`, { argument: arg });
  if (!isAddress(t, { strict: true })) throw badInput(`${arg}: EIP-55 checksum mismatch in "${t}"`, { argument: arg });
  return Uint8Array.from(Buffer.from(t.slice(2), "hex"));
}

export function parseBtcAddress(s: string, chain: Chain, arg = "address"): Uint8Array {
  try {
    return addressToScript(s, chain.network);
  } catch (e) {
    if (e instanceof AddressDecodeError) throw badInput(`${arg}: "${s.slice(0, 100)}" is not a ${chain.name} address, public key or script: ${e.message}`, { argument: arg });
    throw e;
  }
}

/** Resolve an address string on a chain to its row, or a zero summary when it was never seen. */
export async function lookupAddress(ctx: Context, chain: Chain, input: string): Promise<BtcAddress | EvmAddress> {
  if (input.length > 20_000) throw badInput("address: too long");
  if (chain.family === "evm") {
    const bytes = parseEvmAddress(input);
    return (await ctx.loaders.evmAddressByBytes.load({ chainId: chain.id, value: bytes })) ?? emptyEvmAddress(chain.id, bytes);
  }
  const script = parseBtcAddress(input, chain);
  return (await ctx.loaders.btcAddressByScript.load({ chainId: chain.id, value: script })) ?? emptyBtcAddress(chain.id, script);
}

interface HistoryRow { height: bigint; position: number; tx_id: bigint; extra: bigint | number }

function historyQuery(family: Family, chainId: number, addressId: bigint, req: PageRequest) {
  // Static fragments per direction so ORDER BY matches the index and the planner walks it forward or backward.
  const table = Prisma.raw(family === "evm" ? "evm_address_tx" : "btc_address_tx");
  const extra = Prisma.raw(family === "evm" ? "role" : "delta");
  const c = req.cursor;
  const where = req.direction === "forward"
    ? (c ? Prisma.sql`AND (height, position) < (${c.height}::bigint, ${c.position}::int)` : Prisma.empty)
    : (c ? Prisma.sql`AND (height, position) > (${c.height}::bigint, ${c.position}::int)` : Prisma.empty);
  const order = req.direction === "forward" ? Prisma.sql`ORDER BY height DESC, position DESC` : Prisma.sql`ORDER BY height ASC, position ASC`;
  return Prisma.sql`
    SELECT height, position, tx_id, ${extra} AS extra FROM ${table}
    WHERE chain_id = ${chainId}::smallint AND address_id = ${addressId}::bigint ${where}
    ${order} LIMIT ${req.limit + 1}`;
}

/** The SQL of one history page, for EXPLAIN in tests. */
export function historySqlForTest(family: Family, chainId: number, addressId: bigint, args: PageArgs) {
  return historyQuery(family, chainId, addressId, pageRequest(args));
}

const ROLES: [number, string][] = [[1, "FROM"], [2, "TO"], [4, "CREATED"], [8, "TOKEN"], [16, "LOG"]];

/** A history page with its tx rows joined ("t.<field>"): every page shows its txs, and a statement of its own for them
 *  cost the page a round trip. */
function historyWithTxs(family: Family, chainId: number, addressId: bigint, req: PageRequest) {
  const order = req.direction === "forward" ? Prisma.sql`ORDER BY h.height DESC, h.position DESC` : Prisma.sql`ORDER BY h.height ASC, h.position ASC`;
  const { table, columns } = JOINED[family];
  return Prisma.sql`
    SELECT h.*${Prisma.raw(columns)} FROM (${historyQuery(family, chainId, addressId, req)}) h
    LEFT JOIN ${Prisma.raw(table)} t ON t.id = h.tx_id ${order}`;
}
const JOINED = {
  bitcoin: { table: "btc_tx", columns: txColumnsAs("t", false), pick: picker<BtcTxRow>("t", TX_COLS) },
  evm: { table: "evm_tx", columns: joined("t", COLUMN_LISTS.evmTx), pick: picker<EvmTxRow>("t", COLUMN_LISTS.evmTx) },
};

type HistoryItem = { r: HistoryRow; tx: BtcTxRow | EvmTxRow | null };

async function historyPage(ctx: Context, family: Family, a: { id: bigint; chainId: number }, req: PageRequest): Promise<HistoryItem[]> {
  if (a.id < 0n) return [];
  const rows = await sqlRows<HistoryRow>(historyWithTxs(family, a.chainId, a.id, req));
  return rows.map((r) => {
    if ((r as unknown as Record<string, unknown>)["t.id"] == null) return { r, tx: null };
    if (family === "bitcoin") {
      const tx = JOINED.bitcoin.pick(r);
      ctx.loaders.btcTx.prime(tx.id, tx);
      return { r, tx };
    }
    const tx = JOINED.evm.pick(r);
    ctx.loaders.evmTx.prime(tx.id, tx);
    return { r, tx };
  });
}

export async function addressHistory(ctx: Context, family: Family, a: { id: bigint; chainId: number }, args: PageArgs) {
  const req = pageRequest(args);
  const items = await historyPage(ctx, family, a, req);
  return connection(
    req,
    items.filter((x) => x.tx !== null),
    ({ r }) => ({ height: BigInt(r.height), position: Number(r.position) }),
    ({ r, tx }) => ({
      node: tx,
      height: Number(r.height),
      position: Number(r.position),
      delta: family === "bitcoin" ? BigInt(r.extra) : null,
      roles: family === "evm" ? ROLES.filter(([bit]) => Number(r.extra) & bit).map(([, name]) => name) : null,
    }),
  );
}

export const checksummed = (b: Uint8Array) => getAddress(`0x${Buffer.from(b).toString("hex")}`);
