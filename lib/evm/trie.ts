// Merkle-Patricia trie for the three per-block lists (transactions, receipts, withdrawals): key
// rlp(index), value the item's encoding. Built in one recursive pass over the sorted keys — no node
// store, no insert-by-insert rehashing — because it runs twice per block. Proof building and
// verification use the same node rules. Browser-safe: imports only noble and local pure modules.

import { keccak256 } from "./keccak";
import { toHex } from "./fields";
import { decodeRlp, encodeRlp, RlpRaw, type RlpInput, type RlpItem } from "./rlp";

/** keccak256(rlp("")) — the root of a trie with no entries. */
export const EMPTY_TRIE_ROOT = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

export class TrieProofError extends Error {
  override readonly name = "TrieProofError";
  constructor(reason: string) {
    super(`trie proof rejected: ${reason}. The proof does not match the root; fetch a fresh proof from a trusted source.`);
  }
}

/** rlp(i): the trie key of list position i. */
export function indexKey(index: number): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`trie index must be a non-negative integer, got ${index}`);
  if (index === 0) return Uint8Array.of(0x80);
  const be: number[] = [];
  for (let x = index; x > 0; x = Math.floor(x / 256)) be.unshift(x & 0xff);
  return encodeRlp(Uint8Array.from(be));
}

function nibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i] >> 4;
    out[2 * i + 1] = key[i] & 15;
  }
  return out;
}

/** Hex-prefix encoding of a path suffix (Yellow Paper appendix C): flag nibble carries leaf/odd. */
function hexPrefix(path: Uint8Array, from: number, to: number, leaf: boolean): Uint8Array {
  const len = to - from;
  const odd = len & 1;
  const out = new Uint8Array((len >> 1) + 1);
  out[0] = ((leaf ? 2 : 0) + odd) << 4;
  let p = from;
  if (odd) out[0] |= path[p++];
  for (let i = 1; p < to; i++, p += 2) out[i] = (path[p] << 4) | path[p + 1];
  return out;
}

/** A child is referenced by hash, or embedded whole when its encoding is shorter than 32 bytes. */
function ref(encoded: Uint8Array): RlpInput {
  return encoded.length < 32 ? new RlpRaw(encoded) : keccak256(encoded);
}

interface Entry {
  path: Uint8Array;
  value: Uint8Array;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Encodes the subtrie of entries[lo, hi) that share their first `depth` nibbles. When `target` is in
 * the range the node is on its path and is recorded in `path` (deepest first).
 */
function build(entries: Entry[], lo: number, hi: number, depth: number, target: number, path: Uint8Array[] | undefined): Uint8Array {
  let node: Uint8Array;
  const first = entries[lo].path;
  if (hi - lo === 1) {
    node = encodeRlp([hexPrefix(first, depth, first.length, true), entries[lo].value]);
  } else {
    // Sorted, so the prefix shared by all equals the prefix shared by the first and last.
    const last = entries[hi - 1].path;
    let shared = depth;
    while (shared < first.length && shared < last.length && first[shared] === last[shared]) shared++;
    if (shared > depth) {
      const child = build(entries, lo, hi, shared, target, path);
      node = encodeRlp([hexPrefix(first, depth, shared, false), ref(child)]);
    } else {
      const slots: RlpInput[] = new Array(17);
      let i = lo;
      let value: Uint8Array = new Uint8Array(0);
      if (entries[i].path.length === depth) value = entries[i++].value; // a key ending here sorts first
      for (let nib = 0; nib < 16; nib++) {
        const start = i;
        while (i < hi && entries[i].path[depth] === nib) i++;
        slots[nib] = start === i ? new Uint8Array(0) : ref(build(entries, start, i, depth + 1, target, path));
      }
      slots[16] = value;
      node = encodeRlp(slots);
    }
  }
  if (path && target >= lo && target < hi) path.push(node);
  return node;
}

function sortedEntries(values: Uint8Array[]): { entries: Entry[]; position: Map<number, number> } {
  const tagged = values.map((value, i) => ({ path: nibbles(indexKey(i)), value, i }));
  tagged.sort((a, b) => compare(a.path, b.path));
  const position = new Map<number, number>();
  tagged.forEach((e, sorted) => position.set(e.i, sorted));
  return { entries: tagged, position };
}

/** Root of the trie {rlp(i) → values[i]}, e.g. transactionsRoot from the encoded txs. */
export function orderedTrieRoot(values: Uint8Array[]): `0x${string}` {
  if (values.length === 0) return EMPTY_TRIE_ROOT;
  const { entries } = sortedEntries(values);
  return toHex(keccak256(build(entries, 0, entries.length, 0, -1, undefined)));
}

/**
 * Inclusion proof for values[index]: the RLP of every hashed node from the root down to the leaf (the
 * eth_getProof convention — nodes under 32 bytes live inside their parent and are not listed).
 */
export function orderedTrieProof(values: Uint8Array[], index: number): Uint8Array[] {
  if (index < 0 || index >= values.length) throw new RangeError(`no item ${index} in a list of ${values.length}`);
  const { entries, position } = sortedEntries(values);
  const path: Uint8Array[] = [];
  build(entries, 0, entries.length, 0, position.get(index)!, path);
  path.reverse();
  return path.filter((node, i) => i === 0 || node.length >= 32);
}

function decodePath(encoded: Uint8Array): { path: number[]; leaf: boolean } {
  if (encoded.length === 0) throw new TrieProofError("empty node path");
  const flag = encoded[0] >> 4;
  if (flag > 3) throw new TrieProofError(`bad hex-prefix flag ${flag}`);
  const path: number[] = [];
  if (flag & 1) path.push(encoded[0] & 15);
  else if ((encoded[0] & 15) !== 0) throw new TrieProofError("even path with non-zero padding nibble");
  for (let i = 1; i < encoded.length; i++) path.push(encoded[i] >> 4, encoded[i] & 15);
  return { path, leaf: flag >= 2 };
}

/**
 * Walks `proof` from `root` along `key`. Returns the value stored at key, or null when the proof shows
 * the key is absent. Throws TrieProofError when a needed node is missing or does not hash to its
 * reference — i.e. the proof proves nothing.
 */
export function verifyTrieProof(root: Uint8Array | string, key: Uint8Array, proof: Uint8Array[]): Uint8Array | null {
  const rootHex = typeof root === "string" ? root.toLowerCase() : toHex(root);
  if (rootHex === EMPTY_TRIE_ROOT) return null;
  const byHash = new Map<string, Uint8Array>();
  for (const node of proof) byHash.set(toHex(keccak256(node)), node);
  const want = nibbles(key);
  let pos = 0;
  let next: RlpItem | string = rootHex;
  // Each nibble costs at most a branch step plus a hash lookup; the bound stops malformed cycles.
  for (let steps = 0; steps <= 2 * want.length + 4; steps++) {
    let node: RlpItem;
    if (typeof next === "string") {
      const bytes = byHash.get(next);
      if (!bytes) throw new TrieProofError(`no node in the proof hashes to ${next}`);
      node = decodeRlp(bytes);
    } else if (next instanceof Uint8Array) {
      if (next.length === 0) return null;
      if (next.length !== 32) throw new TrieProofError(`child reference of ${next.length} bytes`);
      next = toHex(next);
      continue;
    } else {
      node = next; // embedded child
    }
    if (!Array.isArray(node)) throw new TrieProofError("node is not a list");
    if (node.length === 17) {
      if (pos === want.length) {
        const v = node[16];
        if (!(v instanceof Uint8Array)) throw new TrieProofError("branch value is not a string");
        return v.length ? v : null;
      }
      next = node[want[pos++]];
      continue;
    }
    if (node.length !== 2 || !(node[0] instanceof Uint8Array)) throw new TrieProofError(`node with ${node.length} items`);
    const { path, leaf } = decodePath(node[0]);
    for (let i = 0; i < path.length; i++) if (want[pos + i] !== path[i]) return null;
    pos += path.length;
    if (leaf) {
      if (pos !== want.length || !(node[1] instanceof Uint8Array)) return null;
      return node[1];
    }
    next = node[1];
  }
  throw new TrieProofError("path longer than the key");
}

export function verifyOrderedTrieProof(root: Uint8Array | string, index: number, proof: Uint8Array[]): Uint8Array | null {
  return verifyTrieProof(root, indexKey(index), proof);
}
