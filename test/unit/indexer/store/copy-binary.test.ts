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
});
