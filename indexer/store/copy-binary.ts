// PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary Format"): the
// server reads fixed-width big-endian integers and raw bytea instead of parsing decimal and hex text, and the
// writer fills one reusable buffer instead of building strings. Field widths must match the column types exactly.
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const TWO_32 = 4294967296;

export class CopyBinaryWriter {
  private buf: Buffer;
  private pos = 0;
  private spare: Buffer | undefined;
  /** Rows written so far (all chunks). */
  rows = 0;

  constructor(private readonly chunkSize = 1 << 20) {
    this.buf = Buffer.allocUnsafe(chunkSize);
    this.ensure(SIGNATURE.length + 8);
    SIGNATURE.copy(this.buf, 0);
    this.buf.writeInt32BE(0, 11); // flags: no OIDs
    this.buf.writeInt32BE(0, 15); // header extension length
    this.pos = 19;
  }

  get length(): number {
    return this.pos;
  }

  /** Starts a row of `fields` columns. */
  row(fields: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(fields, this.pos);
    this.pos += 2;
    this.rows++;
    return this;
  }

  int2(v: number): this {
    this.ensure(6);
    this.buf.writeInt32BE(2, this.pos);
    this.buf.writeInt16BE(v, this.pos + 4);
    this.pos += 6;
    return this;
  }

  int4(v: number): this {
    this.ensure(8);
    this.buf.writeInt32BE(4, this.pos);
    this.buf.writeInt32BE(v, this.pos + 4);
    this.pos += 8;
    return this;
  }

  /** A bigint column; numbers must be safe integers. Bytes are set directly: Buffer.writeBigInt64BE costs 3× more,
   *  and this runs ~50 times per transaction indexed. */
  int8(v: bigint | number): this {
    this.ensure(12);
    const b = this.buf;
    const p = this.pos;
    b[p] = 0;
    b[p + 1] = 0;
    b[p + 2] = 0;
    b[p + 3] = 8;
    const n = typeof v === "bigint" ? Number(v) : v;
    if (Number.isSafeInteger(n)) {
      const hi = Math.floor(n / TWO_32);
      const lo = n - hi * TWO_32;
      b[p + 4] = hi >>> 24;
      b[p + 5] = hi >>> 16;
      b[p + 6] = hi >>> 8;
      b[p + 7] = hi;
      b[p + 8] = lo >>> 24;
      b[p + 9] = lo >>> 16;
      b[p + 10] = lo >>> 8;
      b[p + 11] = lo;
    } else if (typeof v === "bigint") b.writeBigInt64BE(v, p + 4);
    else throw new RangeError(`int8 column: ${v} is not a safe integer`);
    this.pos += 12;
    return this;
  }

  bool(v: boolean): this {
    this.ensure(5);
    this.buf.writeInt32BE(1, this.pos);
    this.buf[this.pos + 4] = v ? 1 : 0;
    this.pos += 5;
    return this;
  }

  bytea(b: Uint8Array): this {
    this.ensure(4 + b.length);
    this.buf.writeInt32BE(b.length, this.pos);
    this.buf.set(b, this.pos + 4);
    this.pos += 4 + b.length;
    return this;
  }

  null(): this {
    this.ensure(4);
    this.buf.writeInt32BE(-1, this.pos);
    this.pos += 4;
    return this;
  }

  /** A numeric column from an integer: base-10000 digits of its decimal form (the server checks them against the
   *  column's precision, as it does for text input). */
  numeric(v: bigint): this {
    const s = (v < 0n ? -v : v).toString();
    const groups = (s.length + 3) >> 2;
    const lead = s.length - (groups - 1) * 4; // digits in the first (most significant) group
    let digits = 0; // trailing zero groups are left out, as the server stores them
    for (let g = groups - 1; g >= 0 && !digits; g--) if (decimalGroup(s, g, lead)) digits = g + 1;
    this.ensure(12 + 2 * digits);
    const b = this.buf;
    let p = this.pos;
    b.writeInt32BE(8 + 2 * digits, p);
    b.writeInt16BE(digits, p + 4);
    b.writeInt16BE(digits ? groups - 1 : 0, p + 6); // weight: power of 10000 of the first group
    b.writeUInt16BE(v < 0n ? 0x4000 : 0, p + 8);
    b.writeInt16BE(0, p + 10); // display scale: an integer
    p += 12;
    for (let g = 0; g < digits; g++, p += 2) b.writeUInt16BE(decimalGroup(s, g, lead), p);
    this.pos = p;
    return this;
  }

  /** A text column (UTF-8). */
  text(s: string): this {
    const n = Buffer.byteLength(s, "utf8");
    this.ensure(4 + n);
    this.buf.writeInt32BE(n, this.pos);
    this.buf.write(s, this.pos + 4, n, "utf8");
    this.pos += 4 + n;
    return this;
  }

  /** A bytea column from 0x-prefixed hex (as JSON-RPC sends it), without an intermediate byte array. Throws on
   *  anything that is not whole hex bytes, where the server's decode() used to refuse it. */
  byteaHex(hex: string): this {
    const digits = hex.length - 2;
    if (hex[0] !== "0" || (hex[1] !== "x" && hex[1] !== "X") || digits & 1) throw new Error(`not 0x-prefixed hex bytes: ${hex.slice(0, 80)}`);
    const n = digits >> 1;
    this.ensure(4 + n);
    this.buf.writeInt32BE(n, this.pos);
    if (n && this.buf.write(hex.slice(2), this.pos + 4, n, "hex") !== n) throw new Error(`not 0x-prefixed hex bytes: ${hex.slice(0, 80)}`);
    this.pos += 4 + n;
    return this;
  }

  /** Nullable bigint / int4 columns. */
  int8OrNull(v: bigint | number | null | undefined): this {
    return v === null || v === undefined ? this.null() : this.int8(v);
  }

  int4OrNull(v: number | null | undefined): this {
    return v === null || v === undefined ? this.null() : this.int4(v);
  }

  int2OrNull(v: number | null | undefined): this {
    return v === null || v === undefined ? this.null() : this.int2(v);
  }

  numericOrNull(v: bigint | null | undefined): this {
    return v === null || v === undefined ? this.null() : this.numeric(v);
  }

  textOrNull(s: string | null | undefined): this {
    return s === null || s === undefined ? this.null() : this.text(s);
  }

  byteaHexOrNull(hex: string | null | undefined): this {
    return hex === null || hex === undefined ? this.null() : this.byteaHex(hex);
  }

  /** The bytes written since the last take (a fresh buffer continues: the returned one is not reused). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.chunkSize);
    this.pos = 0;
    return out;
  }

  /** As take, for a consumer already done with the chunk the previous call returned: its buffer is reused, so a
   *  long COPY allocates two buffers instead of one per chunk (each a megabyte outside the V8 heap, which counts
   *  toward the next garbage collection). */
  takeReusing(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    const spare = this.spare;
    this.spare = this.buf;
    this.buf = spare && spare.length >= this.chunkSize ? spare : Buffer.allocUnsafe(this.chunkSize);
    this.pos = 0;
    return out;
  }

  /** Ends the data (the file trailer) and returns the last bytes. */
  end(): Buffer {
    this.ensure(2);
    this.buf.writeInt16BE(-1, this.pos);
    this.pos += 2;
    return this.take();
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

/** Group `g` (of 4 decimal digits; the first has `lead`) of the decimal string `s`, as a number. */
function decimalGroup(s: string, g: number, lead: number): number {
  const end = lead + g * 4;
  let v = 0;
  for (let i = g ? end - 4 : 0; i < end; i++) v = v * 10 + s.charCodeAt(i) - 48;
  return v;
}
