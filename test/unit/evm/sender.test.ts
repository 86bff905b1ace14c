// Sender recovery (lib/evm/sender.ts + indexer/sources/evm-senders.ts) on real mainnet txs of every fork and type:
// libsecp256k1 must give the node's `from` for every one, agree with the noble fallback, and agree with viem's own
// recoverTransactionAddress (which derives the signing hash independently of ours). Tampering is caught.
import { describe, expect, it } from "vitest";
import { recoverTransactionAddress } from "viem";
import { recoverSenders, recoverSendersOffThread, senderBackend } from "../../../indexer/sources/evm-senders";
import { verifyEvmBlock, type EvmSourceBlock } from "../../../indexer/sources/evm-adapter";
import { signatureOf, signingHash, signingHashFromEncoded, InvalidSignatureError } from "../../../lib/evm/sender";
import { encodeTransaction, txType } from "../../../lib/evm/tx";
import { toHex } from "../../../lib/evm/fields";
import { hexToBytes } from "../../../lib/bytes";
import type { RpcTransaction } from "../../../lib/evm/types";
import { loadFixtures } from "./fixtures";

const fixtures = loadFixtures();
const allTxs = fixtures.flatMap((f) => f.block.transactions as RpcTransaction[]);
/** Every tx of the small blocks and of rare types, every 8th type-2 tx of the big ones: the JS paths are slow. */
const sample = allTxs.filter((t, i) => txType(t) !== 2 || i % 8 === 0);

describe("sender recovery", () => {
  it("runs on libsecp256k1 here (the prebuilt binary of the secp256k1 package)", () => {
    expect(senderBackend).toBe("libsecp256k1 (native)");
  });

  it("recovers the node's `from` for every mainnet fixture tx (types 0–4, pre- and post-EIP-155)", async () => {
    expect(new Set(allTxs.map(txType))).toEqual(new Set([0, 1, 2, 3, 4]));
    const got = await recoverSenders(allTxs, { backend: "native" });
    expect(got).toEqual(allTxs.map((t) => t.from!.toLowerCase()));
  });

  it("derives the same signing hash from the canonical encoding as from the fields", () => {
    for (const t of allTxs) expect(toHex(signingHashFromEncoded(t, encodeTransaction(t))), t.hash).toBe(toHex(signingHash(t)));
    const t2 = allTxs.find((x) => txType(x) === 2)!;
    expect(() => signingHashFromEncoded(t2, encodeTransaction(allTxs.find((x) => txType(x) === 0)!))).toThrow(InvalidSignatureError);
    expect(() => signingHashFromEncoded(t2, encodeTransaction(t2).subarray(0, 40))).toThrow(InvalidSignatureError);
  });

  it("gives the same answers on the worker thread, tampered txs included", async () => {
    const t = allTxs.find((x) => txType(x) === 2)!;
    const odd = [
      { ...t, s: `0x${(BigInt(t.s) ^ 1n).toString(16)}` },
      { ...t, r: "0x0" },
      { ...t, yParity: "0x2", v: "0x2" },
      { ...t, s: `0x${"f".repeat(64)}` },
    ] as RpcTransaction[];
    const txs = [...odd, ...allTxs, ...odd];
    const [off, here] = await Promise.all([recoverSendersOffThread(txs), recoverSenders(txs, { backend: "native" })]);
    expect(off.slice(4, -4)).toEqual(allTxs.map((x) => x.from!.toLowerCase()));
    expect(off[0]).toBe(here[0]);
    for (const i of [1, 2, 3]) expect(off[i]).toMatch(/^unrecoverable: /);
    expect(off.slice(-4)).toEqual(off.slice(0, 4));
    expect(await recoverSendersOffThread([])).toEqual([]);
    expect(await recoverSendersOffThread(txs, txs.map((t) => encodeTransaction(t)))).toEqual(off);
  });

  it("agrees with the noble fallback and with viem's recoverTransactionAddress", async () => {
    const native = await recoverSenders(sample, { backend: "native" });
    expect(await recoverSenders(sample, { backend: "noble" })).toEqual(native);
    const viem = await Promise.all(sample.map((t) => recoverTransactionAddress({ serializedTransaction: toHex(encodeTransaction(t)) as never })));
    expect(viem.map((a) => a.toLowerCase())).toEqual(native);
  });

  it("gives another signer, or none, for a tampered signature or payload", async () => {
    const t = sample.find((x) => txType(x) === 2)!;
    const flipS = { ...t, s: `0x${(BigInt(t.s) ^ 1n).toString(16)}` } as RpcTransaction;
    const otherValue = { ...t, value: `0x${(BigInt(t.value) + 1n).toString(16)}` } as RpcTransaction;
    const flipped = (t as { yParity?: string }).yParity === "0x0" ? "0x1" : "0x0";
    const otherParity = { ...t, yParity: flipped, v: flipped } as RpcTransaction;
    const zeroR = { ...t, r: "0x0" } as RpcTransaction;
    const hugeS = { ...t, s: `0x${"f".repeat(64)}` } as RpcTransaction; // ≥ n: not a valid scalar
    for (const backend of ["native", "noble"] as const) {
      const [a, b, c, d, e] = await recoverSenders([flipS, otherValue, otherParity, zeroR, hugeS], { backend });
      for (const x of [a, b, c]) expect(x, backend).not.toBe(t.from!.toLowerCase());
      expect(d, backend).toMatch(/^unrecoverable: /);
      expect(e, backend).toMatch(/^unrecoverable: /);
    }
  });

  it("refuses recovery ids Ethereum does not have", () => {
    const legacy = allTxs.find((x) => txType(x) === 0)!;
    expect(() => signatureOf({ ...legacy, v: "0x1d" } as RpcTransaction)).toThrow(InvalidSignatureError);
    const typed = allTxs.find((x) => txType(x) === 2)!;
    expect(() => signatureOf({ ...typed, yParity: "0x2", v: "0x2" } as RpcTransaction)).toThrow(InvalidSignatureError);
    expect(signatureOf(legacy).rs).toHaveLength(64);
  });

  it("fails txSenders when `from` is not the signer, and names the tx", async () => {
    const f = fixtures.find((x) => x.receipts && x.block.transactions.length > 30 && !x.block.uncles.length)!;
    const txs = f.block.transactions as RpcTransaction[];
    const header = { height: Number(f.block.number), hash: hexToBytes(f.block.hash), parentHash: hexToBytes(f.block.parentHash), time: 0, txCount: txs.length, size: 0 };
    const base = { header, block: f.block, receipts: f.receipts!, uncles: [], transfers: [], balances: new Map(), tokens: new Map() } satisfies Omit<EvmSourceBlock, "senders">;
    const ok = verifyEvmBlock({ ...base, senders: await recoverSenders(txs) }, undefined);
    expect(ok.checks.find((c) => c.check === "txSenders")).toMatchObject({ ok: true });

    // A node that names another sender: the signature still recovers the real one.
    const liar = structuredClone(f.block);
    (liar.transactions[7] as RpcTransaction).from = txs[8].from;
    const bad = verifyEvmBlock({ ...base, block: liar, senders: await recoverSenders(liar.transactions as RpcTransaction[]) }, undefined);
    const c = bad.checks.find((x) => x.check === "txSenders")!;
    expect(c.ok).toBe(false);
    expect(c.detail).toContain(`tx 7 (${txs[7].hash.toLowerCase()})`);
    expect(c.expected).toBe(txs[7].from!.toLowerCase());
  });
});
