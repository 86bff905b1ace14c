// Helpers that make invalid copies of real blocks for the verification tests.

import { type Block, parseBlock, serializeBlock, type Transaction } from "../../../lib/bitcoin/codec";

/** Byte offset of a view inside the buffer `within` views. */
export function offsetIn(view: Uint8Array, within: Uint8Array): number {
  return view.byteOffset - within.byteOffset;
}

export function flipBit(bytes: Uint8Array, offset: number, bit = 0): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[offset] ^= 1 << bit;
  return copy;
}

export function withTxs(block: Block, txs: Transaction[]): Uint8Array {
  return serializeBlock({ header: block.header, txs });
}

export function reparse(bytes: Uint8Array): Block {
  return parseBlock(bytes);
}
