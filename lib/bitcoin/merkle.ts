// Block merkle root (Core's ComputeMerkleRoot) with CVE-2012-2459 mutation detection, and inclusion proofs.
// Server-side: node:crypto hashing. Proof verification lives in merkle-proof.ts so browsers can use it.

import { sha256d } from "./hash";
import type { MerkleProof } from "./merkle-proof";

export { MerkleProofError, rootFromProof, verifyMerkleProof, type MerkleProof } from "./merkle-proof";

// One reused 64-byte scratch buffer: copying two hashes is cheaper than a streaming hash object per node.
const pair = new Uint8Array(64);

export function hashPair(left: Uint8Array, right: Uint8Array): Uint8Array {
  pair.set(left, 0);
  pair.set(right, 32);
  return sha256d(pair);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface MerkleRootResult {
  root: Uint8Array;
  /**
   * Two equal adjacent nodes were hashed together somewhere in the tree. A block whose tx list ends by repeating
   * its last txs has the same root as the honest block (CVE-2012-2459); Core rejects it as "bad-txns-duplicate".
   */
  mutated: boolean;
}

/** Merkle root over txids (or wtxids), internal byte order. An empty list gives 32 zero bytes, as in Core. */
export function merkleRoot(leaves: readonly Uint8Array[]): MerkleRootResult {
  if (leaves.length === 0) return { root: new Uint8Array(32), mutated: false };
  let level = leaves.slice();
  let mutated = false;
  while (level.length > 1) {
    for (let i = 0; i + 1 < level.length; i += 2) if (same(level[i], level[i + 1])) mutated = true;
    if (level.length & 1) level.push(level[level.length - 1]);
    const next = new Array<Uint8Array>(level.length / 2);
    for (let i = 0; i < next.length; i++) next[i] = hashPair(level[2 * i], level[2 * i + 1]);
    level = next;
  }
  return { root: level[0], mutated };
}

/** Inclusion proof for leaves[index]: the sibling at every level (the node itself when it is last and unpaired). */
export function merkleProof(leaves: readonly Uint8Array[], index: number): MerkleProof {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`merkle proof index ${index} outside 0..${leaves.length - 1}`);
  }
  const siblings: Uint8Array[] = [];
  let level = leaves.slice();
  let i = index;
  while (level.length > 1) {
    if (level.length & 1) level.push(level[level.length - 1]);
    siblings.push(level[i ^ 1]);
    const next = new Array<Uint8Array>(level.length / 2);
    for (let j = 0; j < next.length; j++) next[j] = hashPair(level[2 * j], level[2 * j + 1]);
    level = next;
    i >>= 1;
  }
  return { index, siblings };
}
