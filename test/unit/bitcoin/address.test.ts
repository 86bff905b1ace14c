import { describe, expect, it } from "vitest";
import { addressKey, decodeAddress, displayAddress, encodeAddress, InvalidAddressError, p2pkAddressEquivalent } from "../../../lib/bitcoin/address";
import { parseBlock, txidHex } from "../../../lib/bitcoin/codec";
import { bytesToHex, hexToBytes } from "../../../lib/bytes";
import { allFixtureBlocks, GENESIS } from "./fixtures";

const vectors: Array<[network: "mainnet" | "testnet3" | "regtest", address: string, script: string]> = [
  ["mainnet", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac"],
  ["mainnet", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87"],
  ["mainnet", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"],
  ["mainnet", "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3", "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"],
  ["mainnet", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"],
  ["mainnet", "bc1pfeessrawgf", "51024e73"],
  ["testnet3", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"],
  ["testnet3", "mpXwg4jMtRhuSpVq4xS3HFHmCmWp9NyGKt", "76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac"],
  ["testnet3", "2N9hLwkSqr1cPQAPxbrGVUjxyjD11G2e1he", "a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87"],
  ["regtest", "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", "0014751e76e8199196d454941c45d1b3a323f1433bd6"],
  ["mainnet", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"],
  ["mainnet", "bc1sw50qgdz25j", "6002751e"],
];

describe("addresses", () => {
  it("BIP173/BIP350 and base58 vectors encode and decode", () => {
    for (const [network, address, script] of vectors) {
      expect(encodeAddress(hexToBytes(script), network), address).toBe(address);
      const d = decodeAddress(address, network);
      expect(bytesToHex(d.scriptPubKey), address).toBe(script);
      expect(bytesToHex(decodeAddress(address).scriptPubKey)).toBe(script);
    }
    expect(decodeAddress("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4").type).toBe("p2wpkh");
  });

  it("genesis and block 170: p2pk outputs have no address but show the P2PKH equivalent", () => {
    const genesis = parseBlock(allFixtureBlocks().find((b) => b.record.hash === GENESIS)!.bytes);
    const out = genesis.txs[0].outputs[0].scriptPubKey;
    expect(encodeAddress(out, "mainnet")).toBeUndefined();
    expect(p2pkAddressEquivalent(out, "mainnet")).toBe("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    expect(displayAddress(out, "mainnet")).toBe("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    expect(addressKey(out)).toBe(out);

    const b170 = parseBlock(allFixtureBlocks().find((b) => b.record.hash === "00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee")!.bytes);
    const tx = b170.txs.find((t) => txidHex(t) === "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16")!;
    expect(tx.outputs[0].value).toBe(10n * 100_000_000n);
    expect(bytesToHex(tx.outputs[0].scriptPubKey)).toBe(
      "4104ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7303b8a0626f1baded5c72a704f7e6cd84cac",
    );
    expect(p2pkAddressEquivalent(tx.outputs[0].scriptPubKey, "mainnet")).toBe("1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3"); // Hal Finney
    expect(p2pkAddressEquivalent(tx.outputs[1].scriptPubKey, "mainnet")).toBe("12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S"); // change to Satoshi
  });

  it("scripts without an address", () => {
    expect(encodeAddress(hexToBytes("6a0b68656c6c6f20776f726c64"), "mainnet")).toBeUndefined();
    expect(displayAddress(hexToBytes("ac"), "mainnet")).toBeUndefined();
  });

  it("invalid addresses throw InvalidAddressError", () => {
    const bad = [
      "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", // checksum
      "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", // checksum
      "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", // v1 with bech32 (BIP350 invalid)
      "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", // v2 with bech32 checksum (BIP350 invalid)
      "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8f3t4", // mixed case
      "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", // testnet address for mainnet
      "",
    ];
    for (const a of bad) expect(() => decodeAddress(a, "mainnet"), a).toThrow(InvalidAddressError);
  });
});
