// Sender recovery for the txSenders check: the signer of every tx, recovered from its signature, to be compared
// with the node's `from`. One ECDSA public-key recovery per tx dominated EVM ingest with viem's recoverAddress
// (noble, pure JS: ~2.5–3 ms of CPU a tx here), so the curve step runs in libsecp256k1 through the `secp256k1`
// package's N-API binding (~0.1 ms), whose prebuilt binaries (linux-x64 glibc/musl, darwin-arm64, win32-x64)
// ship inside the npm package: nothing is built or downloaded at install. Where no prebuilt binary loads, the
// same check runs on viem's noble, just slower. The hashing and signature parsing are lib/evm/sender.ts.
import { createRequire } from "node:module";
import { recoverPublicKey } from "viem";
import { addressOfPublicKey, signatureOf, signingHash, signingHashFromEncoded } from "../../lib/evm/sender";
import { toHex } from "../../lib/evm/fields";
import { hexToBytes } from "../../lib/bytes";
import type { RpcTransaction } from "../../lib/evm/types";
import { RequestWorker, sharedWorker } from "./request-worker";

interface NativeSecp256k1 {
  /** 65-byte uncompressed key when `compressed` is false; throws on an unparsable or unrecoverable signature. */
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed?: boolean): Uint8Array;
}

// `secp256k1/bindings` is the N-API build alone; the package root would silently fall back to `elliptic`.
const BINDINGS = "secp256k1/bindings";

function loadNative(): NativeSecp256k1 | null {
  try {
    return createRequire(import.meta.url)(BINDINGS) as NativeSecp256k1;
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

// ---------------------------------------------------------------------------------------------------------------
// Off the main thread. The main thread verifies and writes one range while the next ones are fetched; the
// curve step (the bulk of recovery) fits beside it on another core. The main thread hashes and parses (cheap,
// and our own code), the worker only runs libsecp256k1 on flat bytes (hash ‖ r ‖ s ‖ recovery id a tx, one
// transferred buffer each way, nothing cloned) and answers 64-byte keys; the main thread hashes those into
// addresses. Plain JS in the worker, so it starts the same under tsx, vitest or plain node.

const WORKER_JS = `
const { parentPort, workerData } = require("node:worker_threads");
const secp = require(workerData.bindings);
parentPort.on("message", ({ id, input, n }) => {
  const inp = new Uint8Array(input);
  const out = new Uint8Array(n * 65); // per tx: ok flag, then x ‖ y
  const pub = new Uint8Array(65);
  for (let i = 0; i < n; i++) {
    const o = i * 97;
    try {
      secp.ecdsaRecover(inp.subarray(o + 32, o + 96), inp[o + 96], inp.subarray(o, o + 32), false, pub);
      out[i * 65] = 1;
      out.set(pub.subarray(1), i * 65 + 1);
    } catch {}
  }
  parentPort.postMessage({ id, output: out.buffer }, [out.buffer]);
});
`;

const worker = sharedWorker(() =>
  native ? new RequestWorker<{ input: ArrayBuffer; n: number }, { output: ArrayBuffer }>("sender recovery", WORKER_JS, { bindings: createRequire(import.meta.url).resolve(BINDINGS) }) : null);

/** recoverSenders with the curve step on a worker thread (libsecp256k1); the same answers, in-thread where no
 *  worker or native binding is available. `encoded[i]`, the canonical encoding of txs[i] when the caller has it,
 *  saves re-encoding the fields for the signing hash. */
export async function recoverSendersOffThread(txs: readonly RpcTransaction[], encoded?: readonly (Uint8Array | undefined)[]): Promise<string[]> {
  const w = worker();
  if (!w || !txs.length) return recoverSenders(txs);
  const out: string[] = new Array(txs.length);
  const input = new Uint8Array(txs.length * 97);
  txs.forEach((tx, i) => {
    try {
      const { rs, recovery } = signatureOf(tx);
      const enc = encoded?.[i];
      input.set(enc ? signingHashFromEncoded(tx, enc) : signingHash(tx), i * 97);
      input.set(rs, i * 97 + 32);
      input[i * 97 + 96] = recovery;
    } catch (e) {
      out[i] = unrecoverable(e);
    }
  });
  let keys: Uint8Array;
  try {
    keys = new Uint8Array((await w.request({ input: input.buffer, n: txs.length }, [input.buffer])).output);
  } catch {
    return recoverSenders(txs); // the worker died: same work here
  }
  const pub = new Uint8Array(65);
  pub[0] = 4;
  for (let i = 0; i < txs.length; i++) {
    if (out[i] !== undefined) continue;
    if (!keys[i * 65]) {
      out[i] = unrecoverable(new Error("libsecp256k1 could not recover a public key from this signature"));
      continue;
    }
    pub.set(keys.subarray(i * 65 + 1, i * 65 + 65), 1);
    out[i] = addressOfPublicKey(pub);
  }
  return out;
}
