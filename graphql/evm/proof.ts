// Transactions-trie inclusion proof for an EVM tx: the trie is rebuilt from the block's stored signed encodings (evm_tx.raw).
import { bytesToHex } from "../../lib/bytes";
import { indexKey, orderedTrieProof, verifyOrderedTrieProof } from "../../lib/evm/trie";
import type { Context, EvmTxRow as EvmTx } from "../context";
import { keyRows } from "../sql";

export interface TrieProof { nodes: string[]; key: string; root: string; verified: boolean }

/** Encoded txs of the block in order (the trie's leaves), or null when any was indexed without its bytes. */
async function signedTransactionsOf(ctx: Context, tx: EvmTx): Promise<Uint8Array[] | null> {
  const rows = await keyRows<{ raw: Uint8Array | null }>("SELECT raw FROM evm_tx WHERE chain_id = $1::smallint AND height = $2::bigint ORDER BY position",
    [tx.chainId, String(tx.height)]);
  if (rows.some((r) => !r.raw)) return null;
  return rows.map((r) => r.raw!);
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
