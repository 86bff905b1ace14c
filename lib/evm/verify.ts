// Re-derives every commitment of an eth_getBlockByNumber(n, true) answer instead of trusting the node:
// header hash, each tx hash, transactionsRoot, receiptsRoot and blooms (given receipts),
// withdrawalsRoot, sha3Uncles, blob gas. Each check either passes, fails with expected (what the
// block claims) vs got (what we computed), or is listed in `skipped` with the reason — a check that
// could not run is never reported as passed.

import { bytesEqual } from "../bytes";
import { blockReport, type BlockReport, type CheckResult } from "../verify";
import { logsBloom, orBlooms } from "./bloom";
import { data, quantityToBigInt, quantityToNumber, toHex } from "./fields";
import { headerHash, type HeaderField } from "./header";
import { encodeReceipt } from "./receipt";
import { orderedTrieRoot } from "./trie";
import { blobCount, encodeTransaction, GAS_PER_BLOB, transactionHashFromEncoded } from "./tx";
import type { RpcBlock, RpcHeader, RpcReceipt, RpcTransaction } from "./types";
import { EMPTY_UNCLES_HASH, unclesHash, withdrawalsRoot } from "./withdrawals";

export interface VerifyBlockOptions {
  /** eth_getBlockReceipts answer; enables receiptsRoot, logsBloom and gasUsed. */
  receipts?: readonly RpcReceipt[];
  /** Uncle headers (eth_getUncleByBlockHashAndIndex), in block order; needed when the block lists uncles. */
  uncles?: readonly RpcHeader[];
  /** Hash of the block we already hold at height-1; enables the parentHash link check. */
  expectedParentHash?: string;
  /** Fail, rather than skip, unclesHash when the block lists uncles but their headers were not given. */
  requireUncles?: boolean;
  /** Header fork fields, for a chain that appends fields Ethereum does not (default: Ethereum's). */
  headerFields?: readonly HeaderField[];
  /** encodeTransaction(tx) of each tx, when the caller has already made them from these same tx objects (the
   *  indexer encodes at fetch for the signing hashes and the stored `raw`); a missing entry is encoded here. The
   *  checks are unchanged: every hash and the root are still derived from the encodings. */
  encodedTransactions?: readonly (Uint8Array | undefined)[];
}

export interface SkippedCheck {
  check: string;
  reason: string;
}

export interface EvmBlockReport extends BlockReport {
  family: "evm";
  /** Checks that could not run on the data given. Not failures, not passes. */
  skipped: SkippedCheck[];
}

const lower = (s: unknown): string => (typeof s === "string" ? s.toLowerCase() : String(s));

function run(check: string, fn: () => Omit<CheckResult, "check">): CheckResult {
  try {
    return { check, ...fn() };
  } catch (e) {
    return { check, ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}

function compare(expected: string, got: string, detail?: string): Omit<CheckResult, "check"> {
  const ok = lower(expected) === lower(got);
  return ok ? { ok, expected: lower(expected), got: lower(got) } : { ok, expected: lower(expected), got: lower(got), detail };
}

/** First failure of a per-item check, with how many items failed. */
function firstFailure(failures: { detail: string; expected?: string; got?: string }[], total: number, what: string): Omit<CheckResult, "check"> {
  if (failures.length === 0) return { ok: true, detail: `${total} ${what}` };
  const f = failures[0];
  return {
    ok: false,
    expected: f.expected,
    got: f.got,
    detail: f.detail + (failures.length > 1 ? ` (and ${failures.length - 1} more of ${total} ${what})` : ""),
  };
}

function isFullTx(tx: unknown): tx is RpcTransaction {
  return typeof tx === "object" && tx !== null && "hash" in tx;
}

export function verifyBlock(block: RpcBlock, options: VerifyBlockOptions = {}): EvmBlockReport {
  const checks: CheckResult[] = [];
  const skipped: SkippedCheck[] = [];
  const skip = (check: string, reason: string) => skipped.push({ check, reason });
  const blockHashHex = lower(block.hash);
  const txs: unknown[] = Array.isArray(block.transactions) ? block.transactions : [];

  const full = txs.every(isFullTx);
  checks.push(
    run("fullTransactions", () =>
      !Array.isArray(block.transactions)
        ? { ok: false, detail: "block has no transactions array" }
        : full
          ? { ok: true, detail: `${txs.length} transaction objects` }
          : { ok: false, detail: "transactions are hashes, not objects; fetch with eth_getBlockByNumber(n, true)" },
    ),
  );

  checks.push(run("headerHash", () => compare(block.hash, headerHash(block, options.headerFields))));

  if (options.expectedParentHash !== undefined) {
    checks.push(run("parentHash", () => compare(options.expectedParentHash!, block.parentHash, "block does not extend the chain we hold (reorg?)")));
  } else skip("parentHash", "no expectedParentHash given");

  // Encode each tx once: its hash and the transactions trie both use the bytes.
  let encodedTxs: Uint8Array[] | undefined;
  if (full) {
    const fullTxs = txs as RpcTransaction[];
    const encoded: Uint8Array[] = [];
    checks.push(
      run("txHashes", () => {
        const failures: { detail: string; expected?: string; got?: string }[] = [];
        fullTxs.forEach((tx, i) => {
          let bytes: Uint8Array;
          try {
            bytes = options.encodedTransactions?.[i] ?? encodeTransaction(tx);
          } catch (e) {
            failures.push({ detail: `tx ${i}: cannot encode: ${e instanceof Error ? e.message : e}` });
            return;
          }
          encoded.push(bytes);
          const got = transactionHashFromEncoded(bytes);
          if (lower(tx.hash) !== got) failures.push({ detail: `tx ${i}: hash does not match its fields`, expected: lower(tx.hash), got });
          else if (tx.transactionIndex != null && quantityToNumber(tx.transactionIndex, "transactionIndex") !== i)
            failures.push({ detail: `tx ${i} (${got}): transactionIndex says ${quantityToNumber(tx.transactionIndex)}`, expected: `0x${i.toString(16)}`, got: tx.transactionIndex });
          else if (tx.blockHash != null && lower(tx.blockHash) !== blockHashHex)
            failures.push({ detail: `tx ${i} (${got}): blockHash is another block's`, expected: blockHashHex, got: lower(tx.blockHash) });
        });
        return firstFailure(failures, fullTxs.length, "transactions");
      }),
    );
    if (encoded.length === fullTxs.length) encodedTxs = encoded;
    checks.push(
      run("transactionsRoot", () => {
        if (!encodedTxs) return { ok: false, detail: "some transactions could not be encoded (see txHashes)" };
        return compare(block.transactionsRoot, orderedTrieRoot(encodedTxs));
      }),
    );
    if (block.blobGasUsed != null) {
      checks.push(
        run("blobGasUsed", () => {
          const blobs = fullTxs.reduce((n, tx) => n + blobCount(tx), 0);
          const got = BigInt(blobs) * GAS_PER_BLOB;
          return compare(`0x${quantityToBigInt(block.blobGasUsed, "blobGasUsed").toString(16)}`, `0x${got.toString(16)}`, `${blobs} blobs in the block's transactions`);
        }),
      );
    }
  } else {
    for (const c of ["txHashes", "transactionsRoot"]) skip(c, "transactions are hashes, not objects");
  }

  if (block.withdrawalsRoot != null || block.withdrawals != null) {
    checks.push(
      run("withdrawalsRoot", () => {
        if (block.withdrawalsRoot == null) return { ok: false, detail: "block lists withdrawals but its header has no withdrawalsRoot" };
        if (!Array.isArray(block.withdrawals)) return { ok: false, detail: "header has withdrawalsRoot but the block has no withdrawals list" };
        return compare(block.withdrawalsRoot, withdrawalsRoot(block.withdrawals), `${block.withdrawals.length} withdrawals`);
      }),
    );
  }

  const uncleHashes = Array.isArray(block.uncles) ? block.uncles : [];
  if (uncleHashes.length === 0) {
    checks.push(run("unclesHash", () => compare(block.sha3Uncles, EMPTY_UNCLES_HASH, "block lists no uncles")));
  } else if (options.uncles) {
    const uncles = options.uncles;
    checks.push(
      run("unclesHash", () => {
        if (uncles.length !== uncleHashes.length)
          return { ok: false, detail: `block lists ${uncleHashes.length} uncles, ${uncles.length} uncle headers given` };
        for (let i = 0; i < uncles.length; i++) {
          const got = headerHash(uncles[i], options.headerFields);
          if (got !== lower(uncleHashes[i])) return { ok: false, expected: lower(uncleHashes[i]), got, detail: `uncle ${i} header does not hash to the listed uncle` };
        }
        return compare(block.sha3Uncles, unclesHash(uncles));
      }),
    );
  } else {
    const reason = `block lists ${uncleHashes.length} uncle(s) but their headers were not supplied`;
    if (options.requireUncles) checks.push({ check: "unclesHash", ok: false, detail: reason });
    else skip("unclesHash", reason);
  }

  if (options.receipts) {
    checks.push(...receiptChecks(block, txs, options.receipts));
  } else {
    for (const c of ["receiptsRoot", "logsBloom", "gasUsed"]) skip(c, "no receipts given");
  }

  const height = typeof block.number === "string" && /^0x[0-9a-f]+$/i.test(block.number) ? Number(block.number) : undefined;
  return { ...blockReport("evm", blockHashHex, height, checks), family: "evm", skipped };
}

function receiptChecks(block: RpcBlock, txs: unknown[], receipts: readonly RpcReceipt[]): CheckResult[] {
  const blockHashHex = lower(block.hash);
  const out: CheckResult[] = [];
  out.push(
    run("receiptsRoot", () => {
      const got = orderedTrieRoot(receipts.map(encodeReceipt));
      const root = compare(block.receiptsRoot, got);
      if (!root.ok) return { ...root, detail: `receipts do not hash to the header's receiptsRoot (${receipts.length} receipts)` };
      if (receipts.length !== txs.length) return { ok: false, expected: String(txs.length), got: String(receipts.length), detail: "receipt count differs from transaction count" };
      for (let i = 0; i < receipts.length; i++) {
        const r = receipts[i];
        const tx = txs[i];
        const txHash = lower(isFullTx(tx) ? tx.hash : tx);
        if (lower(r.transactionHash) !== txHash) return { ok: false, expected: txHash, got: lower(r.transactionHash), detail: `receipt ${i} belongs to another transaction` };
        if (lower(r.blockHash) !== blockHashHex) return { ok: false, expected: blockHashHex, got: lower(r.blockHash), detail: `receipt ${i} names another block` };
        if (quantityToNumber(r.transactionIndex, `receipts[${i}].transactionIndex`) !== i)
          return { ok: false, expected: `0x${i.toString(16)}`, got: r.transactionIndex, detail: `receipt ${i} has the wrong transactionIndex` };
      }
      return root;
    }),
  );
  out.push(
    run("logsBloom", () => {
      // Compared as bytes: hex strings of 256 bytes, two per receipt, were a measurable part of verification.
      const blooms = receipts.map((r) => logsBloom(r.logs));
      for (let i = 0; i < receipts.length; i++) {
        const claimed = data(receipts[i].logsBloom, `receipts[${i}].logsBloom`, 256);
        if (!bytesEqual(claimed, blooms[i]))
          return { ok: false, expected: toHex(claimed), got: toHex(blooms[i]), detail: `receipt ${i} (${lower(receipts[i].transactionHash)}): logsBloom does not match its logs` };
      }
      const header = orBlooms(blooms);
      if (bytesEqual(data(block.logsBloom, "logsBloom", 256), header)) return { ok: true, expected: lower(block.logsBloom), got: lower(block.logsBloom) };
      return compare(block.logsBloom, toHex(header), "header logsBloom is not the OR of the receipts' blooms");
    }),
  );
  out.push(
    run("gasUsed", () => {
      let prev = 0n;
      for (let i = 0; i < receipts.length; i++) {
        const cum = quantityToBigInt(receipts[i].cumulativeGasUsed, `receipts[${i}].cumulativeGasUsed`);
        const used = receipts[i].gasUsed == null ? cum - prev : quantityToBigInt(receipts[i].gasUsed, `receipts[${i}].gasUsed`);
        if (cum - prev !== used) return { ok: false, expected: `0x${(cum - prev).toString(16)}`, got: receipts[i].gasUsed, detail: `receipt ${i}: gasUsed is not the step in cumulativeGasUsed` };
        prev = cum;
      }
      return compare(`0x${quantityToBigInt(block.gasUsed, "gasUsed").toString(16)}`, `0x${prev.toString(16)}`, "header gasUsed is not the last receipt's cumulativeGasUsed");
    }),
  );
  return out;
}

// Operator entry point: verify a block pasted or saved from a node (`curl … eth_getBlockByNumber`).
// Accepts a bare block object or a JSON-RPC envelope; a JSON problem is a failed `parse` check, not
// an exception, so the CLI prints one report shape whatever happened.

type Parsed<T> = { ok: true; value: T } | { ok: false; detail: string };

function unwrap(text: string, what: string): Parsed<unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, detail: `${what} is not JSON: ${e instanceof Error ? e.message : e}` };
  }
  // A block object never has `result`/`error` keys, so their presence means an envelope.
  if (typeof json === "object" && json !== null && !Array.isArray(json) && ("result" in json || "error" in json)) {
    const env = json as { result?: unknown; error?: { message?: string } };
    if (env.error) return { ok: false, detail: `${what}: node returned an error: ${env.error.message ?? JSON.stringify(env.error)}` };
    json = env.result;
  }
  if (json === null || json === undefined) return { ok: false, detail: `${what}: result is null (unknown block? the node may not have it yet)` };
  return { ok: true, value: json };
}

function failedParse(detail: string): EvmBlockReport {
  return { family: "evm", hash: "", height: undefined, checks: [{ check: "parse", ok: false, detail }], ok: false, skipped: [] };
}

export function verifyBlockJson(text: string, receiptsText?: string, options: Omit<VerifyBlockOptions, "receipts"> = {}): EvmBlockReport {
  const block = unwrap(text, "block");
  if (!block.ok) return failedParse(block.detail);
  const b = block.value as Partial<RpcBlock>;
  if (typeof b !== "object" || Array.isArray(b) || typeof b.hash !== "string" || typeof b.parentHash !== "string") {
    return failedParse("block: not an eth_getBlockByNumber object (no hash/parentHash)");
  }
  let receipts: RpcReceipt[] | undefined;
  if (receiptsText !== undefined) {
    const r = unwrap(receiptsText, "receipts");
    if (!r.ok) return failedParse(r.detail);
    if (!Array.isArray(r.value)) return failedParse("receipts: expected an array (eth_getBlockReceipts)");
    receipts = r.value as RpcReceipt[];
  }
  const report = verifyBlock(b as RpcBlock, { ...options, receipts });
  report.checks.unshift({ check: "parse", ok: true });
  return report;
}
