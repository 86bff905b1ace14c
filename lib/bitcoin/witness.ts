// BIP141 witness commitment: the coinbase commits to the wtxid merkle root, so witnesses (which the txid
// does not cover) cannot be swapped. Follows Core's GetWitnessCommitmentIndex / CheckWitnessMalleation.

import { bytesToHex } from "../bytes";
import { type Block, type Transaction, wtxid } from "./codec";
import { sha256dParts } from "./hash";
import { merkleRoot } from "./merkle";

/** 6a24aa21a9ed: OP_RETURN, push 36, then the 4-byte BIP141 header. */
const COMMITMENT_HEADER = [0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed];

/** Index of the coinbase output holding the commitment: the *last* matching output wins. -1 when none. */
export function witnessCommitmentIndex(coinbase: Transaction): number {
  for (let i = coinbase.outputs.length - 1; i >= 0; i--) {
    const s = coinbase.outputs[i].scriptPubKey;
    if (s.length >= 38 && COMMITMENT_HEADER.every((b, j) => s[j] === b)) return i;
  }
  return -1;
}

/** The 32-byte commitment from the coinbase, if it has one. */
export function findWitnessCommitment(coinbase: Transaction): Uint8Array | undefined {
  const i = witnessCommitmentIndex(coinbase);
  return i < 0 ? undefined : coinbase.outputs[i].scriptPubKey.subarray(6, 38);
}

/** Merkle root over wtxids with the coinbase's taken as 32 zero bytes. Pass wtxids when already computed. */
export function witnessMerkleRoot(block: Block, wtxids?: readonly Uint8Array[]): { root: Uint8Array; mutated: boolean } {
  const leaves = wtxids ? wtxids.slice() : block.txs.map(wtxid);
  if (leaves.length > 0) leaves[0] = new Uint8Array(32);
  return merkleRoot(leaves);
}

export interface WitnessCommitmentCheck {
  /** False when the block has neither witness data nor a commitment (or segwit is not active): nothing to check. */
  applicable: boolean;
  ok: boolean;
  expected?: string;
  got?: string;
  detail?: string;
}

/**
 * Check the commitment. `segwitActive` false (pre-activation height) means witness data is not allowed at all.
 * Commitment hash = sha256d(witness merkle root || witness reserved value), the reserved value being the coinbase
 * input's single 32-byte witness item.
 */
export function checkWitnessCommitment(block: Block, opts: { wtxids?: readonly Uint8Array[]; segwitActive?: boolean } = {}): WitnessCommitmentCheck {
  const anyWitness = block.txs.some((tx) => tx.hasWitness);
  const coinbase = block.txs[0];
  const commitment = coinbase ? findWitnessCommitment(coinbase) : undefined;
  if (opts.segwitActive === false) {
    if (!anyWitness) return { applicable: false, ok: true };
    return { applicable: true, ok: false, detail: "witness data before segwit activation (unexpected-witness)" };
  }
  if (!commitment) {
    if (!anyWitness) return { applicable: false, ok: true };
    return { applicable: true, ok: false, expected: "a witness commitment output (6a24aa21a9ed…) in the coinbase", got: "none", detail: "block has witness data but no commitment (unexpected-witness)" };
  }
  const stack = coinbase.inputs[0]?.witness ?? [];
  if (stack.length !== 1 || stack[0].length !== 32) {
    return { applicable: true, ok: false, expected: "coinbase witness of one 32-byte item", got: `${stack.length} item(s)${stack.length ? ` of ${stack.map((s) => s.length).join(",")} bytes` : ""}`, detail: "bad-witness-nonce-size" };
  }
  const { root } = witnessMerkleRoot(block, opts.wtxids);
  const computed = sha256dParts(root, stack[0]);
  const ok = bytesToHex(computed) === bytesToHex(commitment);
  return ok
    ? { applicable: true, ok: true, expected: bytesToHex(commitment), got: bytesToHex(computed) }
    : { applicable: true, ok: false, expected: bytesToHex(commitment), got: bytesToHex(computed), detail: "bad-witness-merkle-match" };
}
