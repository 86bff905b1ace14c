// What the operator `verify` command needs: any block file's bytes in, one BlockReport per block out.
// Detects the framing: blk*.dat records (by network magic), hex text of a block, or a bare serialized block.

import type { BlockReport } from "../verify";
import { type BlkTruncatedTail, chainLink, orderByPrevHash, parseBlkFile } from "./blk";
import { parseHeader } from "./codec";
import { getNetwork, type Network, type NetworkName, networkByMagic } from "./network";
import { verifyRawBlock } from "./verify";

export type BlockFileFraming = "blk" | "hex" | "raw";

export interface BlockFileReport {
  framing: BlockFileFraming;
  network: Network;
  /** One per block, in file order. */
  reports: BlockReport[];
  /** blk framing: the last record is cut off (reported, not verified). */
  truncatedTail?: BlkTruncatedTail;
}

export interface VerifyBlockFileOptions {
  /** Defaults to the blk magic's network, else mainnet. */
  network?: Network | NetworkName;
  /** Core 28+ blocks/xor.dat contents, for obfuscated blk files. */
  xorKey?: Uint8Array;
  /** For a single-block file: the height, enabling BIP34/segwit-activation rules. */
  height?: number;
  /** For a single-block file: the hash the source claimed. */
  claimedHash?: string;
  expectedPrevHash?: string;
}

function isHexText(bytes: Uint8Array): boolean {
  let digits = 0;
  for (const b of bytes) {
    if ((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)) digits++;
    else if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return digits > 0 && digits % 2 === 0;
}

function hexTextToBytes(bytes: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(bytes).replace(/\s+/g, "");
  return Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));
}

function looksLikeBlk(bytes: Uint8Array, xorKey: Uint8Array | undefined): boolean {
  if (bytes.length < 8) return false;
  const head = bytes.slice(0, 4);
  if (xorKey && xorKey.length) for (let i = 0; i < 4; i++) head[i] ^= xorKey[i % xorKey.length];
  return networkByMagic(head) !== undefined;
}

/** Verify every block in a file. Decode errors become failed `parse` checks; blk magic errors are thrown (typed, with offset). */
export function verifyBlockFile(bytes: Uint8Array, opts: VerifyBlockFileOptions = {}): BlockFileReport {
  if (looksLikeBlk(bytes, opts.xorKey)) {
    const file = parseBlkFile(bytes, { network: opts.network, xorKey: opts.xorKey });
    const network = file.network;
    // Heights (hence BIP34 and prevHash checks) for the records that link up from genesis.
    // A record too short for a header cannot link; its parse check will say why.
    const link = (r: (typeof file.records)[number]) => (r.block.length >= 80 ? chainLink(parseHeader(r.block)) : { hash: `short record at ${r.offset}`, prevHash: "", bits: 0 });
    const linked = orderByPrevHash(file.records, network.genesisHash, link);
    const context = new Map<(typeof file.records)[number], { height: number; prev?: string }>();
    linked.chain.forEach((r, i) => context.set(r, { height: linked.firstHeight + i, prev: i > 0 ? link(linked.chain[i - 1]).hash : undefined }));
    const reports = file.records.map((r) => {
      const c = context.get(r);
      return verifyRawBlock(r.block, { network, height: c?.height, expectedPrevHash: c?.prev });
    });
    return file.truncatedTail ? { framing: "blk", network, reports, truncatedTail: file.truncatedTail } : { framing: "blk", network, reports };
  }
  const network = getNetwork(opts.network ?? "mainnet");
  const single = { network, height: opts.height, claimedHash: opts.claimedHash, expectedPrevHash: opts.expectedPrevHash };
  if (isHexText(bytes)) return { framing: "hex", network, reports: [verifyRawBlock(hexTextToBytes(bytes), single)] };
  return { framing: "raw", network, reports: [verifyRawBlock(bytes, single)] };
}
