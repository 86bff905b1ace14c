// Transactions-trie inclusion proof for an EVM tx. The trie's values are the signed, canonically encoded txs;
// evm_tx keeps the fields an explorer shows but not the signature (v, r, s), access lists or blob hashes, so the
// index cannot rebuild them yet. `signedTransactionsOf` is the one seam: when the schema keeps the encoded bytes
// (e.g. an evm_tx.raw column), read them there and every proof below starts answering.
import type { EvmTx } from "../../generated/prisma/client";
import { bytesToHex } from "../../lib/bytes";
import { indexKey, orderedTrieProof, verifyOrderedTrieProof } from "../../lib/evm/trie";
import type { Context } from "../context";

export interface TrieProof { nodes: string[]; key: string; root: string; verified: boolean }

/** Encoded txs of a block in order, or null when the index does not keep them. */
async function signedTransactionsOf(_ctx: Context, _tx: EvmTx): Promise<Uint8Array[] | null> {
  return null;
}

/** Proof for item `index` of the ordered trie over `encoded`, checked against `root` (the header's). */
export function buildTrieProof(encoded: Uint8Array[], index: number, root: Uint8Array): TrieProof {
  const nodes = orderedTrieProof(encoded, index);
  let verified = false;
  try {
    const value = verifyOrderedTrieProof(root, index, nodes);
    verified = value !== null && Buffer.from(value).equals(Buffer.from(encoded[index]));
  } catch {
    verified = false;
  }
  return { nodes: nodes.map((n) => `0x${bytesToHex(n)}`), key: `0x${bytesToHex(indexKey(index))}`, root: `0x${bytesToHex(root)}`, verified };
}

export async function transactionProof(ctx: Context, tx: EvmTx): Promise<TrieProof | null> {
  const encoded = await signedTransactionsOf(ctx, tx);
  if (!encoded) return null;
  const block = await ctx.loaders.canonicalBlockByHeight.load({ chainId: tx.chainId, value: tx.height });
  const header = block && (await ctx.loaders.evmBlock.load({ chainId: tx.chainId, value: block.hash }));
  if (!header) return null;
  return buildTrieProof(encoded, tx.position, header.transactionsRoot);
}
