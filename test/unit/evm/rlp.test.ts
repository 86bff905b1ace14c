import { describe, expect, it } from "vitest";
import { bytesToHex, fromRlp, toRlp } from "viem";
import { data, InvalidFieldError, quantity, toHex } from "../../../lib/evm/fields";
import { decodeRlp, encodeRlp, RlpDecodeError, type RlpItem } from "../../../lib/evm/rlp";

function randomItem(depth: number, seed: { s: number }): RlpItem {
  const rnd = () => ((seed.s = (seed.s * 1103515245 + 12345) & 0x7fffffff), seed.s);
  if (depth > 2 || rnd() % 3) {
    const lengths = [0, 1, 1, 2, 20, 32, 55, 56, 57, 255, 256, 1024, 70000];
    const len = lengths[rnd() % lengths.length];
    return Uint8Array.from({ length: len }, () => rnd() & 0xff);
  }
  return Array.from({ length: rnd() % 6 }, () => randomItem(depth + 1, seed));
}

type HexTree = `0x${string}` | HexTree[];
const toHexTree = (i: RlpItem): HexTree => (i instanceof Uint8Array ? bytesToHex(i) : i.map(toHexTree));

describe("rlp", () => {
  it("encodes byte-identically to viem's toRlp and round-trips", () => {
    const seed = { s: 42 };
    for (let n = 0; n < 100; n++) {
      const item = randomItem(0, seed);
      const ours = encodeRlp(item);
      expect(bytesToHex(ours)).toBe(toRlp(toHexTree(item) as never));
      expect(toHexTree(decodeRlp(ours))).toEqual(fromRlp(bytesToHex(ours), "hex"));
    }
  });

  it("encodes the canonical small cases", () => {
    expect(toHex(encodeRlp(new Uint8Array(0)))).toBe("0x80");
    expect(toHex(encodeRlp(Uint8Array.of(0x7f)))).toBe("0x7f");
    expect(toHex(encodeRlp(Uint8Array.of(0x80)))).toBe("0x8180");
    expect(toHex(encodeRlp([]))).toBe("0xc0");
  });

  it("rejects non-canonical and truncated input", () => {
    expect(() => decodeRlp(Uint8Array.of(0x81, 0x05))).toThrow(RlpDecodeError); // single byte with header
    expect(() => decodeRlp(Uint8Array.of(0xb8, 0x01, 0x00))).toThrow(RlpDecodeError); // long form for short
    expect(() => decodeRlp(Uint8Array.of(0x83, 0x01))).toThrow(RlpDecodeError); // truncated
    expect(() => decodeRlp(Uint8Array.of(0x01, 0x02))).toThrow(/trailing/);
  });
});

describe("fields", () => {
  it("encodes quantities minimally, zero as empty", () => {
    expect(quantity("0x0")).toEqual(new Uint8Array(0));
    expect(toHex(quantity("0x1b"))).toBe("0x1b");
    expect(toHex(quantity("0x100"))).toBe("0x0100");
    expect(toHex(quantity("0x000001"))).toBe("0x01");
  });

  it("keeps data exact and checks fixed sizes", () => {
    expect(toHex(data("0x0000000000000000", "nonce", 8))).toBe("0x0000000000000000");
    expect(() => data("0x00", "parentHash", 32)).toThrow(InvalidFieldError);
    expect(() => data("0xabc", "extraData")).toThrow(/odd/);
    expect(() => quantity(12 as unknown, "gasUsed")).toThrow(/gasUsed/);
  });
});
