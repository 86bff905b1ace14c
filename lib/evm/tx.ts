// Transaction hash = keccak256(canonical encoding). Legacy (type 0): rlp([nonce, gasPrice, gas, to,
// value, data, v, r, s]) — v carries the chain id under EIP-155 (chainId*2+35/36) or is 27/28 before
// it, and is hashed as given either way. Typed (EIP-2718): type byte || rlp(payload with yParity).
// The same bytes are the value stored in the transactions trie.

import { keccak256 } from "./keccak";
import { address, data, hash32, InvalidFieldError, optionalAddress, quantity, toHex } from "./fields";
import { encodeRlp, type RlpInput } from "./rlp";
import type { RpcAccessListEntry, RpcAuthorization, RpcTransaction } from "./types";

export class UnsupportedTransactionTypeError extends Error {
  override readonly name = "UnsupportedTransactionTypeError";
  constructor(readonly type: string) {
    super(
      `transaction type ${type} is not an Ethereum mainnet type (0–4); its hash cannot be re-derived here. ` +
        "If this chain adds its own types (e.g. OP deposit 0x7e), add an encoder for it in lib/evm/tx.ts.",
    );
  }
}

/** Numeric EIP-2718 type; legacy answers from pre-Berlin clients omit `type`. */
export function txType(tx: RpcTransaction): number {
  const t = (tx as { type?: string }).type;
  if (t === undefined || t === null) return 0;
  const n = Number.parseInt(t, 16);
  if (!/^0x[0-9a-fA-F]+$/.test(t) || n > 0x7f) throw new InvalidFieldError("type", t, "not a transaction type quantity");
  return n;
}

function accessList(list: RpcAccessListEntry[] | undefined): RlpInput {
  return (list ?? []).map((e, i) => [
    address(e.address, `accessList[${i}].address`),
    e.storageKeys.map((k, j) => hash32(k, `accessList[${i}].storageKeys[${j}]`)),
  ]);
}

function authorizationList(list: RpcAuthorization[] | undefined): RlpInput {
  return (list ?? []).map((a, i) => [
    quantity(a.chainId, `authorizationList[${i}].chainId`),
    address(a.address, `authorizationList[${i}].address`),
    quantity(a.nonce, `authorizationList[${i}].nonce`),
    quantity(a.yParity, `authorizationList[${i}].yParity`),
    quantity(a.r, `authorizationList[${i}].r`),
    quantity(a.s, `authorizationList[${i}].s`),
  ]);
}

/** Typed txs sign over yParity; older clients only sent `v` (which then is 0/1). */
function yParity(tx: RpcTransaction): Uint8Array {
  const y = (tx as { yParity?: string }).yParity;
  return quantity(y ?? tx.v, y === undefined ? "v" : "yParity");
}

function input(tx: RpcTransaction): Uint8Array {
  return data(tx.input ?? tx.data, "input");
}

/** The RLP field list of a tx's payload (without the type byte). */
export function txPayloadFields(tx: RpcTransaction): RlpInput[] {
  const type = txType(tx);
  const q = (field: string) => quantity((tx as unknown as Record<string, unknown>)[field], field);
  const to = optionalAddress(tx.to);
  const sig = () => [yParity(tx), q("r"), q("s")];
  switch (type) {
    case 0:
      return [q("nonce"), q("gasPrice"), q("gas"), to, q("value"), input(tx), q("v"), q("r"), q("s")];
    case 1:
      return [q("chainId"), q("nonce"), q("gasPrice"), q("gas"), to, q("value"), input(tx), accessList((tx as { accessList?: RpcAccessListEntry[] }).accessList), ...sig()];
    case 2:
    case 3:
    case 4: {
      const t = tx as Extract<RpcTransaction, { type: "0x2" | "0x3" | "0x4" }>;
      const fields: RlpInput[] = [q("chainId"), q("nonce"), q("maxPriorityFeePerGas"), q("maxFeePerGas"), q("gas"), to, q("value"), input(tx), accessList(t.accessList)];
      if (type === 3) {
        const blob = tx as Extract<RpcTransaction, { type: "0x3" }>;
        fields.push(q("maxFeePerBlobGas"), (blob.blobVersionedHashes ?? []).map((h, i) => hash32(h, `blobVersionedHashes[${i}]`)));
      } else if (type === 4) {
        fields.push(authorizationList((tx as Extract<RpcTransaction, { type: "0x4" }>).authorizationList));
      }
      return [...fields, ...sig()];
    }
    default:
      throw new UnsupportedTransactionTypeError(`0x${type.toString(16)}`);
  }
}

/** Canonical network/trie encoding: rlp(fields) for legacy, type || rlp(fields) for typed. */
export function encodeTransaction(tx: RpcTransaction): Uint8Array {
  const type = txType(tx);
  const body = encodeRlp(txPayloadFields(tx));
  if (type === 0) return body;
  const out = new Uint8Array(body.length + 1);
  out[0] = type;
  out.set(body, 1);
  return out;
}

export function transactionHashFromEncoded(encoded: Uint8Array): `0x${string}` {
  return toHex(keccak256(encoded));
}

export function transactionHash(tx: RpcTransaction): `0x${string}` {
  return transactionHashFromEncoded(encodeTransaction(tx));
}

/** The blob count a tx commits to (type 3 only); each blob costs 2^17 blob gas. */
export const GAS_PER_BLOB = 131072n;
export function blobCount(tx: RpcTransaction): number {
  return txType(tx) === 3 ? ((tx as { blobVersionedHashes?: unknown[] }).blobVersionedHashes?.length ?? 0) : 0;
}
