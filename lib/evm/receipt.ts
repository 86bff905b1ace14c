// Receipt trie value: rlp([statusOrRoot, cumulativeGasUsed, logsBloom, logs]) for legacy txs, prefixed
// with the tx type byte for typed ones (EIP-2718). Before Byzantium the first field is the 32-byte
// post-state root; since, the status quantity (1 → 0x01, 0 → empty string).

import { address, data, hash32, InvalidFieldError, quantity } from "./fields";
import { encodeRlp, type RlpInput } from "./rlp";
import { orderedTrieRoot } from "./trie";
import type { RpcLog, RpcReceipt } from "./types";

export function receiptType(receipt: RpcReceipt): number {
  return receipt.type === undefined || receipt.type === null ? 0 : Number.parseInt(receipt.type, 16);
}

function statusOrRoot(receipt: RpcReceipt): Uint8Array {
  if (receipt.status !== undefined && receipt.status !== null) return quantity(receipt.status, "status");
  if (receipt.root !== undefined && receipt.root !== null) return hash32(receipt.root, "root");
  throw new InvalidFieldError("status", undefined, "receipt has neither status (Byzantium+) nor root (pre-Byzantium)");
}

export function encodeLog(log: RpcLog, i = 0): RlpInput {
  return [
    address(log.address, `logs[${i}].address`),
    log.topics.map((t, j) => hash32(t, `logs[${i}].topics[${j}]`)),
    data(log.data, `logs[${i}].data`),
  ];
}

export function encodeReceipt(receipt: RpcReceipt): Uint8Array {
  const body = encodeRlp([
    statusOrRoot(receipt),
    quantity(receipt.cumulativeGasUsed, "cumulativeGasUsed"),
    data(receipt.logsBloom, "logsBloom", 256),
    receipt.logs.map(encodeLog),
  ]);
  const type = receiptType(receipt);
  if (type === 0) return body;
  const out = new Uint8Array(body.length + 1);
  out[0] = type;
  out.set(body, 1);
  return out;
}

export function receiptsRoot(receipts: readonly RpcReceipt[]): `0x${string}` {
  return orderedTrieRoot(receipts.map(encodeReceipt));
}
