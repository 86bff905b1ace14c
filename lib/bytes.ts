// Byte helpers shared by both chain families. Hashes travel as Uint8Array internally and as
// lowercase hex (no 0x for Bitcoin, 0x-prefixed for EVM) only at the edges.

export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new TypeError(`not a hex string: ${hex.slice(0, 20)}`);
  return Uint8Array.from(Buffer.from(h, "hex"));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Bitcoin shows hashes byte-reversed (little-endian internal order). */
export function reversedHex(bytes: Uint8Array): string {
  return bytesToHex(Uint8Array.from(bytes).reverse());
}

export function reversedBytes(hex: string): Uint8Array<ArrayBuffer> {
  return hexToBytes(hex).reverse();
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(Buffer.concat(parts));
}
