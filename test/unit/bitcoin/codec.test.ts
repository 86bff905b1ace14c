import { describe, expect, it } from "vitest";
import {
  blockHashHex,
  blockSize,
  blockStrippedSize,
  blockWeight,
  coinbaseHeight,
  bip34Prefix,
  isCoinbase,
  parseBlock,
  parseHeader,
  parseTransaction,
  serializeBlock,
  serializeTransaction,
  txidHex,
  txSize,
  txStrippedSize,
  txVsize,
  txWeight,
  wtxid,
  txid,
} from "../../../lib/bitcoin/codec";
import { BitcoinDecodeError, TruncatedDataError } from "../../../lib/bitcoin/errors";
import { bytesEqual, bytesToHex, hexToBytes, reversedHex } from "../../../lib/bytes";
import { allFixtureBlocks, fixtureBlock, HASH_542213, HASH_574200, readFixture, readFixtureJson } from "./fixtures";

describe("codec: every chaindata block", () => {
  const blocks = allFixtureBlocks();

  it("covers the 1,533 blocks of index.json", () => {
    expect(blocks.length).toBe(1533);
  });

  it("parses, matches index.json and re-serializes byte-identically", () => {
    for (const { record, bytes } of blocks) {
      const block = parseBlock(bytes);
      const where = `${record.file}@${record.offset} ${record.hash}`;
      expect(block.trailingBytes, where).toBe(0);
      expect(blockHashHex(block.header), where).toBe(record.hash);
      expect(reversedHex(block.header.prevHash), where).toBe(record.prev);
      expect(reversedHex(block.header.merkleRoot), where).toBe(record.merkle_root);
      expect(`0x${block.header.bits.toString(16).padStart(8, "0")}`, where).toBe(record.bits);
      expect(block.header.time, where).toBe(record.time);
      expect(block.txs.length, where).toBe(record.tx_count);
      expect(block.txs.filter((t) => t.hasWitness).length, where).toBe(record.segwit_tx_count);
      expect(blockSize(block), where).toBe(record.size);
      if (record.bip34_height !== null) expect(coinbaseHeight(block.txs[0]), where).toBe(record.bip34_height);
      expect(bytesEqual(serializeBlock(block), bytes), where).toBe(true);
    }
  });

  it("stripped serialization has the stripped size, and every txid is the hash of it", () => {
    const block = parseBlock(fixtureBlock(HASH_574200).bytes);
    expect(serializeBlock(block, { witness: false }).length).toBe(blockStrippedSize(block));
    for (const tx of block.txs.slice(0, 200)) {
      const stripped = serializeTransaction(tx, { witness: false });
      expect(stripped.length).toBe(txStrippedSize(tx));
      expect(parseTransaction(stripped).hasWitness).toBe(false);
      expect(bytesToHex(txid(parseTransaction(stripped)))).toBe(bytesToHex(txid(tx)));
      expect(bytesEqual(serializeTransaction(tx), tx.raw)).toBe(true);
    }
  });
});

describe("codec: transactions", () => {
  it("parses the 5,569-input megatx and computes its txid", () => {
    const tx = parseTransaction(readFixture("btcd/megatx.bin"));
    expect(tx.inputs.length).toBe(5569);
    expect(txidHex(tx)).toBe("bb41a757f405890fb0f5856228e23b715702d714d59bf2b1feb70d8b2b4e3e08");
    expect(txSize(tx)).toBe(999657);
    expect(txWeight(tx)).toBe(999657 * 4);
  });

  it("block 170 holds f4184fc5…9e16", () => {
    const b170 = allFixtureBlocks().find((b) => b.record.hash === "00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee")!;
    const block = parseBlock(b170.bytes);
    expect(block.txs.map(txidHex)).toContain("f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16");
  });

  it("segwit sizes: 542213 (bitcoinjs fixture) size 2355, stripped 2209, weight 8982", () => {
    const block = parseBlock(fixtureBlock(HASH_542213).bytes);
    expect(blockSize(block)).toBe(2355);
    expect(blockStrippedSize(block)).toBe(2209);
    expect(blockWeight(block)).toBe(8982);
    const segwit = block.txs.find((t) => t.hasWitness)!;
    expect(txVsize(segwit)).toBe(Math.ceil(txWeight(segwit) / 4));
    expect(bytesToHex(wtxid(segwit))).not.toBe(bytesToHex(txid(segwit)));
    const legacy = block.txs.find((t) => !t.hasWitness);
    if (legacy) expect(bytesToHex(wtxid(legacy))).toBe(bytesToHex(txid(legacy)));
  });

  it("coinbase detection and BIP34 prefixes", () => {
    const block = parseBlock(fixtureBlock(HASH_574200).bytes);
    expect(isCoinbase(block.txs[0])).toBe(true);
    expect(block.txs.slice(1).some(isCoinbase)).toBe(false);
    expect(coinbaseHeight(block.txs[0])).toBe(574200);
    expect(bytesToHex(bip34Prefix(574200))).toBe("03f8c208");
    expect(bytesToHex(bip34Prefix(1))).toBe("51");
    expect(bytesToHex(bip34Prefix(128))).toBe("028000");
    expect(bytesToHex(bip34Prefix(0))).toBe("00");
  });
});

describe("codec: headers", () => {
  it("bitcoinjs header fixtures", () => {
    const js = readFixtureJson<{ valid: Array<Record<string, string>> }>("bitcoinjs-lib/block.json");
    for (const v of js.valid) {
      const h = parseHeader(hexToBytes(v.hex));
      expect(h.version).toBe(Number(v.version));
      expect(reversedHex(h.prevHash)).toBe(reversedHex(hexToBytes(v.prevHash)));
      expect(bytesToHex(h.merkleRoot)).toBe(v.merkleRoot);
      expect(h.time).toBe(Number(v.timestamp));
      expect(h.bits).toBe(Number(v.bits));
      expect(h.nonce).toBe(Number(v.nonce));
      expect(blockHashHex(h)).toBe(v.id);
    }
  });
});

describe("codec: malformed input throws typed errors with offsets", () => {
  const bytes = fixtureBlock(HASH_574200).bytes;

  it("a header shorter than 80 bytes (bitcoinjs invalid fixture)", () => {
    const js = readFixtureJson<{ invalid: Array<{ hex: string }> }>("bitcoinjs-lib/block.json");
    expect(() => parseBlock(hexToBytes(js.invalid[0].hex))).toThrow(TruncatedDataError);
    try {
      parseBlock(hexToBytes(js.invalid[0].hex));
    } catch (e) {
      expect((e as TruncatedDataError).offset).toBe(0);
    }
  });

  it("truncation anywhere inside the block", () => {
    for (const cut of [81, 1000, 50_000, bytes.length - 1]) {
      let error: unknown;
      try {
        parseBlock(bytes.subarray(0, cut));
      } catch (e) {
        error = e;
      }
      expect(error, `cut at ${cut}`).toBeInstanceOf(BitcoinDecodeError);
      expect((error as BitcoinDecodeError).offset).toBeLessThanOrEqual(cut);
      expect((error as BitcoinDecodeError).message).toMatch(/at byte \d+/);
    }
  });

  it("garbage: absurd counts are refused without allocating", () => {
    const garbage = new Uint8Array(200).fill(0xff);
    expect(() => parseBlock(garbage)).toThrow(BitcoinDecodeError);
    expect(() => parseTransaction(Uint8Array.of(1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0x0f))).toThrow(/declares/);
  });

  it("non-canonical CompactSize is rejected", () => {
    // version, input count 1 encoded as fd0100
    expect(() => parseTransaction(hexToBytes("01000000fd0100"))).toThrow(/non-canonical/);
  });

  it("segwit marker with an unknown flag, and a superfluous witness record", () => {
    const tx = parseBlock(bytes).txs.find((t) => t.hasWitness)!;
    const raw = Uint8Array.from(tx.raw);
    raw[5] = 0x03;
    expect(() => parseTransaction(raw)).toThrow(/flag/);
    const legacy = parseBlock(bytes).txs.find((t) => !t.hasWitness && !isCoinbase(t))!;
    const stripped = legacy.raw;
    const withEmptyWitness = new Uint8Array(stripped.length + 2 + legacy.inputs.length);
    withEmptyWitness.set(stripped.subarray(0, 4));
    withEmptyWitness.set([0, 1], 4);
    withEmptyWitness.set(stripped.subarray(4, stripped.length - 4), 6);
    withEmptyWitness.set(stripped.subarray(stripped.length - 4), withEmptyWitness.length - 4);
    expect(() => parseTransaction(withEmptyWitness)).toThrow(/superfluous/);
  });

  it("trailing bytes after a transaction", () => {
    const tx = parseBlock(bytes).txs[1];
    const extra = new Uint8Array(tx.raw.length + 1);
    extra.set(tx.raw);
    expect(() => parseTransaction(extra)).toThrow(/trailing/);
  });
});
