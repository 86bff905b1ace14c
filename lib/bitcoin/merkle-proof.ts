// Merkle inclusion-proof verification that runs in the browser: only @noble/hashes, no node:crypto.
// Hashes are 32 bytes in internal byte order throughout.

import { sha256 } from "@noble/hashes/sha2.js";

export function sha256dBrowser(data: Uint8Array): Uint8Array {
  return sha256(sha256(data));
}

/** Hash of two child nodes: sha256d(left || right). */
export type HashPair = (left: Uint8Array, right: Uint8Array) => Uint8Array;

export const hashPairBrowser: HashPair = (left, right) => {
  const buf = new Uint8Array(64);
  buf.set(left, 0);
  buf.set(right, 32);
  return sha256(sha256(buf));
};

export class MerkleProofError extends Error {
  override name = "MerkleProofError";
  constructor(reason: string) {
    super(`invalid merkle proof: ${reason}. Rebuild the proof from the block's txids.`);
  }
}

export interface MerkleProof {
  /** Position of the leaf among the block's transactions (its bits pick left/right, bottom level first). */
  index: number;
  /** Sibling hashes from the leaf level up to just below the root. */
  siblings: Uint8Array[];
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Fold a proof up to the root it implies. Throws when the proof has a right-hand node equal to its left sibling:
 * a real tree only duplicates a *last, unpaired* node onto the right of itself, never the other way (CVE-2012-2459).
 */
export function rootFromProof(leaf: Uint8Array, proof: MerkleProof, hashPair: HashPair = hashPairBrowser): Uint8Array {
  let node = leaf;
  let index = proof.index;
  for (const sibling of proof.siblings) {
    if (index & 1) {
      if (same(sibling, node)) throw new MerkleProofError("a right-hand node equals its left sibling (CVE-2012-2459 style forgery)");
      node = hashPair(sibling, node);
    } else {
      node = hashPair(node, sibling);
    }
    index = Math.floor(index / 2);
  }
  if (index !== 0) throw new MerkleProofError(`index ${proof.index} needs more than ${proof.siblings.length} levels`);
  return node;
}

/**
 * Does `leaf` (a txid) sit at proof.index under `root`? With txCount, also checks the proof has exactly the tree's
 * height and that only the last odd node is paired with itself, which rules out passing off an inner node as a tx.
 */
export function verifyMerkleProof(leaf: Uint8Array, proof: MerkleProof, root: Uint8Array, opts: { txCount?: number; hashPair?: HashPair } = {}): boolean {
  const hash = opts.hashPair ?? hashPairBrowser;
  if (opts.txCount === undefined) {
    try {
      return same(rootFromProof(leaf, proof, hash), root);
    } catch (e) {
      if (e instanceof MerkleProofError) return false;
      throw e;
    }
  }
  const n = opts.txCount;
  if (!Number.isInteger(proof.index) || proof.index < 0 || proof.index >= n) return false;
  let height = 0;
  while (Math.ceil(n / 2 ** height) > 1) height++;
  if (proof.siblings.length !== height) return false;
  let index = proof.index;
  let node = leaf;
  for (let level = 0; level < height; level++) {
    const width = Math.ceil(n / 2 ** level);
    const sibling = proof.siblings[level];
    // A node pairs with itself exactly when it is the last node of an odd-width level; any other equal pair means duplicate txids.
    const selfPaired = (index & 1) === 0 && index === width - 1;
    if (selfPaired !== same(sibling, node)) return false;
    node = index & 1 ? hash(sibling, node) : hash(node, sibling);
    index = Math.floor(index / 2);
  }
  return same(node, root);
}
