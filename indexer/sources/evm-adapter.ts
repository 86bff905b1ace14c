// The EVM family as a ChainAdapter: blocks, receipts, uncles, balances and token metadata from JSON-RPC
// (evm-rpc.ts), every commitment re-derived by lib/evm verifyBlock, plus the receipt fields no root commits to
// (sender, effective gas price, created contract, log positions) checked here, then rows through store/evm.ts.
import type { ChainConfig } from "../config";
import type { BlockHeader, ChainAdapter, IdCounters, SourceBlock, Tx } from "../engine/adapter";
import { bytesToHex, hexToBytes } from "../../lib/bytes";
import { blockReport, type BlockReport, type CheckResult } from "../../lib/verify";
import { contractAddressFor } from "../../lib/evm/outcome";
import { keccakReady } from "../../lib/evm/keccak";
import { encodeTransaction, txType } from "../../lib/evm/tx";
import type { Hex, RpcBlock, RpcReceipt, RpcTransaction } from "../../lib/evm/types";
import { verifyBlock } from "../../lib/evm/verify";
import { recoverSendersOffThread } from "./evm-senders";
import { EvmRpc, fetchEvmRange, hexQ, type FetchedBlock, type TokenMeta } from "./evm-rpc";
import { rollbackEvm, writeEvmBlocks, type BalanceReader } from "../store/evm";
import { PeriodAddressCache } from "../store/period-address-cache";

export interface EvmSourceBlock extends SourceBlock, FetchedBlock {
  header: BlockHeader;
  /** Senders recovered from the signatures (lowercase), when sender checks are on. */
  senders?: string[];
  /** encodeTransaction of each tx, made once at fetch (tx hashes and root, signing hashes, stored `raw`); an entry
   *  is undefined where the tx cannot be encoded (verifyBlock then fails txHashes). */
  rawTxs?: (Uint8Array | undefined)[];
}

export interface EvmAdapterOptions {
  chainId: number;
  rpcUrl: string;
  log?: (line: string) => void;
  /** Recover every tx's sender from its signature and compare with `from` (libsecp256k1, ~0.1 ms of CPU a tx; see evm-senders.ts). Default true. */
  checkSenders?: boolean;
  /** JSON-RPC calls per HTTP request and requests in flight. */
  batchSize?: number;
  concurrency?: number;
  timeoutMs?: number;
  /** Accumulates wall time per stage (benchmarks, diagnostics). */
  timings?: EvmTimings;
}

/** Milliseconds spent in each stage of the adapter, summed over calls (stages of concurrent fetches overlap). */
export interface EvmTimings {
  fetchMs: number;
  recoverMs: number;
  verifyMs: number;
  writeMs: number;
}

export function createEvmAdapter(chain: Pick<ChainConfig, "startHeight"> & Partial<ChainConfig>, o: EvmAdapterOptions): ChainAdapter<EvmSourceBlock> {
  const rpc = new EvmRpc({ url: o.rpcUrl, batchSize: o.batchSize, concurrency: o.concurrency, timeoutMs: o.timeoutMs });
  const tokenCache = new Map<string, TokenMeta>();
  const support: { blockReceipts?: boolean } = {};
  const checkSenders = o.checkSenders ?? true;
  let saidFallback = false;
  // The addresses of the latest weeks and months, and what the write whose commit is not yet confirmed adds to them.
  const periodAddresses = new PeriodAddressCache();
  let staged: (() => void) | undefined;

  const balances: BalanceReader = async (addresses, height) => {
    const out = new Map<string, bigint>();
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await rpc.batchOrThrow<Hex>(addresses.map((a) => ({ method: "eth_getBalance", params: [a, hexQ(height)] })));
        addresses.forEach((a, i) => out.set(a, BigInt(res[i])));
        return out;
      } catch (e) {
        if (attempt >= 4) throw e;
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  };

  return {
    family: "evm",
    startHeight: chain.startHeight,

    async tip() {
      const n = Number(await rpc.call<Hex>("eth_blockNumber"));
      const b = await rpc.call<RpcBlock | null>("eth_getBlockByNumber", [hexQ(n), false]);
      if (!b) throw new Error(`EVM node ${rpc.where}: no block at its own tip ${n}`);
      return { height: Number(b.number), hash: hexToBytes(b.hash) };
    },

    async hashAt(height) {
      const b = await rpc.call<RpcBlock | null>("eth_getBlockByNumber", [hexQ(height), false]);
      if (!b) throw new Error(`EVM node ${rpc.where}: has no block ${height}`);
      return hexToBytes(b.hash);
    },

    async fetch(from, to) {
      await keccakReady; // settles within ms of load; the first blocks need not hash on the slower JS keccak
      const t0 = performance.now();
      let senders: Promise<string[]> | undefined;
      const raw = new Map<RpcBlock, (Uint8Array | undefined)[]>();
      let recoverMs = 0;
      const fetched = await fetchEvmRange(rpc, from, to, {
        tokenCache,
        support,
        // Each tx is encoded once, here, as soon as the blocks are here: verifyBlock hashes these bytes (same
        // encoder, same tx objects), the signing hash reuses them, and the store keeps them as `raw`. Sender
        // recovery starts at once on a worker thread while receipts, balances and token metadata are read.
        onBlocks: (blocks) => {
          const r0 = performance.now();
          for (const b of blocks) raw.set(b, (b.transactions as RpcTransaction[]).map(tryEncode));
          if (checkSenders) senders = recoverSendersOffThread(blocks.flatMap((b) => b.transactions as RpcTransaction[]), blocks.flatMap((b) => raw.get(b)!));
          recoverMs += performance.now() - r0;
        },
      });
      const t1 = performance.now();
      const recovered = senders ? await senders : undefined;
      if (o.timings) {
        o.timings.fetchMs += t1 - t0 - recoverMs;
        o.timings.recoverMs += recoverMs + performance.now() - t1;
      }
      if (support.blockReceipts === false && !saidFallback) {
        saidFallback = true;
        o.log?.(`EVM node ${rpc.where} has no eth_getBlockReceipts; reading receipts one tx at a time (eth_getTransactionReceipt)`);
      }
      let k = 0;
      return fetched.map((f) => {
        const b = f.block;
        const n = b.transactions.length;
        return {
          ...f,
          header: {
            height: Number(b.number),
            hash: hexToBytes(b.hash),
            parentHash: hexToBytes(b.parentHash),
            time: Number(b.timestamp),
            txCount: n,
            size: b.size != null ? Number(b.size) : 0,
          },
          senders: recovered?.slice(k, (k += n)),
          rawTxs: raw.get(b),
        };
      });
    },

    verify(block, parent) {
      if (!o.timings) return verifyEvmBlock(block, parent);
      const t0 = performance.now();
      const r = verifyEvmBlock(block, parent);
      o.timings.verifyMs += performance.now() - t0;
      return r;
    },

    async write(sql: Tx, ids: IdCounters, blocks: EvmSourceBlock[]) {
      const t0 = performance.now();
      // An earlier write never confirmed committed: the cache cannot know whether it did, so it starts over.
      if (staged) periodAddresses.clear();
      staged = undefined;
      staged = await writeEvmBlocks(sql, ids, blocks, periodAddresses);
      if (o.timings) o.timings.writeMs += performance.now() - t0;
    },

    committed() {
      staged?.();
      staged = undefined;
    },

    rollback(sql: Tx, ids: IdCounters, height: number) {
      staged = undefined;
      periodAddresses.clear();
      return rollbackEvm(sql, ids, height, balances);
    },

    formatHash: (h) => `0x${bytesToHex(h)}`,
  };
}

/** The canonical encoding, or undefined for a tx that cannot be encoded (verifyBlock then fails txHashes). */
function tryEncode(tx: RpcTransaction): Uint8Array | undefined {
  try {
    return encodeTransaction(tx);
  } catch {
    return undefined;
  }
}

/** lib/evm's verifyBlock (header hash, tx hashes and root, receipts root, blooms, gas, uncles, withdrawals, parent
 *  link) plus `receiptFields` and `txSenders`. */
export function verifyEvmBlock(block: EvmSourceBlock, parent: BlockHeader | undefined): BlockReport {
  const report = verifyBlock(block.block, {
    receipts: block.receipts,
    uncles: block.uncles,
    requireUncles: true,
    expectedParentHash: parent ? `0x${bytesToHex(parent.hash)}` : undefined,
    encodedTransactions: block.rawTxs,
  });
  const checks: CheckResult[] = [...report.checks];
  const height = Number(block.block.number);
  if (height !== block.header.height) checks.push({ check: "blockNumber", ok: false, expected: String(block.header.height), got: String(height) });
  checks.push(run("receiptFields", () => receiptFields(block.block, block.receipts)));
  if (block.senders) checks.push(run("txSenders", () => senders(block.block, block.senders!)));
  return blockReport("evm", report.hash, report.height, checks);
}

function run(check: string, fn: () => Omit<CheckResult, "check">): CheckResult {
  try {
    return { check, ...fn() };
  } catch (e) {
    return { check, ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}

const low = (s: unknown) => (typeof s === "string" ? s.toLowerCase() : s == null ? null : String(s));

/** Receipt fields outside the receipts trie, which a node could change unnoticed: checked against the tx. */
function receiptFields(block: RpcBlock, receipts: readonly RpcReceipt[]): Omit<CheckResult, "check"> {
  const baseFee = block.baseFeePerGas != null ? BigInt(block.baseFeePerGas) : undefined;
  let logIndex = 0;
  const fail = (i: number, what: string, expected: unknown, got: unknown) => ({
    ok: false, expected: String(expected), got: String(got), detail: `tx ${i} (${low((block.transactions[i] as RpcTransaction).hash)}): ${what}`,
  });
  const txs = block.transactions as RpcTransaction[];
  if (receipts.length !== txs.length) return { ok: false, expected: String(txs.length), got: String(receipts.length), detail: "receipt count differs from transaction count" };
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i];
    const r = receipts[i];
    if (r.from != null && low(r.from) !== low(tx.from)) return fail(i, "receipt from differs from the tx's", low(tx.from), low(r.from));
    if (r.to !== undefined && low(r.to) !== low(tx.to)) return fail(i, "receipt to differs from the tx's", low(tx.to), low(r.to));
    const created = tx.to == null ? contractAddressFor(tx.from!, tx.nonce) : null;
    if (low(r.contractAddress ?? null) !== created) return fail(i, "contractAddress is not keccak(rlp(sender, nonce))", created, low(r.contractAddress ?? null));
    if (r.effectiveGasPrice != null) {
      const t = txType(tx);
      let price: bigint;
      if (t >= 2 && "maxFeePerGas" in tx && baseFee !== undefined) {
        const max = BigInt(tx.maxFeePerGas);
        const tip = BigInt(tx.maxPriorityFeePerGas);
        price = baseFee + tip < max ? baseFee + tip : max;
      } else price = BigInt(tx.gasPrice!);
      if (BigInt(r.effectiveGasPrice) !== price) return fail(i, "effectiveGasPrice is not what the tx's fee fields and the base fee give", hexQ(price), r.effectiveGasPrice);
    }
    if (r.blockNumber != null && Number(r.blockNumber) !== Number(block.number)) return fail(i, "receipt blockNumber", block.number, r.blockNumber);
    for (const log of r.logs) {
      if (log.logIndex != null && Number(log.logIndex) !== logIndex) return fail(i, "log index is not its block-wide position", hexQ(logIndex), log.logIndex);
      if (log.transactionHash != null && low(log.transactionHash) !== low(tx.hash)) return fail(i, `log ${logIndex} names another tx`, low(tx.hash), low(log.transactionHash));
      if (log.blockHash != null && low(log.blockHash) !== low(block.hash)) return fail(i, `log ${logIndex} names another block`, low(block.hash), low(log.blockHash));
      if (log.transactionIndex != null && Number(log.transactionIndex) !== i) return fail(i, `log ${logIndex} has the wrong transactionIndex`, hexQ(i), log.transactionIndex);
      if (log.removed) return fail(i, `log ${logIndex} is marked removed`, false, true);
      logIndex++;
    }
  }
  return { ok: true, detail: `${txs.length} receipts, ${logIndex} logs` };
}

function senders(block: RpcBlock, recovered: string[]): Omit<CheckResult, "check"> {
  const txs = block.transactions as RpcTransaction[];
  for (let i = 0; i < txs.length; i++) {
    if (low(txs[i].from) !== recovered[i]) {
      return { ok: false, expected: recovered[i], got: String(low(txs[i].from)), detail: `tx ${i} (${low(txs[i].hash)}): from is not the signer` };
    }
  }
  return { ok: true, detail: `${txs.length} signatures` };
}
