// The specialised encoders give @scure/base's strings for every program length and version, every network's
// prefixes, and payloads with leading zero bytes (leading '1's).
import { bech32, bech32m, createBase58check } from "@scure/base";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodeBase58Check, encodeSegwitAddress } from "../../../lib/bitcoin/address-encode";
import { networks } from "../../../lib/bitcoin/network";

const b58 = createBase58check(sha256);
const hrps = [...new Set(Object.values(networks).map((n) => n.bech32Hrp))];

describe("address encoding (lib/bitcoin/address-encode.ts)", () => {
  it("bech32 (v0) and bech32m (v1–16) match @scure/base for programs of 2–40 bytes", () => {
    for (const hrp of hrps) {
      for (let version = 0; version <= 16; version++) {
        for (const len of [2, 3, 19, 20, 21, 31, 32, 33, 40]) {
          const program = new Uint8Array(randomBytes(len));
          const words = [version, ...bech32.toWords(program)];
          const want = version === 0 ? bech32.encode(hrp, words) : bech32m.encode(hrp, words);
          expect(encodeSegwitAddress(hrp, version, program)).toBe(want);
        }
      }
    }
  });

  it("Base58Check matches @scure/base, leading zero bytes included", () => {
    for (const version of [0, 5, 111, 196, 255]) {
      for (let zeros = 0; zeros <= 3; zeros++) {
        for (let k = 0; k < 20; k++) {
          const payload = new Uint8Array(20);
          payload.set(randomBytes(20 - zeros), zeros);
          expect(encodeBase58Check(version, payload)).toBe(b58.encode(Uint8Array.of(version, ...payload)));
        }
      }
    }
    expect(encodeBase58Check(0, new Uint8Array(20))).toBe(b58.encode(new Uint8Array(21)));
  });
});
