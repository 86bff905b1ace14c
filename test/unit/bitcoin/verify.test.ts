import { describe, expect, it } from "vitest";
import { blockHashHex, isCoinbase, parseBlock, serializeBlock, txid } from "../../../lib/bitcoin/codec";
import { verifyBlock, verifyRawBlock } from "../../../lib/bitcoin/verify";
import { reversedHex } from "../../../lib/bytes";
import { allFixtureBlocks, fixtureBlock, HASH_300025, HASH_574200, HASH_702861, HASH_13B8A } from "./fixtures";
import { flipBit, offsetIn, withTxs } from "./tamper";

const failed = (r: { checks: Array<{ check: string; ok: boolean }> }) => r.checks.filter((c) => !c.ok).map((c) => c.check);

describe("verifyBlock: every chaindata block verifies", () => {
  it("with claimed hash and prev hash from index.json, and heights where known", () => {
    const heights = new Map<string, number>();
    for (const { record } of allFixtureBlocks()) if (record.bip34_height !== null) heights.set(record.hash, record.bip34_height);
    for (const { record, bytes, network } of allFixtureBlocks()) {
      const report = verifyRawBlock(bytes, { network, claimedHash: record.hash, expectedPrevHash: record.prev, height: heights.get(record.hash) });
      expect(report.ok, `${record.file} ${record.hash} ${JSON.stringify(report.checks.filter((c) => !c.ok))}`).toBe(true);
      expect(report.family).toBe("bitcoin");
      expect(report.hash).toBe(record.hash);
      const names = report.checks.map((c) => c.check);
      expect(names.slice(0, 3)).toEqual(["headerHash", "pow", "prevHash"]);
      expect(names.includes("witnessCommitment")).toBe(record.witness_commitment === true);
      expect(names.slice(-3)).toEqual(names.includes("witnessCommitment") ? ["witnessCommitment", "coinbase", "size"] : ["merkleRoot", "coinbase", "size"]);
    }
  });

  it("reports the height given and omits prevHash when no parent is expected", () => {
    const r = verifyBlock(parseBlock(fixtureBlock(HASH_574200).bytes), { network: "mainnet", height: 574200 });
    expect(r.height).toBe(574200);
    expect(r.checks.map((c) => c.check)).toEqual(["headerHash", "pow", "merkleRoot", "witnessCommitment", "coinbase", "size"]);
  });
});

describe("verifyBlock: txids computed by the caller", () => {
  it("give the same report as txids it computes, on every fixture block and on tampered copies", () => {
    const seg = fixtureBlock(HASH_574200);
    const copies = [...allFixtureBlocks().map((b) => ({ bytes: b.bytes, network: b.network })), { bytes: flipBit(seg.bytes, 200), network: "mainnet" as const }];
    for (const { bytes, network } of copies) {
      let block;
      try {
        block = parseBlock(bytes);
      } catch {
        continue;
      }
      expect(verifyBlock(block, { network, txids: block.txs.map(txid) })).toEqual(verifyBlock(block, { network }));
    }
  });

  it("refuses a txid list of another length", () => {
    const block = parseBlock(fixtureBlock(HASH_574200).bytes);
    expect(() => verifyBlock(block, { network: "mainnet", txids: block.txs.slice(1).map(txid) })).toThrow(RangeError);
  });
});

describe("verifyBlock: tampered copies fail the right check", () => {
  const legacy = fixtureBlock(HASH_300025);
  const segwit = fixtureBlock(HASH_574200);

  it("one flipped bit in the header: headerHash (vs the claimed hash) and pow", () => {
    const bad = flipBit(legacy.bytes, 76); // nonce
    expect(failed(verifyRawBlock(bad, { network: "mainnet", claimedHash: legacy.record.hash }))).toEqual(["headerHash", "pow"]);
    const report = verifyRawBlock(bad, { network: "mainnet" });
    expect(failed(report)).toEqual(["pow"]);
    expect(report.checks.find((c) => c.check === "pow")!.expected).toMatch(/^hash <= 0{16}/);
    // A flipped bit in the merkle root field: the hash changes too, and the root no longer matches.
    expect(failed(verifyRawBlock(flipBit(legacy.bytes, 40), { network: "mainnet", claimedHash: legacy.record.hash }))).toEqual(["headerHash", "pow", "merkleRoot"]);
  });

  it("one flipped bit in a transaction: merkleRoot", () => {
    const block = parseBlock(legacy.bytes);
    const at = offsetIn(block.txs[7].outputs[0].scriptPubKey, legacy.bytes) + 5;
    const report = verifyRawBlock(flipBit(legacy.bytes, at), { network: "mainnet" });
    expect(failed(report)).toEqual(["merkleRoot"]);
    const check = report.checks.find((c) => c.check === "merkleRoot")!;
    expect(check.expected).toBe(legacy.record.merkle_root);
    expect(check.got).toMatch(/^[0-9a-f]{64}$/);
    expect(check.got).not.toBe(check.expected);
  });

  it("one flipped bit in a witness: witnessCommitment only (txids do not cover witnesses)", () => {
    const block = parseBlock(segwit.bytes);
    const tx = block.txs.find((t, i) => i > 0 && t.hasWitness)!;
    const at = offsetIn(tx.inputs[0].witness[0], segwit.bytes) + 3;
    expect(failed(verifyRawBlock(flipBit(segwit.bytes, at), { network: "mainnet" }))).toEqual(["witnessCommitment"]);
  });

  it("a flipped bit in a segwit block's non-witness bytes: merkleRoot and witnessCommitment", () => {
    const block = parseBlock(segwit.bytes);
    const at = offsetIn(block.txs[10].outputs[0].scriptPubKey, segwit.bytes) + 4;
    expect(failed(verifyRawBlock(flipBit(segwit.bytes, at), { network: "mainnet" }))).toEqual(["merkleRoot", "witnessCommitment"]);
  });

  it("a dropped transaction: merkleRoot", () => {
    const block = parseBlock(legacy.bytes);
    const without = withTxs(block, [...block.txs.slice(0, 100), ...block.txs.slice(101)]);
    expect(failed(verifyRawBlock(without, { network: "mainnet" }))).toEqual(["merkleRoot"]);
  });

  it("CVE-2012-2459: the last tx pair duplicated keeps the merkle root but fails merkleRoot", () => {
    const tenTx = allFixtureBlocks().find((b) => b.record.tx_count === 10)!; // testnet3 301322: 10 ≡ 2 (mod 4)
    const block = parseBlock(tenTx.bytes);
    const dup = withTxs(block, [...block.txs, block.txs[8], block.txs[9]]);
    const report = verifyRawBlock(dup, { network: tenTx.network });
    expect(failed(report)).toEqual(["merkleRoot"]);
    const check = report.checks.find((c) => c.check === "merkleRoot")!;
    expect(check.got).toBe(check.expected); // same root…
    expect(check.detail).toMatch(/CVE-2012-2459/); // …but mutated
    expect(report.hash).toBe(tenTx.record.hash); // and the header (hence the hash and PoW) is untouched
  });

  it("CVE-2012-2459 in a segwit block: the last tx duplicated (odd count)", () => {
    const block = parseBlock(segwit.bytes);
    const last = block.txs[block.txs.length - 1];
    const report = verifyRawBlock(withTxs(block, [...block.txs, last]), { network: "mainnet" });
    expect(failed(report)).toEqual(["merkleRoot"]);
  });

  it("a wrong witness commitment: witnessCommitment", () => {
    const block = parseBlock(segwit.bytes);
    const cb = block.txs[0];
    const idx = cb.outputs.findIndex((o) => o.scriptPubKey.length >= 38 && o.scriptPubKey[0] === 0x6a && o.scriptPubKey[5] === 0xed);
    const bad = flipBit(segwit.bytes, offsetIn(cb.outputs[idx].scriptPubKey, segwit.bytes) + 10);
    const report = verifyRawBlock(bad, { network: "mainnet" });
    // The commitment lives in the coinbase, so the txid (merkle root) changes too.
    expect(failed(report)).toEqual(["merkleRoot", "witnessCommitment"]);
    const check = report.checks.find((c) => c.check === "witnessCommitment")!;
    expect(check.expected).not.toBe(check.got);
  });

  it("trailing bytes: size", () => {
    const extra = new Uint8Array(legacy.bytes.length + 3);
    extra.set(legacy.bytes);
    const report = verifyRawBlock(extra, { network: "mainnet" });
    expect(failed(report)).toEqual(["size"]);
    expect(report.checks.find((c) => c.check === "size")!.detail).toMatch(/3 trailing bytes/);
  });

  it("coinbase: missing, or a second one", () => {
    const block = parseBlock(fixtureBlock(HASH_13B8A).bytes);
    expect(failed(verifyRawBlock(withTxs(block, block.txs.slice(1)), { network: "mainnet" }))).toEqual(["merkleRoot", "coinbase"]);
    expect(failed(verifyRawBlock(withTxs(block, [...block.txs, block.txs[0]]), { network: "mainnet" }))).toEqual(["merkleRoot", "coinbase"]);
    expect(isCoinbase(block.txs[0])).toBe(true);
  });

  it("BIP34: a wrong height is a coinbase failure", () => {
    const r = verifyBlock(parseBlock(segwit.bytes), { network: "mainnet", height: 574201 });
    expect(failed(r)).toEqual(["coinbase"]);
    expect(r.checks.find((c) => c.check === "coinbase")!.expected).toBe("03f9c208");
  });

  it("prevHash mismatch, and a block of another network fails pow", () => {
    expect(failed(verifyRawBlock(legacy.bytes, { network: "mainnet", expectedPrevHash: "00".repeat(32) }))).toEqual(["prevHash"]);
    const regtestBlock = allFixtureBlocks().find((b) => b.network === "regtest" && b.record.tx_count > 1)!;
    const r = verifyRawBlock(regtestBlock.bytes, { network: "mainnet" });
    expect(failed(r)).toEqual(["pow"]);
    expect(r.checks.find((c) => c.check === "pow")!.detail).toMatch(/powLimit/);
  });

  it("witness data without a commitment fails witnessCommitment", () => {
    const block = parseBlock(segwit.bytes);
    const cb = block.txs[0];
    const stripped = { ...cb, outputs: cb.outputs.filter((o) => !(o.scriptPubKey[0] === 0x6a && o.scriptPubKey[5] === 0xed)) };
    const r = verifyRawBlock(withTxs(block, [stripped, ...block.txs.slice(1)]), { network: "mainnet" });
    expect(failed(r)).toEqual(["merkleRoot", "witnessCommitment"]);
    expect(r.checks.find((c) => c.check === "witnessCommitment")!.got).toBe("none");
  });

  it("garbage and truncation become a failed parse check", () => {
    const cut = verifyRawBlock(segwit.bytes.subarray(0, 5000), { network: "mainnet" });
    expect(cut.ok).toBe(false);
    expect(cut.checks).toHaveLength(1);
    expect(cut.checks[0].check).toBe("parse");
    expect(cut.checks[0].detail).toMatch(/at byte \d+/);
    expect(cut.hash).toBe(segwit.record.hash);
    expect(verifyRawBlock(new Uint8Array(10), { network: "mainnet" }).checks[0].check).toBe("parse");
  });
});

describe("verifyBlock: large blocks", () => {
  it("702861 (2,500 tx) verifies and its hash is the display hash", () => {
    const b = fixtureBlock(HASH_702861);
    const r = verifyRawBlock(b.bytes, { network: "mainnet", height: 702861 });
    expect(r.ok).toBe(true);
    expect(r.hash).toBe(blockHashHex(parseBlock(b.bytes).header));
    expect(reversedHex(parseBlock(serializeBlock(parseBlock(b.bytes))).header.prevHash)).toBe(b.record.prev);
  });
});
