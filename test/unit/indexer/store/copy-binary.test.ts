// The binary COPY writer emits PostgreSQL's documented layout (the integration tests load it into a real server).
import { describe, expect, it } from "vitest";
import { CopyBinaryWriter } from "../../../../indexer/store/copy-binary";

describe("CopyBinaryWriter", () => {
  it("writes the signature, big-endian fields with lengths, NULLs and the trailer", () => {
    const w = new CopyBinaryWriter(8); // tiny chunks force the buffer to grow
    w.row(5).int2(-2).int4(70000).int8(-5).bytea(new Uint8Array([1, 2])).null();
    const b = w.end();
    expect(b.subarray(0, 11).toString("latin1")).toBe("PGCOPY\n\xff\r\n\0");
    expect(b.readInt32BE(11)).toBe(0);
    expect(b.readInt32BE(15)).toBe(0);
    let p = 19;
    expect(b.readInt16BE(p)).toBe(5);
    expect([b.readInt32BE(p + 2), b.readInt16BE(p + 6)]).toEqual([2, -2]);
    expect([b.readInt32BE(p + 8), b.readInt32BE(p + 12)]).toEqual([4, 70000]);
    expect([b.readInt32BE(p + 16), b.readBigInt64BE(p + 20)]).toEqual([8, -5n]);
    expect([b.readInt32BE(p + 28), b[p + 32], b[p + 33]]).toEqual([2, 1, 2]);
    expect(b.readInt32BE(p + 34)).toBe(-1);
    p += 38;
    expect(b.readInt16BE(p)).toBe(-1);
    expect(b.length).toBe(p + 2);
  });

  it("encodes numbers and bigints to the same int8 bytes", () => {
    for (const v of [0, 1, -1, 2 ** 32, -(2 ** 32) - 7, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 123456789012]) {
      const a = new CopyBinaryWriter().int8(v).take();
      const b = new CopyBinaryWriter().int8(BigInt(v)).take();
      expect(a.equals(b)).toBe(true);
    }
  });

  it("writes int8 as Buffer.writeBigInt64BE would, also beyond 2^53 and at the int64 limits", () => {
    const values = [0n, -1n, 255n, 2n ** 40n + 3n, -(2n ** 52n) - 1n, 2n ** 53n - 1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n)];
    for (const v of values) {
      const got = new CopyBinaryWriter().int8(v).take().subarray(19);
      const want = Buffer.alloc(12);
      want.writeInt32BE(8, 0);
      want.writeBigInt64BE(v, 4);
      expect(got.toString("hex"), String(v)).toBe(want.toString("hex"));
    }
    expect(() => new CopyBinaryWriter().int8(2 ** 60)).toThrow(RangeError);
  });

  /** What was written after the file header (signature, flags, extension length: 19 bytes). */
  const fields = (w: CopyBinaryWriter) => w.take().subarray(19);

  /** The value a binary numeric field stands for: sum of base-10000 digits at their weights (docs: numeric_send). */
  const readNumeric = (b: Buffer, p = 0) => {
    const len = b.readInt32BE(p);
    const [n, weight, sign, dscale] = [b.readInt16BE(p + 4), b.readInt16BE(p + 6), b.readUInt16BE(p + 8), b.readInt16BE(p + 10)];
    expect(len).toBe(8 + 2 * n);
    expect(dscale).toBe(0);
    let v = 0n;
    for (let i = 0; i < n; i++) {
      const d = b.readUInt16BE(p + 12 + 2 * i);
      expect(d).toBeLessThan(10000);
      v += BigInt(d) * 10000n ** BigInt(weight - i);
    }
    if (n) expect(b.readUInt16BE(p + 12 + 2 * (n - 1))).not.toBe(0); // no trailing zero digits
    return { v: sign === 0x4000 ? -v : v, n, weight, sign };
  };

  it("writes numeric as base-10000 digits with weight and sign, trailing zero groups left out", () => {
    const one = (v: bigint) => readNumeric(fields(new CopyBinaryWriter().numeric(v)));
    expect(one(0n)).toEqual({ v: 0n, n: 0, weight: 0, sign: 0 });
    expect(one(12345678n)).toEqual({ v: 12345678n, n: 2, weight: 1, sign: 0 });
    expect(one(100000000n)).toEqual({ v: 100000000n, n: 1, weight: 2, sign: 0 });
    expect(one(-10001n)).toEqual({ v: -10001n, n: 2, weight: 1, sign: 0x4000 });
    expect(one(9999n)).toEqual({ v: 9999n, n: 1, weight: 0, sign: 0 });
    const max = 2n ** 256n - 1n; // uint256, the widest wei or token amount
    expect(one(max).v).toBe(max);
    let x = 1n;
    for (let i = 0; i < 200; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) % 2n ** 260n; // varied widths and digit patterns
      const v = x >> BigInt(i % 260);
      expect(one(v).v).toBe(v);
      expect(one(-v).v).toBe(-v);
    }
  });

  it("writes text as UTF-8 and bytea from 0x-hex, refusing what is not whole hex bytes", () => {
    const t = fields(new CopyBinaryWriter().text("MKR ✓").textOrNull(null));
    expect(t.readInt32BE(0)).toBe(7);
    expect(t.subarray(4, 11).toString("utf8")).toBe("MKR ✓");
    expect(t.readInt32BE(11)).toBe(-1);
    const h = fields(new CopyBinaryWriter().byteaHex("0xDEadbe").byteaHex("0x").byteaHexOrNull(null));
    expect([...h]).toEqual([0, 0, 0, 3, 0xde, 0xad, 0xbe, 0, 0, 0, 0, 255, 255, 255, 255]);
    for (const bad of ["deadbe", "0xabc", "0xzz", "0x12g4"]) expect(() => new CopyBinaryWriter().byteaHex(bad)).toThrow(/hex bytes/);
  });

  it("takeReusing hands out the previous chunk's buffer again, holding only the new bytes", () => {
    const w = new CopyBinaryWriter(8192); // above Buffer's pool size: every buffer has its own memory
    const a = w.row(1).int4(1).takeReusing();
    expect(a.subarray(19).toString("hex")).toBe("00010000000400000001");
    const b = w.int4(2).takeReusing();
    expect(b.toString("hex")).toBe("0000000400000002");
    expect(b.buffer).not.toBe(a.buffer);
    // The consumer is done with a by now: its memory carries the next chunk.
    const c = w.int4(3).takeReusing();
    expect(c.buffer).toBe(a.buffer);
    expect(c.toString("hex")).toBe("0000000400000003");
    const d = w.int4(4).takeReusing();
    expect(d.buffer).toBe(b.buffer);
    expect(d.toString("hex")).toBe("0000000400000004");
  });
});
