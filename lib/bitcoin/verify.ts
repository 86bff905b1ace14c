// Full context-free verification of one block, as the indexer runs it on every block it stores.
// Check names are stable (the DB and the CLI key on them): headerHash, pow, prevHash, merkleRoot,
// witnessCommitment, coinbase, size; verifyRawBlock adds parse.

import { bytesEqual, bytesToHex, reversedHex } from "../bytes";
import { type CheckResult, type BlockReport, blockReport } from "../verify";
import { bip34Prefix, type Block, blockStrippedSize, blockWeight, isCoinbase, parseBlock, txid, wtxid, WITNESS_SCALE_FACTOR } from "./codec";
import { BitcoinDecodeError } from "./errors";
import { sha256d } from "./hash";
import { merkleRoot } from "./merkle";
import { getNetwork, type Network, type NetworkName } from "./network";
import { checkProofOfWork } from "./pow";
import { checkWitnessCommitment } from "./witness";

export const MAX_BLOCK_WEIGHT = 4_000_000;

export interface VerifyBlockOptions {
  network: Network | NetworkName;
  /** Display-hex hash the block must build on (the parent we already hold). Adds the prevHash check. */
  expectedPrevHash?: string;
  /** Height of the block, when known: enables the BIP34 coinbase-height and segwit-activation rules, and is reported. */
  height?: number;
  /** Display-hex hash the source claimed for this block (e.g. the RPC answer); headerHash compares against it. */
  claimedHash?: string;
  /** The block's txids (internal byte order) when the caller already computed them from these bytes (the indexer
   *  does, in decode): hashing every transaction twice was a tenth of the indexer's main thread. */
  txids?: readonly Uint8Array[];
}

export function verifyBlock(block: Block, opts: VerifyBlockOptions): BlockReport {
  const network = getNetwork(opts.network);
  const hashBytes = sha256d(block.header.raw);
  const hash = reversedHex(hashBytes);
  const checks: CheckResult[] = [];

  checks.push(
    opts.claimedHash === undefined
      ? { check: "headerHash", ok: true, got: hash }
      : { check: "headerHash", ok: opts.claimedHash.toLowerCase() === hash, expected: opts.claimedHash.toLowerCase(), got: hash },
  );

  const pow = checkProofOfWork(hashBytes, block.header.bits, network);
  checks.push({
    check: "pow",
    ok: pow.ok,
    ...(pow.ok ? {} : { expected: pow.target !== undefined ? `hash <= ${pow.target.toString(16).padStart(64, "0")}` : `valid nBits for ${network.name}`, got: pow.target !== undefined ? hash : `0x${block.header.bits.toString(16).padStart(8, "0")}`, detail: pow.reason }),
  });

  if (opts.expectedPrevHash !== undefined) checks.push(prevHashCheck(block.header.prevHash, opts.expectedPrevHash));

  // txids once; wtxids reuse them for transactions without witness.
  if (opts.txids && opts.txids.length !== block.txs.length) throw new RangeError(`verifyBlock: ${opts.txids.length} txids given for ${block.txs.length} transactions`);
  const txids = opts.txids ?? block.txs.map(txid);
  const merkle = merkleRoot(txids);
  const rootOk = bytesEqual(merkle.root, block.header.merkleRoot);
  checks.push({
    check: "merkleRoot",
    ok: rootOk && !merkle.mutated,
    ...(rootOk && !merkle.mutated ? {} : { expected: reversedHex(block.header.merkleRoot), got: reversedHex(merkle.root) }),
    ...(merkle.mutated ? { detail: "duplicated subtree (CVE-2012-2459): the tx list repeats its last transactions" } : {}),
  });

  const segwitActive = opts.height === undefined ? undefined : opts.height >= network.segwitHeight;
  const wtxids = block.txs.map((tx, i) => (tx.hasWitness ? wtxid(tx) : txids[i]));
  const witness = checkWitnessCommitment(block, { wtxids, segwitActive });
  if (witness.applicable) {
    checks.push(
      witness.ok
        ? { check: "witnessCommitment", ok: true }
        : { check: "witnessCommitment", ok: false, expected: witness.expected, got: witness.got, detail: witness.detail },
    );
  }

  checks.push(coinbaseCheck(block, network, opts.height));
  checks.push(sizeCheck(block));
  return blockReport("bitcoin", hash, opts.height, checks);
}

/** The parent link: the header's prevHash (internal byte order) against the display hash of the parent we hold. */
export function prevHashCheck(prevHash: Uint8Array, expectedPrevHash: string): CheckResult {
  const got = reversedHex(prevHash);
  const expected = expectedPrevHash.toLowerCase();
  return { check: "prevHash", ok: got === expected, ...(got === expected ? {} : { expected, got }) };
}

/** A report verifyBlock made without expectedPrevHash (its other checks need no parent, so they can run ahead, off
 *  the indexer's thread), completed with the link check where verifyBlock puts it: after headerHash and pow. */
export function withPrevHash(report: BlockReport, prevHash: Uint8Array, expectedPrevHash: string | undefined): BlockReport {
  if (expectedPrevHash === undefined) return report;
  const checks = [...report.checks.slice(0, 2), prevHashCheck(prevHash, expectedPrevHash), ...report.checks.slice(2)];
  return blockReport(report.family, report.hash, report.height, checks);
}

function coinbaseCheck(block: Block, network: Network, height: number | undefined): CheckResult {
  const fail = (detail: string, expected?: string, got?: string): CheckResult => ({ check: "coinbase", ok: false, detail, ...(expected !== undefined ? { expected, got } : {}) });
  if (block.txs.length === 0) return fail("block has no transactions");
  if (!isCoinbase(block.txs[0])) return fail("first transaction is not a coinbase (bad-cb-missing)");
  for (let i = 1; i < block.txs.length; i++) if (isCoinbase(block.txs[i])) return fail(`transaction ${i} is a second coinbase (bad-cb-multiple)`);
  const scriptSig = block.txs[0].inputs[0].scriptSig;
  if (scriptSig.length < 2 || scriptSig.length > 100) return fail("coinbase scriptSig must be 2..100 bytes (bad-cb-length)", "2..100 bytes", `${scriptSig.length} bytes`);
  if (height !== undefined && height >= network.bip34Height) {
    const prefix = bip34Prefix(height);
    if (!bytesEqual(scriptSig.subarray(0, prefix.length), prefix)) {
      return fail("coinbase does not start with the block height (BIP34, bad-cb-height)", bytesToHex(prefix), bytesToHex(scriptSig.subarray(0, prefix.length)));
    }
  }
  return { check: "coinbase", ok: true };
}

function sizeCheck(block: Block): CheckResult {
  if (block.trailingBytes > 0) {
    return { check: "size", ok: false, expected: `${block.raw.length} bytes`, got: `${block.raw.length + block.trailingBytes} bytes`, detail: `${block.trailingBytes} trailing bytes after the block` };
  }
  const weight = blockWeight(block);
  if (weight > MAX_BLOCK_WEIGHT) return { check: "size", ok: false, expected: `weight <= ${MAX_BLOCK_WEIGHT}`, got: `weight ${weight}` };
  // Core's bad-blk-length: the stripped block alone must fit too.
  const stripped = blockStrippedSize(block);
  if (stripped * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT) return { check: "size", ok: false, expected: `stripped size <= ${MAX_BLOCK_WEIGHT / WITNESS_SCALE_FACTOR}`, got: `${stripped}` };
  return { check: "size", ok: true };
}

/** Parse then verify; a parse failure becomes a failed `parse` check (with the byte offset) instead of an exception. */
export function verifyRawBlock(bytes: Uint8Array, opts: VerifyBlockOptions): BlockReport {
  let block: Block;
  try {
    block = parseBlock(bytes);
  } catch (e) {
    if (!(e instanceof BitcoinDecodeError)) throw e;
    const hash = bytes.length >= 80 ? reversedHex(sha256d(bytes.subarray(0, 80))) : "";
    return blockReport("bitcoin", hash, opts.height, [{ check: "parse", ok: false, detail: e.message }]);
  }
  return verifyBlock(block, opts);
}
