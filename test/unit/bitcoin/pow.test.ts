import { describe, expect, it } from "vitest";
import { blockHash, parseHeader, type BlockHeader } from "../../../lib/bitcoin/codec";
import { mainnet, regtest, testnet4 } from "../../../lib/bitcoin/network";
import {
  bitsFromTarget,
  bitsProblem,
  blockWork,
  checkHeaderBits,
  checkProofOfWork,
  decodeBits,
  expectedBits,
  InvalidBitsError,
  targetFromBits,
} from "../../../lib/bitcoin/pow";
import { hexToBytes } from "../../../lib/bytes";
import { readFixture, readFixtureJson, readFixtureText } from "./fixtures";

function headersFromBin(bytes: Uint8Array): BlockHeader[] {
  const out: BlockHeader[] = [];
  for (let i = 0; i + 80 <= bytes.length; i += 80) out.push(parseHeader(bytes.subarray(i, i + 80)));
  return out;
}

describe("pow: nBits", () => {
  it("bitcoinjs target fixtures (sign bit ignored in the target, flagged as negative)", () => {
    const js = readFixtureJson<{ targets: Array<{ bits: string; expected: string }> }>("bitcoinjs-lib/block.json");
    for (const t of js.targets) {
      const bits = parseInt(t.bits, 16);
      expect(decodeBits(bits).target.toString(16).padStart(64, "0")).toBe(t.expected);
    }
    expect(decodeBits(0x1b80ffff).negative).toBe(true);
    expect(() => targetFromBits(0x1b80ffff)).toThrow(InvalidBitsError);
  });

  it("rejects negative, overflowing, zero and above-powLimit bits", () => {
    expect(bitsProblem(0x04923456)).toMatch(/negative/);
    expect(bitsProblem(0xff123456)).toMatch(/overflow/);
    expect(bitsProblem(0x22000100)).toMatch(/overflow/);
    expect(bitsProblem(0x00000000)).toMatch(/zero/);
    expect(bitsProblem(0x207fffff, mainnet)).toMatch(/powLimit/);
    expect(bitsProblem(0x207fffff, regtest)).toBeUndefined();
    expect(targetFromBits(0x1d00ffff, mainnet)).toBe(BigInt("0x00000000ffff" + "0".repeat(52)));
  });

  it("bitsFromTarget inverts decodeBits (Core GetCompact)", () => {
    for (const bits of [0x1d00ffff, 0x1b0404cb, 0x1814dd04, 0x170371b1, 0x207fffff, 0x1900896c, 0x05009234, 0x03123456]) {
      expect(bitsFromTarget(decodeBits(bits).target)).toBe(bits);
    }
    expect(bitsFromTarget(0x80n)).toBe(0x02008000);
  });

  it("block work: genesis difficulty 1 is 2^32+2^16+1 hashes", () => {
    expect(blockWork(0x1d00ffff)).toBe(0x100010001n);
    expect(blockWork(0x01800000)).toBe(0n);
  });
});

describe("pow: header checks", () => {
  it("the changed-nonce header in bitcoinjs block.json fails; the others pass", () => {
    const js = readFixtureJson<{ valid: Array<{ description: string; hex: string; valid: boolean }> }>("bitcoinjs-lib/block.json");
    const changed = js.valid.filter((v) => v.description.includes("nonce changed"));
    expect(changed.length).toBe(1);
    for (const v of js.valid) {
      const h = parseHeader(hexToBytes(v.hex));
      // testnet3 shares mainnet's powLimit, so one network serves both here.
      const result = checkProofOfWork(blockHash(h), h.bits, mainnet);
      expect(result.ok, v.description).toBe(v.valid);
      if (!v.valid) expect(result.reason).toBe("hash above target");
    }
  });

  it("8,065 mainnet headers 822528..830592: linked, valid PoW, and retargets at 824544/826560/828576/830592", () => {
    const headers = headersFromBin(readFixture("ckb-bitcoin-spv-testdata/headers/mainnet_headers_822528_830592.bin"));
    expect(headers.length).toBe(8065);
    for (let i = 0; i < headers.length; i++) {
      expect(checkProofOfWork(blockHash(headers[i]), headers[i].bits, mainnet).ok).toBe(true);
      if (i > 0) expect(Buffer.from(headers[i].prevHash).equals(Buffer.from(blockHash(headers[i - 1])))).toBe(true);
    }
    expect(checkHeaderBits(headers, 822528, mainnet)).toEqual([]);
    const retargets: number[] = [];
    for (let i = 1; i < headers.length; i++) if (headers[i].bits !== headers[i - 1].bits) retargets.push(822528 + i);
    expect(retargets).toEqual([824544, 826560, 828576, 830592]);
    for (const h of retargets) {
      const i = h - 822528;
      expect(expectedBits(headers[i - 2016], headers[i - 1], mainnet)).toBe(headers[i].bits);
    }
    // A wrong bits value at a retarget is reported.
    const tampered = headers.map((h) => ({ time: h.time, bits: h.bits }));
    tampered[826560 - 822528] = { ...tampered[826560 - 822528], bits: tampered[826560 - 822528 - 1].bits };
    expect(checkHeaderBits(tampered, 822528, mainnet)).toEqual([
      { height: 826560, expected: headers[826560 - 822528].bits, got: headers[826559 - 822528].bits },
      { height: 826561, expected: headers[826559 - 822528].bits, got: headers[826560 - 822528].bits },
    ]);
  });

  it("mainnet headers 0..9999 (VeriBlock): PoW, links and retargets clamped at powLimit", () => {
    const headers = readFixtureText("veriblock-alt-integration-cpp/btc_blockheaders_mainnet_0_10000.txt")
      .split(/\s+/)
      .filter(Boolean)
      .map((hex) => parseHeader(hexToBytes(hex)));
    expect(headers.length).toBe(10000);
    for (const h of headers) expect(checkProofOfWork(blockHash(h), h.bits, mainnet).ok).toBe(true);
    expect(checkHeaderBits(headers, 0, mainnet)).toEqual([]);
    expect(expectedBits(headers[0], headers[2015], mainnet)).toBe(0x1d00ffff);
  });

  it("testnet4 (BIP94) retargets from the period's first block's bits", () => {
    const first = { time: 0, bits: 0x1c00ffff };
    const last = { time: 14 * 24 * 3600, bits: 0x1d00ffff };
    expect(expectedBits(first, last, testnet4)).toBe(0x1c00ffff);
    expect(expectedBits(first, last, mainnet)).toBe(0x1d00ffff);
    expect(expectedBits(first, last, regtest)).toBe(last.bits);
  });
});
