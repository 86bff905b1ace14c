// Tx fields only the receipt can give: what the sender paid, and which contract a creation made.
// The created address is recomputed (keccak256(rlp([sender, nonce]))[12:]) so the explorer can check
// the receipt's contractAddress instead of repeating it.

import { keccak256 } from "./keccak";
import { address, InvalidFieldError, quantity, quantityToBigInt, toHex } from "./fields";
import { encodeRlp } from "./rlp";
import type { Address, RpcReceipt, RpcTransaction } from "./types";

/**
 * Execution fee in wei: gasUsed × effectiveGasPrice. Pre-London receipts from some nodes lack
 * effectiveGasPrice; then the legacy tx's gasPrice is the price paid, so pass the tx.
 */
export function txFee(receipt: RpcReceipt, tx?: RpcTransaction): bigint {
  const price = receipt.effectiveGasPrice ?? tx?.gasPrice;
  if (price == null) {
    throw new InvalidFieldError("effectiveGasPrice", undefined, "receipt has no effectiveGasPrice; pass the transaction so its gasPrice can be used");
  }
  return quantityToBigInt(receipt.gasUsed, "gasUsed") * quantityToBigInt(price, "effectiveGasPrice");
}

/** EIP-4844 blob fee in wei (burned, on top of txFee); 0 for non-blob txs. */
export function blobFee(receipt: RpcReceipt): bigint {
  if (receipt.blobGasUsed == null || receipt.blobGasPrice == null) return 0n;
  return quantityToBigInt(receipt.blobGasUsed, "blobGasUsed") * quantityToBigInt(receipt.blobGasPrice, "blobGasPrice");
}

/** Address of the contract a CREATE from `from` with `nonce` makes. */
export function contractAddressFor(from: string, nonce: string | bigint): Address {
  const n = typeof nonce === "bigint" ? quantity(`0x${nonce.toString(16)}`) : quantity(nonce, "nonce");
  return toHex(keccak256(encodeRlp([address(from, "from"), n])).subarray(12)) as Address;
}

/** The contract a tx created (to = null), recomputed from sender and nonce; null for calls. */
export function createdContractAddress(tx: RpcTransaction): Address | null {
  if (tx.to != null) return null;
  if (!tx.from) throw new InvalidFieldError("from", undefined, "a creation's sender is needed to derive the contract address");
  return contractAddressFor(tx.from, tx.nonce);
}

export interface TxOutcome {
  success: boolean | undefined;
  gasUsed: bigint;
  fee: bigint;
  blobFee: bigint;
  contractAddress: Address | null;
}

/** Receipt-derived fields of one tx; `success` is undefined for pre-Byzantium receipts (root, no status). */
export function txOutcome(tx: RpcTransaction, receipt: RpcReceipt): TxOutcome {
  return {
    success: receipt.status == null ? undefined : quantityToBigInt(receipt.status, "status") === 1n,
    gasUsed: quantityToBigInt(receipt.gasUsed, "gasUsed"),
    fee: txFee(receipt, tx),
    blobFee: blobFee(receipt),
    contractAddress: createdContractAddress(tx),
  };
}
