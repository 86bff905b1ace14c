import { describe, expect, it } from "vitest";
import { parseBlock, type TxOutput } from "../../../lib/bitcoin/codec";
import { checkWitnessCommitment, findWitnessCommitment, witnessCommitmentIndex, witnessMerkleRoot } from "../../../lib/bitcoin/witness";
import { bytesToHex } from "../../../lib/bytes";
import { allFixtureBlocks, fixtureBlock, HASH_542213, HASH_574200, readFixtureJson } from "./fixtures";

describe("BIP141 witness commitment", () => {
  it("every chaindata block with a commitment checks out; blocks without witness data need none", () => {
    for (const { record, bytes } of allFixtureBlocks()) {
      const block = parseBlock(bytes);
      const check = checkWitnessCommitment(block);
      expect(check.applicable, record.hash).toBe(record.witness_commitment === true);
      expect(check.ok, record.hash).toBe(true);
    }
  });

  it("542213: the commitment equals bitcoinjs's witnessCommit", () => {
    const js = readFixtureJson<{ valid: Array<{ id: string; witnessCommit?: string }> }>("bitcoinjs-lib/block.json");
    const expected = js.valid.find((v) => v.id === HASH_542213)!.witnessCommit!;
    const block = parseBlock(fixtureBlock(HASH_542213).bytes);
    expect(bytesToHex(findWitnessCommitment(block.txs[0])!)).toBe(expected);
    expect(witnessMerkleRoot(block).mutated).toBe(false);
  });

  it("the last commitment output wins", () => {
    const block = parseBlock(fixtureBlock(HASH_574200).bytes);
    const cb = block.txs[0];
    const real = cb.outputs[witnessCommitmentIndex(cb)];
    const decoy: TxOutput = { value: 0n, scriptPubKey: Uint8Array.from([...real.scriptPubKey.subarray(0, 6), ...new Uint8Array(32).fill(7)]) };
    const decoyFirst = { ...block, txs: [{ ...cb, outputs: [...cb.outputs, decoy, real] }, ...block.txs.slice(1)] };
    expect(checkWitnessCommitment(decoyFirst).ok).toBe(true);
    const decoyLast = { ...block, txs: [{ ...cb, outputs: [...cb.outputs, decoy] }, ...block.txs.slice(1)] };
    const bad = checkWitnessCommitment(decoyLast);
    expect(bad.ok).toBe(false);
    expect(bad.expected).toBe("07".repeat(32));
    expect(bad.detail).toBe("bad-witness-merkle-match");
  });

  it("a commitment needs a single 32-byte witness reserved value in the coinbase", () => {
    const block = parseBlock(fixtureBlock(HASH_574200).bytes);
    const cb = block.txs[0];
    const noNonce = { ...block, txs: [{ ...cb, inputs: [{ ...cb.inputs[0], witness: [] }] }, ...block.txs.slice(1)] };
    expect(checkWitnessCommitment(noNonce)).toMatchObject({ applicable: true, ok: false, detail: "bad-witness-nonce-size" });
  });

  it("witness data before segwit activation is not allowed", () => {
    const block = parseBlock(fixtureBlock(HASH_574200).bytes);
    expect(checkWitnessCommitment(block, { segwitActive: false })).toMatchObject({ applicable: true, ok: false });
    const legacy = parseBlock(allFixtureBlocks()[1].bytes);
    expect(checkWitnessCommitment(legacy, { segwitActive: false }).applicable).toBe(false);
  });
});
