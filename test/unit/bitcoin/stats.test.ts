import { describe, expect, it } from "vitest";
import { blockHashHex, parseBlock, txidHex } from "../../../lib/bitcoin/codec";
import { blockStats, blockSubsidy, collectPrevouts, medianTimePast, MissingPrevoutError, type Prevout } from "../../../lib/bitcoin/stats";
import { verifyBlock } from "../../../lib/bitcoin/verify";
import { hexToBytes, reversedHex } from "../../../lib/bytes";
import { readFixtureJson } from "./fixtures";

interface CoreStats {
  blocks: string[];
  stats: Array<Record<string, unknown> & { height: number }>;
}

describe("getblockstats (Bitcoin Core's functional-test data)", () => {
  const data = readFixtureJson<CoreStats>("bitcoin-core/rpc_getblockstats.json");

  it("the 104-block regtest chain verifies with heights (BIP34) and links", () => {
    let prev: string | undefined;
    data.blocks.forEach((hex, height) => {
      const block = parseBlock(hexToBytes(hex));
      const report = verifyBlock(block, { network: "regtest", height, expectedPrevHash: prev });
      expect(report.ok, `height ${height}`).toBe(true);
      prev = report.hash;
    });
  });

  it("heights 101–103 match Core field for field", () => {
    const utxos = new Map<string, Prevout>();
    const times: number[] = [];
    let compared = 0;
    data.blocks.forEach((hex, height) => {
      const block = parseBlock(hexToBytes(hex));
      times.push(block.header.time);
      const prevouts = collectPrevouts(block, (txid, vout) => utxos.get(`${txid}:${vout}`));
      const expected = data.stats.find((s) => s.height === height);
      if (expected) {
        const got = blockStats(block, { height, network: "regtest", prevouts, mediantime: medianTimePast(times) });
        expect(got).toEqual(expected);
        expect(got.blockhash).toBe(blockHashHex(block.header));
        compared++;
      }
      for (const tx of block.txs) tx.outputs.forEach((o, i) => utxos.set(`${txidHex(tx)}:${i}`, o));
      for (const tx of block.txs.slice(1)) for (const input of tx.inputs) utxos.delete(`${reversedHex(input.prevTxid)}:${input.prevVout}`);
    });
    expect(compared).toBe(3);
  });

  it("missing prevouts are a typed error naming the outpoint", () => {
    const block = parseBlock(hexToBytes(data.blocks[103]));
    expect(() => collectPrevouts(block, () => undefined)).toThrow(MissingPrevoutError);
  });

  it("subsidy halves per network interval", () => {
    expect(blockSubsidy(0, "mainnet")).toBe(5_000_000_000);
    expect(blockSubsidy(210_000, "mainnet")).toBe(2_500_000_000);
    expect(blockSubsidy(840_000, "mainnet")).toBe(312_500_000);
    expect(blockSubsidy(150, "regtest")).toBe(2_500_000_000);
    expect(blockSubsidy(64 * 210_000, "mainnet")).toBe(0);
  });
});
