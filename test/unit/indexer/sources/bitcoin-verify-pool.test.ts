// Verification ahead on the worker thread (indexer/sources/bitcoin-verify-pool.ts) reports exactly what verifyBlock
// reports on the indexer's thread, for every real fixture block and for tampered copies, once the parent link is
// added (withPrevHash); the bytes the caller passed stay its own.
import { describe, expect, it } from "vitest";
import { parseBlock, txid } from "../../../../lib/bitcoin/codec";
import { getNetwork } from "../../../../lib/bitcoin/network";
import { verifyBlock, withPrevHash } from "../../../../lib/bitcoin/verify";
import { decodeBlock } from "../../../../indexer/sources/bitcoin-block";
import { precheck } from "../../../../indexer/sources/bitcoin-verify-pool";
import { allFixtureBlocks, fixtureBlock, HASH_574200 } from "../../bitcoin/fixtures";
import { flipBit } from "../../bitcoin/tamper";

const ZERO = "00".repeat(32);

describe("verification ahead on the worker", () => {
  it("equals verifyBlock, with and without the parent link, on every fixture block and tampered copies", async () => {
    const seg = fixtureBlock(HASH_574200);
    const cases = [
      ...allFixtureBlocks().map((b) => ({ bytes: b.bytes, network: b.network, claimed: b.record.hash, prev: b.record.prev, height: b.record.bip34_height ?? undefined })),
      { bytes: flipBit(seg.bytes, 76), network: "mainnet" as const, claimed: seg.record.hash, prev: seg.record.prev, height: 574200 }, // nonce
      { bytes: flipBit(seg.bytes, 300), network: "mainnet" as const, claimed: undefined, prev: seg.record.prev, height: 574200 }, // a tx
      { bytes: seg.bytes.subarray(0, 5000), network: "mainnet" as const, claimed: undefined, prev: seg.record.prev, height: 574200 }, // truncated
    ];
    let compared = 0;
    for (const c of cases) {
      const raw = { height: c.height ?? 1, raw: c.bytes, claimedHash: c.claimed };
      const before = Uint8Array.from(c.bytes);
      const [pre] = (await precheck([raw], getNetwork(c.network)))!;
      expect(c.bytes).toEqual(before);
      let block;
      try {
        block = parseBlock(c.bytes);
      } catch {
        expect(pre).toBeUndefined(); // the indexer's decode reports it
        continue;
      }
      expect(pre!.txids).toEqual(block.txs.map(txid));
      const opts = { network: c.network, height: raw.height, claimedHash: c.claimed };
      for (const expectedPrevHash of [undefined, c.prev, ZERO]) {
        expect(withPrevHash(pre!.report, block.header.prevHash, expectedPrevHash)).toEqual(verifyBlock(block, { ...opts, expectedPrevHash }));
      }
      // decodeBlock takes the worker's txids and report.
      const decoded = decodeBlock("t", raw, pre);
      expect(decoded.txids).toBe(pre!.txids);
      expect(decoded.precheck).toBe(pre!.report);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it("answers several blocks of a range in order", async () => {
    const blocks = allFixtureBlocks().filter((b) => b.network === "mainnet").slice(0, 6);
    const pre = (await precheck(blocks.map((b, i) => ({ height: i, raw: b.bytes })), getNetwork("mainnet")))!;
    expect(pre.map((p) => p!.report.hash)).toEqual(blocks.map((b) => b.record.hash));
  });
});
