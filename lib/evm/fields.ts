// JSON-RPC field codecs: the two ways a hex string becomes RLP input. A *quantity* is a number and is
// encoded minimal big-endian (0 → empty bytes); *data* is a byte string kept exactly, length-checked
// when the field has a fixed size (hash 32, address 20, bloom 256, PoW nonce 8). Mixing them up
// changes hashes, so every encoder says which one it means. Browser-safe: no Buffer.

export class InvalidFieldError extends Error {
  override readonly name = "InvalidFieldError";
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(
      `${field}: ${reason} (got ${JSON.stringify(value)?.slice(0, 80)}). ` +
        "Expected the JSON-RPC shape of eth_getBlockByNumber(n, true)/eth_getBlockReceipts; check the node's answer.",
    );
  }
}

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[97 + i] = NIBBLE[65 + i] = 10 + i;

function decodeHex(field: string, value: unknown, allowOdd: boolean): Uint8Array {
  if (typeof value !== "string" || value[0] !== "0" || (value[1] !== "x" && value[1] !== "X")) {
    throw new InvalidFieldError(field, value, "not a 0x-prefixed hex string");
  }
  let start = 2;
  const digits = value.length - 2;
  const odd = digits & 1;
  if (odd && !allowOdd) throw new InvalidFieldError(field, value, "odd number of hex digits");
  const out = new Uint8Array((digits + odd) >> 1);
  let o = 0;
  if (odd) {
    const n = NIBBLE[value.charCodeAt(2)] ?? -1;
    if (n < 0) throw new InvalidFieldError(field, value, "not hex");
    out[o++] = n;
    start = 3;
  }
  for (let i = start; i < value.length; i += 2) {
    const hi = NIBBLE[value.charCodeAt(i)] ?? -1;
    const lo = NIBBLE[value.charCodeAt(i + 1)] ?? -1;
    if (hi < 0 || lo < 0) throw new InvalidFieldError(field, value, "not hex");
    out[o++] = (hi << 4) | lo;
  }
  return out;
}

/** A hex quantity as RLP wants it: minimal big-endian, zero → empty. */
export function quantity(value: unknown, field = "quantity"): Uint8Array {
  const b = decodeHex(field, value, true);
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return i === 0 ? b : b.subarray(i);
}

/** Hex data kept byte-exact; `size` enforces fixed-width fields. */
export function data(value: unknown, field = "data", size?: number): Uint8Array {
  const b = decodeHex(field, value, false);
  if (size !== undefined && b.length !== size) {
    throw new InvalidFieldError(field, value, `expected ${size} bytes, got ${b.length}`);
  }
  return b;
}

export const hash32 = (value: unknown, field = "hash"): Uint8Array => data(value, field, 32);
export const address = (value: unknown, field = "address"): Uint8Array => data(value, field, 20);

/** `to` of a contract creation is null/absent and encodes as the empty string. */
export function optionalAddress(value: unknown, field = "to"): Uint8Array {
  return value === null || value === undefined || value === "0x" ? new Uint8Array(0) : address(value, field);
}

export function quantityToBigInt(value: unknown, field = "quantity"): bigint {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]+$/.test(value)) throw new InvalidFieldError(field, value, "not a hex quantity");
  return BigInt(value);
}

export function quantityToNumber(value: unknown, field = "quantity"): number {
  const n = quantityToBigInt(value, field);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidFieldError(field, value, "too large for a JS number");
  return Number(n);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lowercase 0x-hex, the form EVM hashes are shown and compared in. */
export function toHex(bytes: Uint8Array): `0x${string}` {
  let s = "0x";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s as `0x${string}`;
}
