// Recursive Length Prefix over Uint8Array. Hand-written rather than viem's toRlp/fromRlp because those
// take and return hex strings: for every tx, receipt and trie node of every block that is a string
// round-trip per field. Browser-safe (trie proofs are verified client-side). Encoding is canonical;
// decoding is strict (rejects non-minimal lengths and single bytes wrapped in a string header), so a
// decoded proof node re-encodes to the bytes that were hashed.

export type RlpItem = Uint8Array | RlpItem[];

export class RlpDecodeError extends Error {
  override readonly name = "RlpDecodeError";
  constructor(reason: string, offset: number) {
    super(`invalid RLP at byte ${offset}: ${reason}. The input is corrupt or not RLP; re-fetch it from the node.`);
  }
}

/** An item already RLP-encoded, spliced verbatim into a list (e.g. a child trie node under 32 bytes). */
export class RlpRaw {
  constructor(readonly encoded: Uint8Array) {}
}

export type RlpInput = Uint8Array | RlpRaw | RlpInput[];

function lengthOfLength(n: number): number {
  let k = 0;
  for (let x = n; x > 0; x = Math.floor(x / 256)) k++;
  return k;
}

function headerSize(payload: number): number {
  return payload < 56 ? 1 : 1 + lengthOfLength(payload);
}

function writeHeader(out: Uint8Array, pos: number, offset: number, payload: number): number {
  if (payload < 56) {
    out[pos] = offset + payload;
    return pos + 1;
  }
  const k = lengthOfLength(payload);
  out[pos] = offset + 55 + k;
  for (let i = k; i > 0; i--) {
    out[pos + i] = payload & 0xff;
    payload = Math.floor(payload / 256);
  }
  return pos + k + 1;
}

// Two passes: size everything (memoising list payload sizes), then write into one buffer.
function measure(item: RlpInput, sizes: number[]): number {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0] < 0x80) return 1;
    return headerSize(item.length) + item.length;
  }
  if (item instanceof RlpRaw) return item.encoded.length;
  const slot = sizes.length;
  sizes.push(0);
  let payload = 0;
  for (const child of item) payload += measure(child, sizes);
  sizes[slot] = payload;
  return headerSize(payload) + payload;
}

function write(item: RlpInput, out: Uint8Array, pos: number, sizes: number[], cursor: { i: number }): number {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0] < 0x80) {
      out[pos] = item[0];
      return pos + 1;
    }
    pos = writeHeader(out, pos, 0x80, item.length);
    out.set(item, pos);
    return pos + item.length;
  }
  if (item instanceof RlpRaw) {
    out.set(item.encoded, pos);
    return pos + item.encoded.length;
  }
  pos = writeHeader(out, pos, 0xc0, sizes[cursor.i++]);
  for (const child of item) pos = write(child, out, pos, sizes, cursor);
  return pos;
}

export function encodeRlp(item: RlpInput): Uint8Array {
  const sizes: number[] = [];
  const out = new Uint8Array(measure(item, sizes));
  write(item, out, 0, sizes, { i: 0 });
  return out;
}

/** Wraps already-encoded items in a list header: rlp([a, b, …]) from rlp(a), rlp(b), …. */
export function encodeRlpListOfEncoded(items: Uint8Array[]): Uint8Array {
  return encodeRlp(items.map((e) => new RlpRaw(e)));
}

export function decodeRlp(bytes: Uint8Array): RlpItem {
  const [item, end] = decodeAt(bytes, 0);
  if (end !== bytes.length) throw new RlpDecodeError(`${bytes.length - end} trailing bytes`, end);
  return item;
}

function readLength(bytes: Uint8Array, pos: number, k: number): number {
  if (pos + k > bytes.length) throw new RlpDecodeError("length runs past the end", pos);
  if (bytes[pos] === 0) throw new RlpDecodeError("length with leading zero", pos);
  let n = 0;
  for (let i = 0; i < k; i++) n = n * 256 + bytes[pos + i];
  if (n < 56) throw new RlpDecodeError("long form used for a short length", pos);
  return n;
}

/** The item at `pos`: its payload [start, end) and whether it is a list, checked as strictly as decodeRlp. */
function itemAt(bytes: Uint8Array, pos: number): { start: number; end: number; list: boolean } {
  if (pos >= bytes.length) throw new RlpDecodeError("unexpected end", pos);
  const b = bytes[pos];
  if (b < 0x80) return { start: pos, end: pos + 1, list: false };
  const list = b >= 0xc0;
  const base = list ? 0xc0 : 0x80;
  let start = pos + 1;
  let len = b - base;
  if (len > 55) {
    len = readLength(bytes, start, len - 55);
    start += b - base - 55;
  }
  const end = start + len;
  if (end > bytes.length) throw new RlpDecodeError(list ? "list runs past the end" : "string runs past the end", pos);
  if (!list && len === 1 && bytes[start] < 0x80) throw new RlpDecodeError("single byte below 0x80 must not have a header", pos);
  return { start, end, list };
}

function decodeAt(bytes: Uint8Array, pos: number): [RlpItem, number] {
  const { start, end, list } = itemAt(bytes, pos);
  if (!list) return [bytes.subarray(start, end), end];
  const items: RlpItem[] = [];
  for (let p = start; p < end; ) {
    const [child, next] = decodeAt(bytes, p);
    if (next > end) throw new RlpDecodeError("list item runs past the list", p);
    items.push(child);
    p = next;
  }
  return [items, end];
}

/** The items of the list at `pos`, still encoded (views into `bytes`): for re-hashing some of them verbatim. */
export function encodedListItems(bytes: Uint8Array, pos = 0): Uint8Array[] {
  const { start, end, list } = itemAt(bytes, pos);
  if (!list) throw new RlpDecodeError("expected a list", pos);
  const items: Uint8Array[] = [];
  for (let p = start; p < end; ) {
    const next = itemAt(bytes, p).end;
    if (next > end) throw new RlpDecodeError("list item runs past the list", p);
    items.push(bytes.subarray(p, next));
    p = next;
  }
  return items;
}
