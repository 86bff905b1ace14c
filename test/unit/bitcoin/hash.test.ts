import { describe, expect, it } from "vitest";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { hash160, sha256, sha256d, sha256dParts } from "../../../lib/bitcoin/hash";
import { sha256dBrowser } from "../../../lib/bitcoin/merkle-proof";
import { bytesToHex, hexToBytes, reversedHex } from "../../../lib/bytes";

const enc = (s: string) => new TextEncoder().encode(s);

describe("hash", () => {
  it("sha256 and sha256d match known vectors", () => {
    expect(bytesToHex(sha256(enc("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(bytesToHex(sha256d(enc("hello")))).toBe("9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50");
    expect(bytesToHex(sha256(new Uint8Array(0)))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("sha256d of the genesis header is the genesis hash", () => {
    const header = hexToBytes(
      "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c",
    );
    expect(reversedHex(sha256d(header))).toBe("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
    expect(bytesToHex(sha256dBrowser(header))).toBe(bytesToHex(sha256d(header)));
  });

  it("sha256dParts equals sha256d of the concatenation", () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
    expect(bytesToHex(sha256dParts(data.subarray(0, 4), data.subarray(4, 200), data.subarray(200)))).toBe(bytesToHex(sha256d(data)));
    expect(bytesToHex(sha256(data))).toBe(bytesToHex(nobleSha256(data)));
  });

  it("hash160 of Satoshi's genesis pubkey is the 1A1zP1… hash", () => {
    const pubkey = hexToBytes(
      "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f",
    );
    expect(bytesToHex(hash160(pubkey))).toBe("62e907b15cbf27d5425399ebf6f0fb50ebb88f18");
  });
});
