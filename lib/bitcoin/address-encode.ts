// Address encoding for the hot paths (an API page or trace labels hundreds of outputs): bech32/bech32m and
// Base58Check specialised for what an address holds (a witness program of 2–40 bytes, a 21-byte version + hash),
// a few times faster than @scure/base's general radix conversions. Browser-safe: checksums hash with
// @noble/hashes. The output is the same string (tests compare with @scure/base).
import { sha256 } from "@noble/hashes/sha2.js";

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;

function polymodStep(chk: number, v: number): number {
  const b = chk >>> 25;
  let c = ((chk & 0x1ffffff) << 5) ^ v;
  for (let i = 0; i < 5; i++) if ((b >>> i) & 1) c ^= GEN[i];
  return c;
}

// The checksum state after the expanded hrp depends on the hrp alone: computed once per network.
const hrpState = new Map<string, number>();
function afterHrp(hrp: string): number {
  let chk = hrpState.get(hrp);
  if (chk === undefined) {
    chk = 1;
    for (let i = 0; i < hrp.length; i++) chk = polymodStep(chk, hrp.charCodeAt(i) >>> 5);
    chk = polymodStep(chk, 0);
    for (let i = 0; i < hrp.length; i++) chk = polymodStep(chk, hrp.charCodeAt(i) & 31);
    hrpState.set(hrp, chk);
  }
  return chk;
}

/** BIP173/BIP350 segwit address: bech32 for witness v0, bech32m for v1–16. `hrp` is lower case. */
export function encodeSegwitAddress(hrp: string, version: number, program: Uint8Array): string {
  let chk = polymodStep(afterHrp(hrp), version);
  let out = `${hrp}1${CHARSET[version]}`;
  // The program regrouped from 8-bit bytes into 5-bit words, the last one zero-padded.
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < program.length; i++) {
    acc = ((acc << 8) | program[i]) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      const w = (acc >>> bits) & 31;
      chk = polymodStep(chk, w);
      out += CHARSET[w];
    }
  }
  if (bits > 0) {
    const w = (acc << (5 - bits)) & 31;
    chk = polymodStep(chk, w);
    out += CHARSET[w];
  }
  for (let i = 0; i < 6; i++) chk = polymodStep(chk, 0);
  chk ^= version === 0 ? BECH32_CONST : BECH32M_CONST;
  for (let i = 0; i < 6; i++) out += CHARSET[(chk >>> (5 * (5 - i))) & 31];
  return out;
}

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Base58Check of version || payload (P2PKH, P2SH): the bytes plus the first 4 bytes of their sha256d. */
export function encodeBase58Check(version: number, payload: Uint8Array): string {
  const n = 1 + payload.length;
  const bytes = new Uint8Array(n + 4);
  bytes[0] = version;
  bytes.set(payload, 1);
  bytes.set(sha256(sha256(bytes.subarray(0, n))).subarray(0, 4), n);
  // Base-58 digits, least significant first, by repeated multiply-add over the bytes.
  const digits: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    let carry = bytes[i];
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j] << 8;
      digits[j] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let out = "";
  // Each leading zero byte is a leading '1'.
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) out += "1";
  for (let j = digits.length - 1; j >= 0; j--) out += B58[digits[j]];
  return out;
}
