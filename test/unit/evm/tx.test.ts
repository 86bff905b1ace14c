import { describe, expect, it } from "vitest";
import { keccak256, serializeTransaction, type TransactionSerializable } from "viem";
import { toHex } from "../../../lib/evm/fields";
import { encodeTransaction, transactionHash, txType, UnsupportedTransactionTypeError } from "../../../lib/evm/tx";
import type { RpcTransaction } from "../../../lib/evm/types";
import { loadFixture, loadFixtures } from "./fixtures";

describe("transactionHash", () => {
  for (const { record, block } of loadFixtures()) {
    it(`re-derives all ${record.tx_count} tx hashes of ${record.fork} block ${record.number}`, () => {
      const types: Record<string, number> = {};
      for (const tx of block.transactions) {
        expect(transactionHash(tx), `tx ${tx.transactionIndex}`).toBe(tx.hash);
        types[txType(tx)] = (types[txType(tx)] ?? 0) + 1;
      }
      expect(types).toEqual(record.verification.tx_types);
    });
  }

  it("covers pre-EIP-155 (v=27/28) and EIP-155 (v=chainId*2+35/36) legacy txs", () => {
    const pre = loadFixture(2000004).block.transactions;
    expect(pre.every((t) => t.v === "0x1b" || t.v === "0x1c")).toBe(true);
    const eip155 = loadFixture(2924874).block.transactions.filter((t) => t.v === "0x25" || t.v === "0x26");
    expect(eip155.length).toBeGreaterThan(0);
    for (const t of eip155) expect(transactionHash(t)).toBe(t.hash);
  });

  it("covers type-3 blob and type-4 set-code txs", () => {
    const txs = loadFixture(24476009).block.transactions;
    const t3 = txs.filter((t) => t.type === "0x3");
    const t4 = txs.filter((t) => t.type === "0x4");
    expect(t3.length).toBe(2);
    expect(t4.length).toBe(3);
    for (const t of [...t3, ...t4]) expect(transactionHash(t)).toBe(t.hash);
  });

  it("matches viem's serializer for a type-2 tx", () => {
    const tx = loadFixture(14151203).block.transactions.find((t) => t.type === "0x2")! as Extract<RpcTransaction, { type: "0x2" }>;
    const serializable: TransactionSerializable = {
      type: "eip1559",
      chainId: Number(tx.chainId),
      nonce: Number(tx.nonce),
      maxPriorityFeePerGas: BigInt(tx.maxPriorityFeePerGas),
      maxFeePerGas: BigInt(tx.maxFeePerGas),
      gas: BigInt(tx.gas),
      to: tx.to!,
      value: BigInt(tx.value),
      data: tx.input,
      accessList: tx.accessList as never,
    };
    const viemBytes = serializeTransaction(serializable, { r: tx.r, s: tx.s, yParity: Number(tx.v) });
    expect(toHex(encodeTransaction(tx))).toBe(viemBytes);
    expect(keccak256(viemBytes)).toBe(tx.hash);
  });

  it("changes when value or nonce is tampered with", () => {
    const tx = loadFixture(22431084).block.transactions[5];
    expect(transactionHash({ ...tx, value: "0x1" })).not.toBe(tx.hash);
    expect(transactionHash({ ...tx, nonce: `0x${(Number(tx.nonce) + 1).toString(16)}` })).not.toBe(tx.hash);
  });

  it("names an unsupported type instead of guessing", () => {
    const tx = { ...loadFixture(22431084).block.transactions[5], type: "0x7e" } as unknown as RpcTransaction;
    expect(() => transactionHash(tx)).toThrow(UnsupportedTransactionTypeError);
    expect(() => transactionHash(tx)).toThrow(/0x7e/);
  });
});
