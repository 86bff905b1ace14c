// What a tx's sender signed and the signature over it, so the sender can be recovered and compared with the
// node's `from`. Legacy: keccak(rlp(nonce, gasPrice, gas, to, value, data)) before EIP-155, with (chainId, 0, 0)
// appended after it (v = chainId*2 + 35/36). Typed (EIP-2718): keccak(type || rlp(payload without yParity, r, s)).
// The elliptic-curve step itself is the caller's (indexer/sources/evm-senders.ts): this module stays pure TS and
// browser-safe like the rest of lib/evm.

import { keccak256 } from "./keccak";
import { quantity, quantityToBigInt, toHex } from "./fields";
import { encodedListItems, encodeRlp, encodeRlpListOfEncoded, RlpDecodeError } from "./rlp";
import { txPayloadFields, txType } from "./tx";
import type { RpcTransaction } from "./types";

export class InvalidSignatureError extends Error {
  override readonly name = "InvalidSignatureError";
  constructor(reason: string) {
    super(`signature: ${reason}`);
  }
}

/** keccak256 of what the sender signed: the payload without the signature (EIP-155 adds chainId, 0, 0). */
export function signingHash(tx: RpcTransaction): Uint8Array {
  const t = txType(tx);
  const fields = txPayloadFields(tx);
  if (t === 0) {
    const v = quantityToBigInt(tx.v, "v");
    const base = fields.slice(0, 6);
    const payload = v >= 35n ? [...base, quantity(`0x${((v - 35n) >> 1n).toString(16)}`, "v"), new Uint8Array(0), new Uint8Array(0)] : base;
    return keccak256(encodeRlp(payload));
  }
  return typedHash(t, encodeRlp(fields.slice(0, -3)));
}

/** keccak(type || body): what a typed (EIP-2718) tx's sender signs. */
function typedHash(t: number, body: Uint8Array): Uint8Array {
  const typed = new Uint8Array(body.length + 1);
  typed[0] = t;
  typed.set(body, 1);
  return keccak256(typed);
}

/** signingHash from the tx's canonical encoding (encodeTransaction), which the indexer computes anyway: the
 *  payload's items but the last three (v/yParity, r, s) are reused byte for byte rather than re-encoded from
 *  the JSON fields. Same result as signingHash (test/unit/evm/sender.test.ts checks every fixture tx). */
export function signingHashFromEncoded(tx: RpcTransaction, encoded: Uint8Array): Uint8Array {
  const t = txType(tx);
  const off = t === 0 ? 0 : 1;
  if (t !== 0 && encoded[0] !== t) throw new InvalidSignatureError(`encoding is of type ${encoded[0]}, the tx says ${t}`);
  const items = payloadItems(encoded, off);
  const signed = items.slice(0, -3);
  if (t === 0) {
    const v = quantityToBigInt(tx.v, "v");
    if (v >= 35n) signed.push(encodeRlp(quantity(`0x${((v - 35n) >> 1n).toString(16)}`, "v")), EMPTY, EMPTY);
  }
  const body = encodeRlpListOfEncoded(signed);
  return t === 0 ? keccak256(body) : typedHash(t, body);
}

const EMPTY = Uint8Array.of(0x80); // rlp("")

/** The payload's items, still encoded; a malformed encoding is a signature that cannot be checked. */
function payloadItems(encoded: Uint8Array, off: number): Uint8Array[] {
  let items: Uint8Array[];
  try {
    items = encodedListItems(encoded, off);
  } catch (e) {
    throw new InvalidSignatureError(`the tx encoding does not parse (${e instanceof RlpDecodeError ? e.message : String(e)})`);
  }
  if (items.length < 4) throw new InvalidSignatureError("encoding has too few fields");
  return items;
}

/** r ‖ s as 64 bytes, and the recovery id (0 or 1). Ethereum signatures have no other recovery ids: v of a
 *  legacy tx is 27/28 or chainId*2 + 35/36, yParity of a typed one 0/1; anything else is refused here rather
 *  than handed to the curve (where ids 2/3 mean something else). */
export function signatureOf(tx: RpcTransaction): { rs: Uint8Array; recovery: 0 | 1 } {
  let y: bigint;
  if (txType(tx) === 0) {
    const v = quantityToBigInt(tx.v, "v");
    if (v === 27n || v === 28n) y = v - 27n;
    else if (v >= 35n) y = (v - 35n) & 1n;
    else throw new InvalidSignatureError(`legacy v ${tx.v} is neither 27/28 nor chainId*2+35/36`);
  } else {
    const raw = (tx as { yParity?: string }).yParity ?? tx.v;
    y = quantityToBigInt(raw, "yParity");
    if (y > 1n) throw new InvalidSignatureError(`yParity ${raw} is not 0 or 1`);
  }
  const rs = new Uint8Array(64);
  rs.set(word(tx.r, "r"), 0);
  rs.set(word(tx.s, "s"), 32);
  return { rs, recovery: Number(y) as 0 | 1 };
}

/** A quantity left-padded to 32 bytes. */
function word(value: string, field: string): Uint8Array {
  const q = quantity(value, field);
  if (q.length > 32) throw new InvalidSignatureError(`${field} is longer than 32 bytes`);
  const out = new Uint8Array(32);
  out.set(q, 32 - q.length);
  return out;
}

/** The address of an uncompressed public key (0x04 ‖ x ‖ y): the last 20 bytes of keccak(x ‖ y), lowercase. */
export function addressOfPublicKey(pub: Uint8Array): string {
  if (pub.length !== 65 || pub[0] !== 4) throw new InvalidSignatureError("recovered key is not an uncompressed point");
  return toHex(keccak256(pub.subarray(1)).subarray(12));
}
