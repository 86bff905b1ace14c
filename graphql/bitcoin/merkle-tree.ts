// Merkle trees of blocks, kept across requests so a proof costs log2(n) lookups instead of hashing every txid of the
// block. A tree is keyed by block hash and stored only when its root equals that header's merkle root: the header
// commits to the root, so the entry is a function of the hash alone and stays right across reorgs and restarts.
import { sha256d } from "../../lib/bitcoin/hash";
import type { MerkleProof } from "../../lib/bitcoin/merkle";

/** levels[0] = txids, each level one contiguous buffer of 32-byte nodes (few objects for the GC to trace). */
export interface MerkleTree { levels: Buffer[]; leaves: number }

/** The tree over leaves stored back to back (32 bytes each), as the database hands them over in one value. */
export function buildTreeFromLeaves(leaves: Buffer): MerkleTree {
  if (leaves.length % 32 !== 0) throw new RangeError(`merkle leaves: ${leaves.length} bytes is not a whole number of 32-byte txids`);
  const levels = [leaves];
  let level = leaves;
  let n = leaves.length / 32;
  while (n > 1) {
    const next = Buffer.alloc(Math.ceil(n / 2) * 32);
    for (let i = 0; i < n; i += 2) {
      // A pair is 64 adjacent bytes of the level, hashed in place; an unpaired last node is hashed with itself (Core's rule).
      const pair = i + 1 < n ? level.subarray(i * 32, i * 32 + 64) : Buffer.concat([level.subarray(i * 32, i * 32 + 32), level.subarray(i * 32, i * 32 + 32)]);
      next.set(sha256d(pair), (i / 2) * 32);
    }
    levels.push(next);
    level = next;
    n = Math.ceil(n / 2);
  }
  return { levels, leaves: leaves.length / 32 };
}

export function treeRoot(t: MerkleTree): Uint8Array {
  return t.leaves === 0 ? new Uint8Array(32) : t.levels[t.levels.length - 1].subarray(0, 32);
}

/** The same proof lib/bitcoin/merkle's merkleProof gives: the sibling per level, the node itself when unpaired. */
export function treeProof(t: MerkleTree, index: number): MerkleProof {
  if (!Number.isInteger(index) || index < 0 || index >= t.leaves) throw new RangeError(`merkle proof index ${index} outside 0..${t.leaves - 1}`);
  const siblings: Uint8Array[] = [];
  let i = index;
  for (let d = 0; d < t.levels.length - 1; d++) {
    const n = t.levels[d].length / 32;
    const s = (i ^ 1) < n ? i ^ 1 : i;
    siblings.push(Uint8Array.from(t.levels[d].subarray(s * 32, s * 32 + 32)));
    i >>= 1;
  }
  return { index, siblings };
}

/** Blocks' trees by block hash (hex), least recently used dropped first, bounded by bytes. */
export class TreeCache {
  private readonly map = new Map<string, MerkleTree>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(hash: string): MerkleTree | undefined {
    const t = this.map.get(hash);
    if (t) {
      this.map.delete(hash);
      this.map.set(hash, t);
    }
    return t;
  }

  /** Stores the tree only if its root is the header's. */
  put(hash: string, t: MerkleTree, headerRoot: Uint8Array): void {
    if (!Buffer.from(treeRoot(t)).equals(Buffer.from(headerRoot)) || this.map.has(hash)) return;
    const size = t.levels.reduce((n, l) => n + l.length, 0);
    this.map.set(hash, t);
    this.bytes += size;
    for (const [k, v] of this.map) {
      if (this.bytes <= this.maxBytes || this.map.size <= 1) break;
      this.map.delete(k);
      this.bytes -= v.levels.reduce((n, l) => n + l.length, 0);
    }
  }
}
