// The 80-byte block header. Pure (no hashing) so browser code (merkleblock.ts) can use it too.

import { ByteReader } from "./reader";

export const HEADER_SIZE = 80;

export interface BlockHeader {
  /** Signed int32 as Core stores it (BIP9 version bits live in the high bits). */
  version: number;
  /** 32 bytes, internal byte order (reverse for display). */
  prevHash: Uint8Array;
  merkleRoot: Uint8Array;
  time: number;
  bits: number;
  nonce: number;
  /** The 80 header bytes as read. */
  raw: Uint8Array;
}

export function readHeader(r: ByteReader): BlockHeader {
  const start = r.pos;
  r.need(HEADER_SIZE, "block header");
  const version = r.i32("header version");
  const prevHash = r.take(32, "header prevHash");
  const merkleRoot = r.take(32, "header merkleRoot");
  const time = r.u32("header time");
  const bits = r.u32("header bits");
  const nonce = r.u32("header nonce");
  return { version, prevHash, merkleRoot, time, bits, nonce, raw: r.bytes.subarray(start, start + HEADER_SIZE) };
}

/** Parse an 80-byte header (extra bytes are ignored). */
export function parseHeader(bytes: Uint8Array): BlockHeader {
  return readHeader(new ByteReader(bytes));
}

export function serializeHeader(h: Omit<BlockHeader, "raw">): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE);
  const view = new DataView(out.buffer);
  view.setInt32(0, h.version, true);
  out.set(h.prevHash, 4);
  out.set(h.merkleRoot, 36);
  view.setUint32(68, h.time, true);
  view.setUint32(72, h.bits, true);
  view.setUint32(76, h.nonce, true);
  return out;
}
