import { describe, expect, it } from "vitest";
import { blobFee, contractAddressFor, createdContractAddress, txFee, txOutcome } from "../../../lib/evm/outcome";
import { InvalidFieldError } from "../../../lib/evm/fields";
import { loadFixture, withReceipts } from "./fixtures";

describe("receipt-derived tx fields", () => {
  it("fee = gasUsed × effectiveGasPrice", () => {
    const { receipts } = loadFixture(7000000);
    expect(txFee(receipts![0])).toBe(0x5208n * 0x98bca5a00n);
  });

  it("falls back to the legacy gasPrice, and says what to pass when there is none", () => {
    const { block, receipts } = loadFixture(7000000);
    const { effectiveGasPrice: _, ...noPrice } = receipts![0];
    expect(txFee(noPrice, block.transactions[0])).toBe(BigInt(receipts![0].gasUsed) * BigInt(block.transactions[0].gasPrice!));
    expect(() => txFee(noPrice)).toThrow(InvalidFieldError);
  });

  it("blob fee for blob txs only", () => {
    const { receipts } = loadFixture(22431084);
    const blob = receipts!.find((r) => r.type === "0x3")!;
    expect(blobFee(blob)).toBe(0xa0000n * 0x5cedn);
    expect(blobFee(receipts!.find((r) => r.type === "0x2")!)).toBe(0n);
  });

  it("recomputes the created contract address of every creation in the receipts", () => {
    let creations = 0;
    for (const { block, receipts } of withReceipts()) {
      block.transactions.forEach((tx, i) => {
        const got = createdContractAddress(tx);
        expect(got).toBe(receipts![i].contractAddress ?? null);
        if (got) creations++;
      });
    }
    expect(creations).toBe(2);
  });

  it("CREATE address from sender and nonce", () => {
    // The well-known first contract of 0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0 at nonce 0.
    expect(contractAddressFor("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0", 0n)).toBe("0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d");
    expect(contractAddressFor("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0", "0x1")).toBe("0x343c43a37d37dff08ae8c4a11544c718abb4fcf8");
  });

  it("summarises a tx", () => {
    const { block, receipts } = loadFixture(17034870);
    const o = txOutcome(block.transactions[0], receipts![0]);
    expect(o.success).toBe(receipts![0].status === "0x1");
    expect(o.fee).toBe(BigInt(receipts![0].gasUsed) * BigInt(receipts![0].effectiveGasPrice!));
    expect(o.contractAddress).toBeNull();
  });
});
