// The block-body commitments besides transactions and receipts: withdrawalsRoot (Shanghai, EIP-4895:
// trie of rlp([index, validatorIndex, address, amount])) and sha3Uncles (keccak of the rlp list of
// uncle headers).

import { keccak256 } from "./keccak";
import { address, quantity, toHex } from "./fields";
import { encodeHeader } from "./header";
import { encodeRlp, encodeRlpListOfEncoded } from "./rlp";
import { orderedTrieRoot } from "./trie";
import type { RpcHeader, RpcWithdrawal } from "./types";

export function encodeWithdrawal(w: RpcWithdrawal, i = 0): Uint8Array {
  return encodeRlp([
    quantity(w.index, `withdrawals[${i}].index`),
    quantity(w.validatorIndex, `withdrawals[${i}].validatorIndex`),
    address(w.address, `withdrawals[${i}].address`),
    quantity(w.amount, `withdrawals[${i}].amount`),
  ]);
}

export function withdrawalsRoot(withdrawals: readonly RpcWithdrawal[]): `0x${string}` {
  return orderedTrieRoot(withdrawals.map(encodeWithdrawal));
}

/** keccak256(rlp([])): sha3Uncles of every block without uncles, and of every post-merge block. */
export const EMPTY_UNCLES_HASH = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

/** sha3Uncles from the uncle headers themselves (eth_getUncleByBlockHashAndIndex answers). */
export function unclesHash(uncles: readonly RpcHeader[]): `0x${string}` {
  if (uncles.length === 0) return EMPTY_UNCLES_HASH;
  return toHex(keccak256(encodeRlpListOfEncoded(uncles.map((u) => encodeHeader(u)))));
}
