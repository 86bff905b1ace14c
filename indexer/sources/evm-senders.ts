// Sender recovery for the txSenders check: the signer of every tx, recovered from its signature, to be compared
// with the node's `from`. One ECDSA public-key recovery per tx dominated EVM ingest with viem's recoverAddress
// (noble, pure JS: ~2.5–3 ms of CPU a tx here), so the curve step runs in libsecp256k1 through the `secp256k1`
// package's N-API binding (~0.1 ms), whose prebuilt binaries (linux-x64 glibc/musl, darwin-arm64, win32-x64)
// ship inside the npm package: nothing is built or downloaded at install. Where no prebuilt binary loads, the
// same check runs on viem's noble, just slower. The hashing and signature parsing are lib/evm/sender.ts.
import { createRequire } from "node:module";
import { recoverPublicKey } from "viem";
import { addressOfPublicKey, signatureOf, signingHash } from "../../lib/evm/sender";
import { toHex } from "../../lib/evm/fields";
import { hexToBytes } from "../../lib/bytes";
import type { RpcTransaction } from "../../lib/evm/types";

interface NativeSecp256k1 {
  /** 65-byte uncompressed key when `compressed` is false; throws on an unparsable or unrecoverable signature. */
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed?: boolean): Uint8Array;
}

function loadNative(): NativeSecp256k1 | null {
  try {
    // `secp256k1/bindings` is the N-API build alone; the package root would silently fall back to `elliptic`.
    return createRequire(import.meta.url)("secp256k1/bindings") as NativeSecp256k1;
  } catch {
    return null;
  }
}

const native = loadNative();

/** Which implementation recovers senders in this process (for logs and benchmark reports). */
export const senderBackend: "libsecp256k1 (native)" | "noble (JS)" = native ? "libsecp256k1 (native)" : "noble (JS)";

const unrecoverable = (e: unknown) => `unrecoverable: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`;

/** Signer of each tx (lowercase), or "unrecoverable: …" (which then fails txSenders). `backend: "noble"` forces
 *  the JS path (tests compare the two). */
export async function recoverSenders(txs: readonly RpcTransaction[], o: { backend?: "native" | "noble" } = {}): Promise<string[]> {
  const lib = o.backend === "noble" ? null : native;
  if (o.backend === "native" && !lib) throw new Error("the secp256k1 package's native binding did not load on this platform");
  const out: string[] = [];
  for (const tx of txs) {
    try {
      const { rs, recovery } = signatureOf(tx);
      const hash = signingHash(tx);
      if (lib) {
        out.push(addressOfPublicKey(lib.ecdsaRecover(rs, recovery, hash, false)));
        continue;
      }
      const pub = await recoverPublicKey({ hash: toHex(hash), signature: { r: toHex(rs.subarray(0, 32)), s: toHex(rs.subarray(32)), yParity: recovery } });
      out.push(addressOfPublicKey(hexToBytes(pub.slice(2))));
    } catch (e) {
      out.push(unrecoverable(e));
    }
  }
  return out;
}
