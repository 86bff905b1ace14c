// Hashes for server-side bulk work. node:crypto (OpenSSL, SHA-NI) is ~10x faster than pure JS on
// block-sized inputs (see bench/bitcoin-hash.ts); browser-safe code uses merkle-proof.ts instead.
// Per-call overhead dominates for small inputs (txs, merkle nodes), so the one-shot crypto.hash
// (Node >= 20.12) is used when present: it skips the Hash object createHash allocates.

import * as crypto from "node:crypto";
import { ripemd160 } from "@noble/hashes/legacy.js";

type OneShot = (algorithm: string, data: Uint8Array, outputEncoding: "buffer") => Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

const sha256Buffer: (data: Uint8Array) => Buffer = oneShot
  ? (data) => oneShot("sha256", data, "buffer")
  : (data) => crypto.createHash("sha256").update(data).digest();

function view(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function sha256(data: Uint8Array): Uint8Array {
  return view(sha256Buffer(data));
}

/** sha256(sha256(data)): block, tx and merkle-node hashes. */
export function sha256d(data: Uint8Array): Uint8Array {
  return view(sha256Buffer(sha256Buffer(data)));
}

/** sha256d over the concatenation of parts without joining them first (segwit txid = version||ins/outs||locktime). */
export function sha256dParts(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  // Joining into a reused buffer and hashing once beats a streaming Hash object for tx-sized inputs.
  if (total <= scratch.length) {
    let at = 0;
    for (const p of parts) {
      scratch.set(p, at);
      at += p.length;
    }
    return view(sha256Buffer(sha256Buffer(scratch.subarray(0, total))));
  }
  const h = crypto.createHash("sha256");
  for (const p of parts) h.update(p);
  return view(sha256Buffer(h.digest()));
}

const scratch = new Uint8Array(64 * 1024);

/** ripemd160(sha256(data)): P2PKH/P2WPKH key hashes, P2SH script hashes. RIPEMD-160 from noble: OpenSSL 3 may not ship it. */
export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(sha256(data));
}
