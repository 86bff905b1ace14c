// Trace cursors' bytes. Why not JSON: an answer carries a cursor per node plus one for its whole open frontier, and
// as base64 JSON (each tx item holding its txid three times: as the node id, in its label, in its reference) they
// were half of a 200-node answer's bytes, which every cache hit writes again. v2 stores each txid once, as bytes,
// and a flag for each name the decoder can rebuild from it; a name that does not follow the rule is stored as is,
// so every item round-trips exactly. v1 (JSON) cursors are still read.
import type { FrontierItem } from "./types";

export const CURSOR_V2 = 2;

const short = (h: string) => `${h.slice(0, 8)}…${h.slice(-6)}`;
const reverseHex = (h: string) => Buffer.from(h, "hex").reverse().toString("hex");

/** Lower-case hex of whole bytes (a loop: encoding runs for every node of every answer). */
function isByteHex(h: string): boolean {
  if (h.length & 1) return false;
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** n is ref's bytes in reverse order, in hex (a Bitcoin txid shown as explorers show it), without allocating. */
function isReversed(n: string, ref: string): boolean {
  if (n.length !== ref.length) return false;
  for (let i = 0; i < n.length; i += 2) {
    const j = ref.length - 2 - i;
    if (n.charCodeAt(i) !== ref.charCodeAt(j) || n.charCodeAt(i + 1) !== ref.charCodeAt(j + 1)) return false;
  }
  return true;
}

// Item flag bits.
const ADDRESS = 1, FORWARD = 2, N_FROM_REF = 4, L_SHORT = 8, L_IS_N = 16, REF_HEX = 32;

class Writer {
  private buf = Buffer.allocUnsafe(256);
  private at = 0;
  private room(n: number) {
    if (this.at + n <= this.buf.length) return;
    const b = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(b, 0, 0, this.at);
    this.buf = b;
  }
  byte(b: number) { this.room(1); this.buf[this.at++] = b; }
  varint(v: bigint | number) {
    this.room(11);
    if (typeof v === "number" && v <= 0x7fffffff) {
      while (v >= 0x80) { this.buf[this.at++] = (v & 0x7f) | 0x80; v >>>= 7; }
      this.buf[this.at++] = v;
      return;
    }
    let x = BigInt(v);
    while (x >= 0x80n) { this.buf[this.at++] = Number(x & 0x7fn) | 0x80; x >>= 7n; }
    this.buf[this.at++] = Number(x);
  }
  raw(b: Uint8Array) { this.varint(b.length); this.room(b.length); this.buf.set(b, this.at); this.at += b.length; }
  hex(h: string) { this.varint(h.length / 2); this.room(h.length / 2); this.at += this.buf.write(h, this.at, "hex"); }
  text(s: string) { this.raw(Buffer.from(s, "utf8")); }
  done(): Buffer { return this.buf.subarray(0, this.at); }
}

class Reader {
  private at = 0;
  constructor(private readonly b: Buffer) {}
  byte(): number {
    if (this.at >= this.b.length) throw new RangeError("cursor ends early");
    return this.b[this.at++];
  }
  varint(): bigint {
    let x = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (shift > 70n) throw new RangeError("cursor varint too long");
      const b = this.byte();
      x |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return x;
    }
  }
  small(max: number): number {
    const v = this.varint();
    if (v > BigInt(max)) throw new RangeError("cursor number out of range");
    return Number(v);
  }
  raw(): Buffer {
    const n = this.small(1 << 16);
    if (this.at + n > this.b.length) throw new RangeError("cursor ends early");
    return this.b.subarray(this.at, (this.at += n));
  }
  text(): string { return this.raw().toString("utf8"); }
  get end(): boolean { return this.at === this.b.length; }
}

/** The v2 bytes of a cursor body (items as openFrontier/nodeCursor build them). */
export function encodeItems(chainId: number, items: readonly FrontierItem[]): Buffer {
  const w = new Writer();
  w.byte(CURSOR_V2);
  w.varint(chainId);
  w.varint(items.length);
  for (const it of items) {
    const [kind, id, ref] = it.r;
    const refHex = isByteHex(ref);
    const nFromRef = refHex && ref.length === 64 && isReversed(it.n, ref);
    const flags = (kind === "a" ? ADDRESS : 0) | (it.d === "F" ? FORWARD : 0) | (nFromRef ? N_FROM_REF : 0)
      | (it.l === short(it.n) ? L_SHORT : it.l === it.n ? L_IS_N : 0) | (refHex ? REF_HEX : 0);
    w.byte(flags);
    // Ids are decimal digits (decodeCursor checks); a non-canonical form ("007") is kept as text.
    const canonical = /^(?:0|[1-9]\d{0,19})$/.test(id);
    w.byte(canonical ? 1 : 0);
    if (canonical) w.varint(id.length < 10 ? Number(id) : BigInt(id)); else w.text(id);
    if (flags & REF_HEX) w.hex(ref); else w.text(ref);
    if (!nFromRef) w.text(it.n);
    if (!(flags & (L_SHORT | L_IS_N))) w.text(it.l);
    w.varint(it.o.length);
    for (const o of it.o) w.varint(o);
  }
  return w.done();
}

/** The body of a v2 cursor: its chain id and items (still to be validated like any client input). */
export function decodeItems(b: Buffer): { chainId: number; items: FrontierItem[] } {
  const r = new Reader(b);
  if (r.byte() !== CURSOR_V2) throw new RangeError("not a v2 cursor");
  const chainId = r.small(0xffff);
  const count = r.small(1 << 16);
  const items: FrontierItem[] = [];
  for (let i = 0; i < count; i++) {
    const flags = r.byte();
    const id = r.byte() === 1 ? r.varint().toString() : r.text();
    const ref = flags & REF_HEX ? r.raw().toString("hex") : r.text();
    const n = flags & N_FROM_REF ? reverseHex(ref) : r.text();
    const l = flags & L_SHORT ? short(n) : flags & L_IS_N ? n : r.text();
    const o = Array.from({ length: r.small(2) }, () => r.small(2 ** 31));
    items.push({ n, l, r: [flags & ADDRESS ? "a" : "t", id, ref], d: flags & FORWARD ? "F" : "B", o });
  }
  if (!r.end) throw new RangeError("cursor has trailing bytes");
  return { chainId, items };
}
