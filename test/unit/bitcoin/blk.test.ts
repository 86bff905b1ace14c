import { describe, expect, it } from "vitest";
import { BlkMagicError, chainLink, deobfuscate, orderByPrevHash, parseBlkFile, type BlkRecord } from "../../../lib/bitcoin/blk";
import { blockHashHex, parseHeader } from "../../../lib/bitcoin/codec";
import { mainnet } from "../../../lib/bitcoin/network";
import { GENESIS, index, readFixture, readFixtureText } from "./fixtures";

const link = (r: BlkRecord) => chainLink(parseHeader(r.block));

describe("blk*.dat framing", () => {
  it("scalechain 128 KiB prefix: 568 whole records, then a reported truncated tail", () => {
    const file = parseBlkFile(readFixture("scalechain/blk00000-128k.dat"));
    expect(file.network.name).toBe("mainnet");
    expect(file.records.length).toBe(568);
    expect(file.truncatedTail).toEqual({ offset: 131010, declared: 216, available: 54 });
    const expected = index.filter((r) => r.file === "scalechain/blk00000-128k.dat" && r.hash);
    expect(file.records.map((r) => blockHashHex(parseHeader(r.block)))).toEqual(expected.map((r) => r.hash));
    expect(file.records.map((r) => r.offset)).toEqual(expected.map((r) => r.offset));
  });

  it("records out of chain order are linked from genesis", () => {
    const file = parseBlkFile(readFixture("scalechain/blk00000-128k.dat"));
    const hashes = readFixtureText("derived/mainnet_block_hashes_0_to_583.txt").trim().split("\n").map((l) => l.split(/\s+/)[1]);
    // The file really is out of order.
    expect(file.records.map((r) => link(r).hash)).not.toEqual(hashes.slice(0, 568));
    // On its own the 128 KiB prefix links 0..282: heights 283-288, 321, 334-341 and 343 are past the cut.
    const alone = orderByPrevHash(file.records, mainnet.genesisHash, link);
    expect(alone.chain.map((r) => link(r).hash)).toEqual(hashes.slice(0, 283));
    expect(alone.unlinkable.length).toBe(568 - 283);
    expect(alone.stale).toEqual([]);
    // With those 16 blocks supplied (from the derived 0..583 file), all 568 records link: heights 0..583.
    const derived = parseBlkFile(readFixture("derived/mainnet_blocks_0_to_583.dat")).records;
    const present = new Set(file.records.map((r) => link(r).hash));
    const missing = derived.filter((r) => !present.has(link(r).hash));
    expect(missing.length).toBe(16);
    const all = orderByPrevHash([...file.records, ...missing], mainnet.genesisHash, link);
    expect(all.firstHeight).toBe(0);
    expect(all.chain.length).toBe(584);
    expect(all.unlinkable).toEqual([]);
    expect(all.chain.map((r) => link(r).hash)).toEqual(hashes);
  });

  it("btcd forks: blk_0_to_4 + 3A, 4A, 5A: the longer (more work) A branch wins, 3 and 4 are stale", () => {
    const records = ["blk_0_to_4.dat", "blk_3A.dat", "blk_4A.dat", "blk_5A.dat"].flatMap((f) => parseBlkFile(readFixture(`btcd/${f}`)).records);
    expect(records.length).toBe(8);
    const ordered = orderByPrevHash(records, GENESIS, link);
    const hash = (f: string, o = 0) => index.find((r) => r.file === `btcd/${f}` && r.offset === o)!.hash;
    expect(ordered.chain.map((r) => link(r).hash)).toEqual([
      GENESIS,
      hash("blk_0_to_4.dat", 293),
      hash("blk_0_to_4.dat", 513),
      hash("blk_3A.dat"),
      hash("blk_4A.dat"),
      hash("blk_5A.dat"),
    ]);
    expect(ordered.stale.length).toBe(1);
    expect(ordered.stale[0].forkHash).toBe(hash("blk_0_to_4.dat", 513));
    expect(ordered.stale[0].forkHeight).toBe(2);
    expect(ordered.stale[0].blocks.map((r) => link(r).hash)).toEqual([hash("blk_0_to_4.dat", 926), hash("blk_0_to_4.dat", 1596)]);
    // Without 5A the branches tie on work: the first-seen tip (block 4) wins.
    const tie = orderByPrevHash(records.slice(0, 7), GENESIS, link);
    expect(link(tie.chain[tie.chain.length - 1]).hash).toBe(hash("blk_0_to_4.dat", 1596));
  });

  it("unlinkable leftovers and duplicates; a chain without genesis starts at height 1", () => {
    const file = parseBlkFile(readFixture("btcd/blocks1-256"));
    expect(file.records.length).toBe(255);
    const ordered = orderByPrevHash(file.records, GENESIS, link);
    expect(ordered.firstHeight).toBe(1);
    expect(ordered.chain.length).toBe(255);
    const gap = orderByPrevHash([...file.records.slice(0, 10), ...file.records.slice(11), file.records[3]], GENESIS, link);
    expect(gap.chain.length).toBe(10);
    expect(gap.unlinkable.length).toBe(245); // 244 after the gap + 1 duplicate
  });

  it("Core 28+ xor.dat obfuscation and zero padding", () => {
    const plain = readFixture("btcd/blk_0_to_4.dat");
    const padded = new Uint8Array(plain.length + 1000);
    padded.set(plain.subarray(0, 293), 0);
    padded.set(plain.subarray(293), 293 + 500); // 500 zero bytes between records, 500 at the end
    const key = Uint8Array.of(0x13, 0x37, 0xca, 0xfe, 0x01, 0x02, 0x03, 0x04);
    const obfuscated = deobfuscate(padded, key);
    expect(() => parseBlkFile(obfuscated, { network: "mainnet" })).toThrow(BlkMagicError);
    const file = parseBlkFile(obfuscated, { xorKey: key });
    expect(file.records.length).toBe(5);
    expect(file.records[1].offset).toBe(793);
    expect(file.truncatedTail).toBeUndefined();
    // A slice of the file starting at an odd offset, de-obfuscated by file position.
    const slice = parseBlkFile(obfuscated.subarray(793), { xorKey: key, fileOffset: 793 });
    expect(slice.records.length).toBe(4);
    expect(slice.records[0].offset).toBe(793);
    expect(parseBlkFile(plain, { xorKey: new Uint8Array(8) }).records.length).toBe(5);
  });

  it("unknown magic is a typed error with the offset; wrong network too", () => {
    const plain = Uint8Array.from(readFixture("btcd/blk_0_to_4.dat"));
    plain[293] = 0x42;
    try {
      parseBlkFile(plain);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BlkMagicError);
      expect((e as BlkMagicError).offset).toBe(293);
      expect((e as Error).message).toMatch(/42beb4d9/);
    }
    expect(() => parseBlkFile(readFixture("btcd/blk_0_to_4.dat"), { network: "testnet3" })).toThrow(/testnet3 magic 0b110907/);
  });

  it("a record header cut off inside its 8 bytes is a truncated tail without a declared length", () => {
    const plain = readFixture("btcd/blk_0_to_4.dat");
    const cut = parseBlkFile(plain.subarray(0, 293 + 6));
    expect(cut.records.length).toBe(1);
    expect(cut.truncatedTail).toEqual({ offset: 293, available: 0 });
  });
});
