import { describe, expect, it } from "vitest";
import { BlockVerificationError } from "../../../lib/verify";
import { verifyBlock, verifyBlockJson, type EvmBlockReport } from "../../../lib/evm/verify";
import { encodeTransaction } from "../../../lib/evm/tx";
import type { RpcBlock, RpcReceipt, RpcTransaction } from "../../../lib/evm/types";
import { loadFixture, loadFixtures, readFixtureText } from "./fixtures";

const failed = (r: EvmBlockReport) => r.checks.filter((c) => !c.ok).map((c) => c.check);
const check = (r: EvmBlockReport, name: string) => r.checks.find((c) => c.check === name);

describe("verifyBlock on real mainnet blocks", () => {
  for (const { record, block, receipts } of loadFixtures()) {
    it(`verifies ${record.fork} block ${record.number} and agrees with index.json`, () => {
      const report = verifyBlock(block, { receipts, expectedParentHash: record.parentHash });
      expect(failed(report)).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.family).toBe("evm");
      expect(report.hash).toBe(record.hash);
      expect(report.height).toBe(record.number);
      const names = report.checks.map((c) => c.check);
      expect(names).toEqual(expect.arrayContaining(["fullTransactions", "headerHash", "parentHash", "txHashes", "transactionsRoot"]));
      expect(check(report, "headerHash")!.got).toBe(record.hash);
      expect(check(report, "transactionsRoot")!.got).toBe(record.transactionsRoot);
      if (receipts) {
        expect(names).toEqual(expect.arrayContaining(["receiptsRoot", "logsBloom", "gasUsed"]));
        expect(check(report, "receiptsRoot")!.got).toBe(record.receiptsRoot);
      } else {
        expect(report.skipped.map((s) => s.check)).toEqual(expect.arrayContaining(["receiptsRoot", "logsBloom"]));
      }
      if (record.withdrawalsRoot) expect(check(report, "withdrawalsRoot")!.got).toBe(record.withdrawalsRoot);
      else expect(names).not.toContain("withdrawalsRoot");
      if (record.blobGasUsed) expect(check(report, "blobGasUsed")!.ok).toBe(true);
      if (block.uncles.length === 0) expect(check(report, "unclesHash")!.ok).toBe(true);
    });
  }
});

describe("verifyBlock rejects tampered blocks, naming the check", () => {
  const fresh = () => loadFixture(22431084);
  const verify = (block: RpcBlock, receipts?: RpcReceipt[]) => verifyBlock(block, { receipts });

  it("header gasUsed changed", () => {
    const { block, receipts } = fresh();
    const r = verify({ ...block, gasUsed: "0x9d8f64" }, receipts);
    expect(failed(r)).toEqual(["headerHash", "gasUsed"]);
    expect(() => {
      throw new BlockVerificationError("ethereum", r);
    }).toThrow(/failed headerHash: expected 0x50c8cab7.*got 0x/);
  });

  it("header timestamp changed", () => {
    const { block } = fresh();
    expect(failed(verify({ ...block, timestamp: "0x681b3058" }))).toEqual(["headerHash"]);
  });

  it("header logsBloom changed", () => {
    const { block, receipts } = fresh();
    const bloom = `0x${block.logsBloom[2] === "0" ? "1" : "0"}${block.logsBloom.slice(3)}` as const;
    expect(failed(verify({ ...block, logsBloom: bloom }, receipts))).toEqual(["headerHash", "logsBloom"]);
  });

  it("tx value changed", () => {
    const { block } = fresh();
    const original = block.transactions[7].hash;
    block.transactions[7] = { ...block.transactions[7], value: "0xde0b6b3a7640000" };
    const r = verify(block);
    expect(failed(r)).toEqual(["txHashes", "transactionsRoot"]);
    const c = check(r, "txHashes")!;
    expect(c.detail).toMatch(/^tx 7: hash does not match its fields/);
    expect(c.expected).toBe(original);
    expect(c.got).not.toBe(original);
  });

  it("encodings passed in are checked like its own: the right ones pass, another tx's bytes fail", () => {
    const { block } = fresh();
    const txs = block.transactions as RpcTransaction[];
    const encoded: (Uint8Array | undefined)[] = txs.map(encodeTransaction);
    expect(failed(verifyBlock(block, { encodedTransactions: encoded }))).toEqual([]);
    encoded[3] = undefined; // a missing one is encoded there
    expect(failed(verifyBlock(block, { encodedTransactions: encoded }))).toEqual([]);
    encoded[3] = encoded[4];
    const r = verifyBlock(block, { encodedTransactions: encoded });
    expect(failed(r)).toEqual(["txHashes", "transactionsRoot"]);
    expect(check(r, "txHashes")!.detail).toMatch(/^tx 3: hash does not match its fields/);
  });

  it("tx nonce changed, even with its hash field updated to match", () => {
    const { block } = fresh();
    const tx = { ...block.transactions[2], nonce: "0x1" as const };
    block.transactions[2] = tx;
    expect(failed(verify(block))).toEqual(["txHashes", "transactionsRoot"]);
    block.transactions[2] = { ...tx, hash: check(verify(block), "txHashes")!.got as `0x${string}` };
    expect(failed(verify(block))).toEqual(["transactionsRoot"]);
  });

  it("a tx dropped", () => {
    const { block, receipts } = fresh();
    block.transactions.splice(10, 1);
    const r = verify(block, receipts);
    expect(failed(r)).toEqual(expect.arrayContaining(["transactionsRoot", "receiptsRoot"]));
    expect(check(r, "receiptsRoot")!.detail).toMatch(/count/);
  });

  it("two txs reordered", () => {
    const { block } = fresh();
    [block.transactions[3], block.transactions[4]] = [block.transactions[4], block.transactions[3]];
    expect(failed(verify(block))).toEqual(["txHashes", "transactionsRoot"]);
    expect(check(verify(block), "txHashes")!.detail).toMatch(/tx 3 .*transactionIndex/);
    // Renumbered to look consistent: the trie still catches it.
    block.transactions[3] = { ...block.transactions[3], transactionIndex: "0x3" };
    block.transactions[4] = { ...block.transactions[4], transactionIndex: "0x4" };
    expect(failed(verify(block))).toEqual(["transactionsRoot"]);
  });

  it("a blob versioned hash dropped", () => {
    const { block } = fresh();
    const i = block.transactions.findIndex((t) => t.type === "0x3");
    const tx = block.transactions[i] as Extract<RpcBlock["transactions"][number], { type: "0x3" }>;
    block.transactions[i] = { ...tx, blobVersionedHashes: tx.blobVersionedHashes.slice(1) };
    expect(failed(verify(block))).toEqual(["txHashes", "transactionsRoot", "blobGasUsed"]);
  });

  it("a receipt status flipped", () => {
    const { block, receipts } = fresh();
    receipts![4] = { ...receipts![4], status: receipts![4].status === "0x1" ? "0x0" : "0x1" };
    const r = verify(block, receipts);
    expect(failed(r)).toEqual(["receiptsRoot"]);
    expect(check(r, "receiptsRoot")!.expected).toBe(block.receiptsRoot);
  });

  it("a log's data changed", () => {
    const { block, receipts } = fresh();
    const log = receipts!.flatMap((x) => x.logs).find((l) => l.data.length > 2)!;
    log.data = `0x${log.data[2] === "0" ? "1" : "0"}${log.data.slice(3)}`;
    expect(failed(verify(block, receipts))).toEqual(["receiptsRoot"]);
  });

  it("a log's address changed: receipt bloom no longer matches its logs", () => {
    const { block, receipts } = fresh();
    const i = receipts!.findIndex((x) => x.logs.length > 0);
    receipts![i].logs[0].address = "0x000000000000000000000000000000000000dead";
    const r = verify(block, receipts);
    expect(failed(r)).toEqual(["receiptsRoot", "logsBloom"]);
    expect(check(r, "logsBloom")!.detail).toMatch(new RegExp(`^receipt ${i} `));
  });

  it("a receipt from another tx swapped in", () => {
    const { block, receipts } = fresh();
    [receipts![1], receipts![2]] = [receipts![2], receipts![1]];
    expect(failed(verify(block, receipts))).toContain("receiptsRoot");
  });

  it("receipts consistent with the header but naming another block", () => {
    const { block, receipts } = fresh();
    receipts![0] = { ...receipts![0], blockHash: `0x${"00".repeat(32)}` };
    expect(check(verify(block, receipts), "receiptsRoot")!.detail).toMatch(/receipt 0 names another block/);
  });

  it("a withdrawal amount changed", () => {
    const { block } = fresh();
    block.withdrawals![3] = { ...block.withdrawals![3], amount: "0x0" };
    expect(failed(verify(block))).toEqual(["withdrawalsRoot"]);
  });

  it("sha3Uncles claims uncles the block does not list", () => {
    const { block } = fresh();
    expect(failed(verify({ ...block, sha3Uncles: `0x${"ab".repeat(32)}` }))).toEqual(["headerHash", "unclesHash"]);
  });

  it("a parent that is not the block we hold", () => {
    const { block, record } = fresh();
    expect(failed(verifyBlock(block, { expectedParentHash: record.hash }))).toEqual(["parentHash"]);
    expect(check(verifyBlock(block, { expectedParentHash: record.parentHash.toUpperCase().replace("0X", "0x") }), "parentHash")!.ok).toBe(true);
  });

  it("transactions given as hashes", () => {
    const { block } = fresh();
    const hashesOnly = { ...block, transactions: block.transactions.map((t) => t.hash) } as unknown as RpcBlock;
    const r = verifyBlock(hashesOnly);
    expect(failed(r)).toEqual(["fullTransactions"]);
    expect(check(r, "fullTransactions")!.detail).toMatch(/eth_getBlockByNumber\(n, true\)/);
    expect(r.skipped.map((s) => s.check)).toEqual(expect.arrayContaining(["txHashes", "transactionsRoot"]));
  });

  it("a malformed field fails its check instead of throwing", () => {
    const { block } = fresh();
    const r = verify({ ...block, parentHash: "0x1234" });
    expect(failed(r)).toEqual(["headerHash"]);
    expect(check(r, "headerHash")!.detail).toMatch(/parentHash: expected 32 bytes/);
  });
});

describe("uncles", () => {
  it("reports unclesHash as not performed when uncle headers are not supplied", () => {
    const { block, receipts } = loadFixture(14764013);
    expect(block.uncles.length).toBe(1);
    const r = verifyBlock(block, { receipts });
    expect(r.checks.map((c) => c.check)).not.toContain("unclesHash");
    expect(r.skipped).toContainEqual({ check: "unclesHash", reason: "block lists 1 uncle(s) but their headers were not supplied" });
    const strict = verifyBlock(block, { receipts, requireUncles: true });
    expect(failed(strict)).toEqual(["unclesHash"]);
  });

  it("fails when a supplied uncle header is not the listed uncle", () => {
    const { block } = loadFixture(14764013);
    const wrong = loadFixture(14151203).block;
    const r = verifyBlock(block, { uncles: [wrong] });
    expect(failed(r)).toEqual(["unclesHash"]);
    expect(check(r, "unclesHash")!.detail).toMatch(/uncle 0 header does not hash/);
  });
});

describe("verifyBlockJson", () => {
  const text = readFixtureText(22431084);

  it("accepts a bare block and receipts", () => {
    const r = verifyBlockJson(text.block, text.receipts);
    expect(r.ok).toBe(true);
    expect(r.checks[0]).toEqual({ check: "parse", ok: true });
    expect(r.checks.map((c) => c.check)).toContain("receiptsRoot");
  });

  it("accepts JSON-RPC envelopes", () => {
    const wrap = (s: string) => `{"jsonrpc":"2.0","id":1,"result":${s}}`;
    const r = verifyBlockJson(wrap(text.block), wrap(text.receipts!));
    expect(r.ok).toBe(true);
    expect(r.height).toBe(22431084);
  });

  it("reports bad JSON as a failed parse check", () => {
    const r = verifyBlockJson(text.block.slice(0, 500));
    expect(r.ok).toBe(false);
    expect(r.checks).toHaveLength(1);
    expect(r.checks[0].check).toBe("parse");
    expect(r.checks[0].detail).toMatch(/block is not JSON/);
    expect(verifyBlockJson(text.block, "{").checks[0].detail).toMatch(/receipts is not JSON/);
  });

  it("reports a null result, a node error, and a non-block", () => {
    expect(verifyBlockJson(`{"jsonrpc":"2.0","id":1,"result":null}`).checks[0].detail).toMatch(/result is null/);
    expect(verifyBlockJson(`{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"header not found"}}`).checks[0].detail).toMatch(/header not found/);
    expect(verifyBlockJson(`[1,2]`).checks[0].detail).toMatch(/not an eth_getBlockByNumber object/);
    expect(verifyBlockJson(text.block, `{"a":1}`).checks[0].detail).toMatch(/expected an array/);
  });
});
