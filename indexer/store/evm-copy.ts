// EVM row tables in COPY's binary format: the column lists and one writer per row. Field widths follow the
// columns' types exactly (chain_id smallint, ids and heights bigint, wei numeric); hashes and data go from the
// node's hex straight into the buffer, so PostgreSQL parses no text and this process builds no hex strings.
import type { RpcLog } from "../../lib/evm/types";
import type { TokenTransfer } from "../../lib/evm/transfers";
import type { CopyBinaryWriter } from "./copy-binary";
import type { TokenMeta } from "../sources/evm-rpc";

export const TX_COLUMNS = ["id", "chain_id", "hash", "height", "position", "type", "from_id", "to_id", "contract_created_id", "value", "nonce", "gas",
  "gas_price", "max_fee_per_gas", "max_priority_fee_per_gas", "input", "raw", "status", "gas_used", "effective_gas_price", "fee", "log_count"] as const;

export interface TxRow {
  id: bigint;
  chainId: number;
  /** 0x-hex, as the node sent it (verified against the encoding). */
  hash: string;
  height: number;
  pos: number;
  type: number;
  from: bigint;
  to: bigint | null;
  created: bigint | null;
  value: bigint;
  nonce: bigint;
  gas: bigint;
  gasPrice: bigint | null;
  maxFee: bigint | null;
  maxPrio: bigint | null;
  /** 0x-hex calldata. */
  input: string;
  /** The canonical encoding (the transactions-trie leaf). */
  raw: Uint8Array;
  status: number | null;
  gasUsed: bigint;
  price: bigint;
  fee: bigint;
  logs: number;
}

export function writeTxRow(w: CopyBinaryWriter, t: TxRow): void {
  w.row(TX_COLUMNS.length).int8(t.id).int2(t.chainId).byteaHex(t.hash).int8(t.height).int4(t.pos).int2(t.type).int8(t.from).int8OrNull(t.to)
    .int8OrNull(t.created).numeric(t.value).int8(t.nonce).int8(t.gas).numericOrNull(t.gasPrice).numericOrNull(t.maxFee).numericOrNull(t.maxPrio)
    .byteaHex(t.input).bytea(t.raw).int2OrNull(t.status).int8(t.gasUsed).numeric(t.price).numeric(t.fee).int4(t.logs);
}

export const LOG_COLUMNS = ["chain_id", "tx_id", "log_index", "address_id", "topic0", "topic1", "topic2", "topic3", "data"] as const;

export function writeLogRow(w: CopyBinaryWriter, chainId: number, txId: bigint, index: number, addressId: bigint, log: RpcLog): void {
  const topics = log.topics ?? [];
  w.row(LOG_COLUMNS.length).int2(chainId).int8(txId).int4(index).int8(addressId);
  for (let i = 0; i < 4; i++) w.byteaHexOrNull(topics[i] || null);
  w.byteaHex(log.data);
}

export const TRANSFER_COLUMNS = ["chain_id", "tx_id", "log_index", "batch_index", "height", "standard", "token_address_id", "from_id", "to_id", "nft_id", "amount"] as const;

export function writeTransferRow(w: CopyBinaryWriter, chainId: number, txId: bigint, height: number, t: TokenTransfer, token: bigint, from: bigint, to: bigint): void {
  w.row(TRANSFER_COLUMNS.length).int2(chainId).int8(txId).int4(t.logIndex).int4(t.batchIndex).int8(height).int2(t.standard).int8(token).int8(from).int8(to)
    .numericOrNull(t.tokenId ?? null).numeric(t.amount);
}

export const ADDRESS_TX_COLUMNS = ["chain_id", "address_id", "height", "position", "tx_id", "role"] as const;

export const ADDRESS_COLUMNS = ["id", "chain_id", "address", "is_contract", "balance", "balance_height", "tx_count", "first_height", "last_height", "token_name",
  "token_symbol", "token_decimals"] as const;

export interface NewAddress {
  contract: boolean;
  balance?: { wei: bigint; height: number };
  txs: number;
  first: number;
  last: number;
  token?: TokenMeta;
}

/** An address the chain has no row for yet (its summary is the batch's alone; no balance read yet is 0). */
export function writeNewAddressRow(w: CopyBinaryWriter, chainId: number, id: bigint, address: string, a: NewAddress): void {
  w.row(ADDRESS_COLUMNS.length).int8(id).int2(chainId).byteaHex(address).bool(a.contract).numeric(a.balance?.wei ?? 0n).int8OrNull(a.balance?.height)
    .int4(a.txs).int8(a.first).int8(a.last).textOrNull(a.token?.name).textOrNull(a.token?.symbol).int4OrNull(a.token?.decimals);
}
