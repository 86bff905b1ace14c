// Cursor over a byte buffer. Reads return subarrays (views, no copies) so parsing a 2 MB block
// allocates only the small objects that describe it.

import { BitcoinDecodeError, TruncatedDataError } from "./errors";

export class ByteReader {
  readonly view: DataView;
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    offset = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = offset;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.bytes.length) throw new TruncatedDataError(what, this.pos, n, this.bytes.length - this.pos);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++];
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A view of the next n bytes (shares memory with the input). */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Bitcoin CompactSize. Non-canonical encodings are rejected as Core does, so re-serialization is exact. */
  compactSize(what: string): number {
    const start = this.pos;
    const first = this.u8(what);
    if (first < 0xfd) return first;
    let v: number;
    let min: number;
    if (first === 0xfd) {
      this.need(2, what);
      v = this.view.getUint16(this.pos, true);
      this.pos += 2;
      min = 0xfd;
    } else if (first === 0xfe) {
      v = this.u32(what);
      min = 0x10000;
    } else {
      const big = this.u64(what);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new BitcoinDecodeError(what, start, `CompactSize ${big} is absurdly large`);
      v = Number(big);
      min = 0x100000000;
    }
    if (v < min) throw new BitcoinDecodeError(what, start, `non-canonical CompactSize ${v}`);
    return v;
  }

  /** A count of items that each take at least minItemSize bytes; refuses counts the buffer cannot hold (no huge allocations on garbage). */
  count(what: string, minItemSize: number): number {
    const start = this.pos;
    const n = this.compactSize(what);
    if (n * minItemSize > this.remaining) {
      throw new BitcoinDecodeError(what, start, `declares ${n} items but only ${this.remaining} bytes remain`);
    }
    return n;
  }

  /** CompactSize length followed by that many bytes. */
  varBytes(what: string): Uint8Array {
    const start = this.pos;
    const n = this.compactSize(what);
    if (n > this.remaining) throw new TruncatedDataError(what, start, n, this.remaining);
    return this.take(n, what);
  }
}

export function compactSizeLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}

/** Writes a CompactSize at out[pos]; returns the new position. */
export function writeCompactSize(out: Uint8Array, pos: number, n: number): number {
  if (n < 0xfd) {
    out[pos] = n;
    return pos + 1;
  }
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (n <= 0xffff) {
    out[pos] = 0xfd;
    view.setUint16(pos + 1, n, true);
    return pos + 3;
  }
  if (n <= 0xffffffff) {
    out[pos] = 0xfe;
    view.setUint32(pos + 1, n, true);
    return pos + 5;
  }
  out[pos] = 0xff;
  view.setBigUint64(pos + 1, BigInt(n), true);
  return pos + 9;
}
