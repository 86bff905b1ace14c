// BIP37 merkleblock (what Core's gettxoutproof returns): header + partial merkle tree. Browser-safe
// (noble hashing only). Traversal follows Core's CPartialMerkleTree::ExtractMatches, including its checks.

import { BitcoinDecodeError } from "./errors";
import { type BlockHeader, readHeader } from "./header";
import { hashPairBrowser, sha256dBrowser, type HashPair } from "./merkle-proof";
import { ByteReader } from "./reader";

export interface MerkleBlock {
  header: BlockHeader;
  /** Number of transactions in the block. */
  txCount: number;
  /** Node hashes in depth-first order, internal byte order. */
  hashes: Uint8Array[];
  /** Traversal bits, least significant bit of each byte first. */
  flags: Uint8Array;
}

export function parseMerkleBlock(bytes: Uint8Array): MerkleBlock {
  const r = new ByteReader(bytes);
  const header = readHeader(r);
  const txCount = r.u32("merkleblock tx count");
  const n = r.count("merkleblock hash count", 32);
  const hashes = new Array<Uint8Array>(n);
  for (let i = 0; i < n; i++) hashes[i] = r.take(32, "merkleblock hash");
  const flags = r.varBytes("merkleblock flag bytes");
  if (r.remaining !== 0) throw new BitcoinDecodeError("merkleblock", r.pos, `${r.remaining} trailing bytes`);
  return { header, txCount, hashes, flags };
}

export class PartialMerkleTreeError extends Error {
  override name = "PartialMerkleTreeError";
  constructor(reason: string) {
    super(`invalid partial merkle tree: ${reason}. The proof is corrupt or forged; fetch it again (gettxoutproof).`);
  }
}

export interface MerkleBlockMatch {
  /** txid, internal byte order. */
  txid: Uint8Array;
  /** Position in the block. */
  index: number;
}

// MAX_BLOCK_WEIGHT / MIN_TRANSACTION_WEIGHT: no block can hold more transactions.
const MAX_TXS = 4_000_000 / 240;

/** Rebuild the merkle root and the matched txids; throws PartialMerkleTreeError when the tree is malformed. */
export function extractMatches(mb: MerkleBlock, hashPair: HashPair = hashPairBrowser): { root: Uint8Array; matches: MerkleBlockMatch[] } {
  const n = mb.txCount;
  if (n === 0) throw new PartialMerkleTreeError("zero transactions");
  if (n > MAX_TXS) throw new PartialMerkleTreeError(`${n} transactions is more than a block can hold`);
  if (mb.hashes.length > n) throw new PartialMerkleTreeError("more hashes than transactions");
  const bitCount = mb.flags.length * 8;
  if (bitCount < mb.hashes.length) throw new PartialMerkleTreeError("fewer flag bits than hashes");
  const width = (h: number) => Math.floor((n + 2 ** h - 1) / 2 ** h);
  let height = 0;
  while (width(height) > 1) height++;

  let bitsUsed = 0;
  let hashesUsed = 0;
  const matches: MerkleBlockMatch[] = [];
  const bit = (i: number) => (mb.flags[i >> 3] >> (i & 7)) & 1;

  const traverse = (h: number, pos: number): Uint8Array => {
    if (bitsUsed >= bitCount) throw new PartialMerkleTreeError("ran out of flag bits");
    const parentOfMatch = bit(bitsUsed++) === 1;
    if (h === 0 || !parentOfMatch) {
      if (hashesUsed >= mb.hashes.length) throw new PartialMerkleTreeError("ran out of hashes");
      const hash = mb.hashes[hashesUsed++];
      if (h === 0 && parentOfMatch) matches.push({ txid: hash, index: pos });
      return hash;
    }
    const left = traverse(h - 1, pos * 2);
    let right = left;
    if (pos * 2 + 1 < width(h - 1)) {
      right = traverse(h - 1, pos * 2 + 1);
      if (equal(left, right)) throw new PartialMerkleTreeError("duplicate right-hand node (CVE-2012-2459)");
    }
    return hashPair(left, right);
  };

  const root = traverse(height, 0);
  if (Math.ceil(bitsUsed / 8) !== mb.flags.length) throw new PartialMerkleTreeError("unused flag bytes");
  if (hashesUsed !== mb.hashes.length) throw new PartialMerkleTreeError("unused hashes");
  return { root, matches };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface MerkleBlockVerification {
  ok: boolean;
  /** Block hash, internal byte order. */
  blockHash: Uint8Array;
  matches: MerkleBlockMatch[];
  reason?: string;
}

/**
 * Check a merkleblock's tree is well-formed and reproduces the header's merkle root. Proof of work on the header
 * is the caller's (pow.ts checkProofOfWork with blockHash), as is knowing the header is in the best chain.
 */
export function verifyMerkleBlock(mb: MerkleBlock, hashPair: HashPair = hashPairBrowser): MerkleBlockVerification {
  const blockHash = sha256dBrowser(mb.header.raw);
  try {
    const { root, matches } = extractMatches(mb, hashPair);
    if (!equal(root, mb.header.merkleRoot)) return { ok: false, blockHash, matches: [], reason: "partial tree root does not match the header's merkle root" };
    return { ok: true, blockHash, matches };
  } catch (e) {
    if (e instanceof PartialMerkleTreeError) return { ok: false, blockHash, matches: [], reason: e.message };
    throw e;
  }
}
