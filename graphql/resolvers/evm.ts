// EVM family types: header extras, transactions with receipt fields, logs (with well-known events decoded) and
// token transfers. Wei and gas are exact decimal strings (numeric(78,0) in the database).
import type { EvmLog } from "../../generated/prisma/client";
import { bytesToHex } from "../../lib/bytes";
import { chainById, type BlockRow, type Context, type EvmAddressRow as EvmAddress, type EvmTransferRow as EvmTokenTransfer, type EvmTxRow as EvmTx } from "../context";
import { decodeKnownEvent } from "../../lib/evm/transfers";
import { transactionProof } from "../evm/proof";
import type { PageArgs } from "../pagination";
import { addressHistory, checksummed } from "./address";
import { evmTokenBalances } from "./holdings";
import { txBlock } from "./block";
import { evmHex, exact, verification } from "./common";

async function evmHeader(ctx: Context, b: BlockRow) {
  const h = await ctx.loaders.evmBlock.load({ chainId: b.chainId, value: b.hash });
  if (!h) throw new Error("evm_block row missing for a block");
  return h;
}

/** A header field kept only in the node's JSON (fork extras): hex quantity → decimal string, hashes as they are. */
async function headerJson(ctx: Context, b: BlockRow, key: string): Promise<string | null> {
  const h = (await evmHeader(ctx, b)).header as Record<string, unknown> | null;
  const v = h?.[key];
  return typeof v === "string" ? v : null;
}
const quantity = (v: string | null) => (v === null ? null : BigInt(v).toString());

export const EvmBlock = {
  miner: async (b: BlockRow, _: unknown, ctx: Context) => checksummed((await evmHeader(ctx, b)).miner),
  gasUsed: async (b: BlockRow, _: unknown, ctx: Context) => (await evmHeader(ctx, b)).gasUsed,
  gasLimit: async (b: BlockRow, _: unknown, ctx: Context) => (await evmHeader(ctx, b)).gasLimit,
  baseFeePerGas: async (b: BlockRow, _: unknown, ctx: Context) => (await evmHeader(ctx, b)).baseFeePerGas,
  stateRoot: async (b: BlockRow, _: unknown, ctx: Context) => evmHex((await evmHeader(ctx, b)).stateRoot),
  transactionsRoot: async (b: BlockRow, _: unknown, ctx: Context) => evmHex((await evmHeader(ctx, b)).transactionsRoot),
  receiptsRoot: async (b: BlockRow, _: unknown, ctx: Context) => evmHex((await evmHeader(ctx, b)).receiptsRoot),
  withdrawalsRoot: async (b: BlockRow, _: unknown, ctx: Context) => {
    const w = (await evmHeader(ctx, b)).withdrawalsRoot;
    return w ? evmHex(w) : null;
  },
  extraData: async (b: BlockRow, _: unknown, ctx: Context) => evmHex((await evmHeader(ctx, b)).extraData),
  logsBloom: (b: BlockRow, _: unknown, ctx: Context) => headerJson(ctx, b, "logsBloom"),
  difficulty: async (b: BlockRow, _: unknown, ctx: Context) => quantity(await headerJson(ctx, b, "difficulty")),
  mixHash: (b: BlockRow, _: unknown, ctx: Context) => headerJson(ctx, b, "mixHash"),
  nonce: (b: BlockRow, _: unknown, ctx: Context) => headerJson(ctx, b, "nonce"),
  blobGasUsed: async (b: BlockRow, _: unknown, ctx: Context) => quantity(await headerJson(ctx, b, "blobGasUsed")),
  excessBlobGas: async (b: BlockRow, _: unknown, ctx: Context) => quantity(await headerJson(ctx, b, "excessBlobGas")),
  parentBeaconBlockRoot: (b: BlockRow, _: unknown, ctx: Context) => headerJson(ctx, b, "parentBeaconBlockRoot"),
  requestsHash: (b: BlockRow, _: unknown, ctx: Context) => headerJson(ctx, b, "requestsHash"),
};

const addr = (ctx: Context, id: bigint | null) => (id == null ? null : ctx.loaders.evmAddress.load(id));

/** The tx's calldata: on its row when it was read by hash, else loaded by id (lists read rows without it). */
async function inputOf(ctx: Context, tx: EvmTx): Promise<Uint8Array> {
  const input = tx.input ?? (await ctx.loaders.evmTxInput.load(tx.id));
  if (!input) throw new Error(`evm_tx ${tx.id}: no row`);
  return input;
}

export const EvmTransaction = {
  chain: (t: EvmTx, _: unknown, ctx: Context) => chainById(ctx, t.chainId),
  hash: (t: EvmTx) => evmHex(t.hash),
  block: (t: EvmTx, _: unknown, ctx: Context) => txBlock(ctx, t, "evm"),
  height: (t: EvmTx) => Number(t.height),
  verification: async (t: EvmTx, _: unknown, ctx: Context) => verification(await txBlock(ctx, t, "evm")),
  from: (t: EvmTx, _: unknown, ctx: Context) => addr(ctx, t.fromId),
  to: (t: EvmTx, _: unknown, ctx: Context) => addr(ctx, t.toId),
  contractCreated: (t: EvmTx, _: unknown, ctx: Context) => addr(ctx, t.contractCreatedId),
  value: (t: EvmTx) => exact(t.value),
  input: async (t: EvmTx, _: unknown, ctx: Context) => evmHex(await inputOf(ctx, t)),
  methodId: async (t: EvmTx, _: unknown, ctx: Context) => {
    const input = await inputOf(ctx, t);
    return input.length >= 4 ? evmHex(input.subarray(0, 4)) : null;
  },
  logs: (t: EvmTx, _: unknown, ctx: Context) => ctx.loaders.evmLogs.load(t.id),
  tokenTransfers: (t: EvmTx, _: unknown, ctx: Context) => ctx.loaders.evmTransfers.load(t.id),
  merkleProof: (t: EvmTx, _: unknown, ctx: Context) => transactionProof(ctx, t),
};

const topicsOf = (l: EvmLog) => [l.topic0, l.topic1, l.topic2, l.topic3].filter((x) => x != null).map((x) => evmHex(x));

export const EvmLogType = {
  address: (l: EvmLog, _: unknown, ctx: Context) => ctx.loaders.evmAddress.load(l.addressId),
  topics: topicsOf,
  data: (l: EvmLog) => evmHex(l.data),
  decoded: (l: EvmLog) => {
    const d = decodeKnownEvent({ address: "0x", topics: topicsOf(l) as `0x${string}`[], data: `0x${bytesToHex(l.data)}` });
    // params, not args: declaration order with each ABI type (args is keyed by name and has no types).
    return d ? { name: d.name, signature: d.signature, standard: d.standard, params: d.params.map((p) => ({ name: p.name, type: p.type, value: p.value })) } : null;
  },
};

export const EvmTokenTransferType = {
  token: (x: EvmTokenTransfer, _: unknown, ctx: Context) => ctx.loaders.evmAddress.load(x.tokenId),
  from: (x: EvmTokenTransfer, _: unknown, ctx: Context) => ctx.loaders.evmAddress.load(x.fromId),
  to: (x: EvmTokenTransfer, _: unknown, ctx: Context) => ctx.loaders.evmAddress.load(x.toId),
  amount: (x: EvmTokenTransfer) => exact(x.amount),
  nftId: (x: EvmTokenTransfer) => (x.nftId == null ? null : exact(x.nftId)),
};

export function emptyEvmAddress(chainId: number, address: Uint8Array): EvmAddress {
  return {
    id: -1n, chainId, address: address as Uint8Array<ArrayBuffer>, isContract: false, balance: "0", balanceHeight: null, txCount: 0,
    firstHeight: -1n, lastHeight: -1n, tokenName: null, tokenSymbol: null, tokenDecimals: null,
  };
}

export const EvmAddressType = {
  chain: (a: EvmAddress, _: unknown, ctx: Context) => chainById(ctx, a.chainId),
  address: (a: EvmAddress) => checksummed(a.address),
  balance: (a: EvmAddress) => exact(a.balance),
  balanceHeight: (a: EvmAddress) => (a.balanceHeight == null ? null : Number(a.balanceHeight)),
  firstHeight: (a: EvmAddress) => (a.id < 0n ? null : Number(a.firstHeight)),
  lastHeight: (a: EvmAddress) => (a.id < 0n ? null : Number(a.lastHeight)),
  transactions: (a: EvmAddress, args: PageArgs, ctx: Context) => addressHistory(ctx, "evm", a, args),
  tokenBalances: (a: EvmAddress, args: { first?: number | null; after?: string | null }, ctx: Context) => evmTokenBalances(ctx, a, args),
};
