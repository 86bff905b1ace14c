// Bitcoin Core blk*.dat framing: repeated [4-byte network magic][u32 LE length][block], with zero padding
// where Core preallocated the file, and (Core 28+) the whole file XORed with the 8-byte key in blocks/xor.dat.
// Plus ordering: Core writes blocks in arrival order, so a file is not in chain order and may hold stale blocks.

import { BitcoinDecodeError } from "./errors";
import { blockHashHex, type BlockHeader } from "./codec";
import { getNetwork, type Network, type NetworkName, networkByMagic, networks } from "./network";
import { blockWork } from "./pow";
import { reversedHex } from "../bytes";

export class BlkMagicError extends BitcoinDecodeError {
  override name = "BlkMagicError";
  constructor(
    offset: number,
    readonly found: Uint8Array,
    expected: Network | undefined,
  ) {
    super(
      "blk record magic",
      offset,
      `found ${Array.from(found, (b) => b.toString(16).padStart(2, "0")).join("")}, expected ${expected ? `${expected.name} magic ${Array.from(expected.magic, (b) => b.toString(16).padStart(2, "0")).join("")}` : "a known network magic"}` +
        " (wrong --network, or a Core 28+ file read without its blocks/xor.dat key)",
    );
  }
}

export interface BlkRecord {
  /** File offset of the record's magic. */
  offset: number;
  /** Declared (and present) block length. */
  length: number;
  /** The block's bytes: a view into the input, or into the de-obfuscated copy when an XOR key was given. */
  block: Uint8Array;
}

export interface BlkTruncatedTail {
  /** File offset of the incomplete record's magic. */
  offset: number;
  /** Length the record header declares; undefined when even the 8-byte record header is cut off. */
  declared?: number;
  /** Block bytes actually present after the record header. */
  available: number;
}

export interface BlkFile {
  network: Network;
  records: BlkRecord[];
  /** The last record is cut off (Core was still writing, or the file was copied partially). */
  truncatedTail?: BlkTruncatedTail;
}

export interface ParseBlkOptions {
  /** Expected network; detected from the first record's magic when omitted. */
  network?: Network | NetworkName;
  /** Contents of Core's blocks/xor.dat (8 bytes). All-zero or absent means the file is not obfuscated. */
  xorKey?: Uint8Array;
  /** File offset of bytes[0], when parsing a slice of a file (the XOR key is applied by file offset). */
  fileOffset?: number;
}

/** XOR bytes with an 8-byte key by file position, as Core 28+ obfuscates blk/rev files. Returns a copy. */
export function deobfuscate(bytes: Uint8Array, key: Uint8Array, fileOffset = 0): Uint8Array {
  const out = Uint8Array.from(bytes);
  if (key.length === 0) return out;
  for (let i = 0; i < out.length; i++) out[i] ^= key[(fileOffset + i) % key.length];
  return out;
}

export function parseBlkFile(input: Uint8Array, opts: ParseBlkOptions = {}): BlkFile {
  const base = opts.fileOffset ?? 0;
  const bytes = opts.xorKey && opts.xorKey.some((b) => b !== 0) ? deobfuscate(input, opts.xorKey, base) : input;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let network = opts.network ? getNetwork(opts.network) : undefined;
  const records: BlkRecord[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    // Preallocated, never-written space is zeros.
    if (bytes[pos] === 0) {
      pos++;
      continue;
    }
    if (bytes.length - pos < 8) {
      if (isMagicPrefix(bytes, pos, network)) return finish({ offset: base + pos, available: 0 });
      throw new BlkMagicError(base + pos, bytes.subarray(pos, pos + 4), network);
    }
    const found = networkByMagic(bytes, pos);
    if (!found || (network && found !== network)) throw new BlkMagicError(base + pos, bytes.subarray(pos, pos + 4), network);
    network ??= found;
    const length = view.getUint32(pos + 4, true);
    const available = bytes.length - pos - 8;
    if (length > available) return finish({ offset: base + pos, declared: length, available });
    records.push({ offset: base + pos, length, block: bytes.subarray(pos + 8, pos + 8 + length) });
    pos += 8 + length;
  }
  return finish(undefined);

  function finish(truncatedTail: BlkTruncatedTail | undefined): BlkFile {
    const net = network ?? getNetwork(opts.network ?? "mainnet");
    return truncatedTail ? { network: net, records, truncatedTail } : { network: net, records };
  }
}

/** Do the (fewer than 8) bytes left at pos start like a record of this network (or of any, when unknown)? */
function isMagicPrefix(bytes: Uint8Array, pos: number, network: Network | undefined): boolean {
  const n = Math.min(4, bytes.length - pos);
  const magics = network ? [network.magic] : Object.values(networks).map((x) => x.magic);
  return magics.some((m) => m.subarray(0, n).every((b, i) => bytes[pos + i] === b));
}

// ---------------------------------------------------------------- chain ordering

export interface ChainLink {
  /** Display hex. */
  hash: string;
  /** Display hex. */
  prevHash: string;
  bits: number;
}

/** The link fields of a header (computes its hash). */
export function chainLink(header: BlockHeader): ChainLink {
  return { hash: blockHashHex(header), prevHash: reversedHex(header.prevHash), bits: header.bits };
}

export interface StaleBranch<T> {
  /** Display hash of the best-chain block the branch forks from (the genesis hash when it forks at genesis). */
  forkHash: string;
  /** Height of that block. */
  forkHeight: number;
  /** The branch's blocks, parents before children (a branch may itself fork further). */
  blocks: T[];
}

export interface OrderedChain<T> {
  /** Best-work chain from genesis (or from height 1 when genesis itself is not among the items). */
  chain: T[];
  /** Height of chain[0]: 0 when genesis is present, otherwise 1. */
  firstHeight: number;
  /** Cumulative work of the chain tip (from the first item present). */
  work: bigint;
  /** Linked blocks that lost to a branch with more work. */
  stale: StaleBranch<T>[];
  /** Items that do not link to genesis through the given items, plus duplicates. */
  unlinkable: T[];
}

/**
 * Link items from genesis by prev-hash and pick the branch with the most work (ties: the one whose tip came first,
 * as Core keeps the first-seen tip). Iterative: fine for a whole chain.
 */
export function orderByPrevHash<T>(items: readonly T[], genesisHash: string, link: (item: T) => ChainLink = (t) => t as unknown as ChainLink): OrderedChain<T> {
  const links = items.map(link);
  const byHash = new Map<string, number>();
  const unlinkable: T[] = [];
  const children = new Map<string, number[]>();
  links.forEach((l, i) => {
    if (byHash.has(l.hash)) {
      unlinkable.push(items[i]);
      return;
    }
    byHash.set(l.hash, i);
    const list = children.get(l.prevHash);
    if (list) list.push(i);
    else children.set(l.prevHash, [i]);
  });

  const genesisIndex = byHash.get(genesisHash);
  const roots = genesisIndex !== undefined ? [genesisIndex] : (children.get(genesisHash) ?? []);
  const firstHeight = genesisIndex !== undefined ? 0 : 1;
  const work = new Map<number, bigint>();
  const height = new Map<number, number>();
  const parent = new Map<number, number>();
  const stack: Array<[index: number, parent: number]> = roots.map((r): [number, number] => [r, -1]).reverse();
  let best = -1;
  while (stack.length) {
    const [i, p] = stack.pop()!;
    work.set(i, (p >= 0 ? work.get(p)! : 0n) + blockWork(links[i].bits));
    height.set(i, p >= 0 ? height.get(p)! + 1 : firstHeight);
    if (p >= 0) parent.set(i, p);
    const w = work.get(i)!;
    if (best < 0 || w > work.get(best)! || (w === work.get(best)! && i < best)) best = i;
    const kids = children.get(links[i].hash) ?? [];
    for (let k = kids.length - 1; k >= 0; k--) stack.push([kids[k], i]);
  }

  const onChain = new Set<number>();
  const chainIdx: number[] = [];
  for (let i = best; i >= 0; i = parent.get(i) ?? -1) {
    chainIdx.push(i);
    onChain.add(i);
  }
  chainIdx.reverse();

  // Each stale block whose parent is on the best chain (or is genesis itself) starts a branch.
  const stale: StaleBranch<T>[] = [];
  for (const i of work.keys()) {
    if (onChain.has(i)) continue;
    const p = parent.get(i);
    if (p !== undefined && !onChain.has(p)) continue;
    const blocks: T[] = [];
    const queue = [i];
    for (let q = 0; q < queue.length; q++) {
      blocks.push(items[queue[q]]);
      for (const k of children.get(links[queue[q]].hash) ?? []) if (work.has(k)) queue.push(k);
    }
    stale.push({ forkHash: p !== undefined ? links[p].hash : genesisHash, forkHeight: p !== undefined ? height.get(p)! : 0, blocks });
  }
  items.forEach((item, i) => {
    if (byHash.get(links[i].hash) === i && !work.has(i)) unlinkable.push(item);
  });
  return { chain: chainIdx.map((i) => items[i]), firstHeight, work: best >= 0 ? work.get(best)! : 0n, stale, unlinkable };
}
