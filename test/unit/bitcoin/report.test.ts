import { describe, expect, it } from "vitest";
import { deobfuscate } from "../../../lib/bitcoin/blk";
import { verifyBlockFile } from "../../../lib/bitcoin/report";
import { HASH_13B8A, HASH_702861, readFixture } from "./fixtures";

describe("verifyBlockFile: framing detection", () => {
  it("bare block", () => {
    const r = verifyBlockFile(readFixture("rust-bitcoin/mainnet_block_000000000000000000000c835b2adcaedc20fdf6ee440009c249452c726dafae.raw"), { height: 702861 });
    expect(r.framing).toBe("raw");
    expect(r.reports).toHaveLength(1);
    expect(r.reports[0]).toMatchObject({ ok: true, hash: HASH_702861, height: 702861 });
  });

  it("hex text of a block (with a trailing newline)", () => {
    const r = verifyBlockFile(readFixture("rust-bitcoin/block_13b8a.hex"));
    expect(r.framing).toBe("hex");
    expect(r.reports[0]).toMatchObject({ ok: true, hash: HASH_13B8A });
  });

  it("blk framing with many blocks: heights and prevHash checks where records link from genesis", () => {
    const r = verifyBlockFile(readFixture("derived/mainnet_blocks_0_to_583.dat"));
    expect(r.framing).toBe("blk");
    expect(r.network.name).toBe("mainnet");
    expect(r.reports).toHaveLength(584);
    expect(r.reports.every((x) => x.ok)).toBe(true);
    expect(r.reports[583].height).toBe(583);
    expect(r.reports[583].checks.map((c) => c.check)).toContain("prevHash");
  });

  it("blk with a truncated tail, and an obfuscated blk file", () => {
    const r = verifyBlockFile(readFixture("scalechain/blk00000-128k.dat"));
    expect(r.reports).toHaveLength(568);
    expect(r.reports.every((x) => x.ok)).toBe(true);
    expect(r.truncatedTail).toEqual({ offset: 131010, declared: 216, available: 54 });
    const key = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const x = verifyBlockFile(deobfuscate(readFixture("btcd/blk_0_to_4.dat"), key), { xorKey: key });
    expect(x.framing).toBe("blk");
    expect(x.reports.map((r) => r.height)).toEqual([0, 1, 2, 3, 4]);
    expect(x.reports.every((r) => r.ok)).toBe(true);
  });

  it("garbage gives a failed parse check, not an exception", () => {
    const r = verifyBlockFile(new TextEncoder().encode("not a block at all, just some text that is long enough to have 80 bytes of header in it..."));
    expect(r.framing).toBe("raw");
    expect(r.reports[0].ok).toBe(false);
    expect(r.reports[0].checks[0].check).toBe("parse");
  });
});
