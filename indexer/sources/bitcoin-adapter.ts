// The Bitcoin ChainAdapter: a source (Bitcoin Core RPC or a blocks/ directory) + lib/bitcoin verification against
// the parent + the btc_* store.
import os from "node:os";
import { getNetwork, type Network, type NetworkName } from "../../lib/bitcoin/network";
import { verifyBlock, withPrevHash } from "../../lib/bitcoin/verify";
import { reversedHex } from "../../lib/bytes";
import { blockReport, type BlockReport } from "../../lib/verify";
import { type ChainConfig, DEFAULT_UTXO_CACHE_ENTRIES } from "../config";
import type { BlockHeader, ChainAdapter, IdCounters, PrepareDb, Tx } from "../engine/adapter";
import { prepareBitcoinBlocks, rollbackBitcoin, writeBitcoinBlocks } from "../store/bitcoin";
import { lookAhead, resolveLookahead, type AddressLookahead, type CommittedAddresses } from "../store/bitcoin-address-ahead";
import type { BatchRows } from "../store/bitcoin-rows";
import { UtxoCache } from "../store/bitcoin-utxo-cache";
import { DayAddressCache } from "../store/day-address-cache";
import { PeriodAddressCache } from "../store/period-address-cache";
import { type BitcoinBlock, decodeBlock, type RawBlock } from "./bitcoin-block";
import { BlkDirectorySource } from "./bitcoin-blk";
import { BitcoinRpcClient, BitcoinRpcSource } from "./bitcoin-rpc";
import { precheck } from "./bitcoin-verify-pool";

export type { BitcoinBlock } from "./bitcoin-block";

/** Where raw blocks come from. */
export interface BitcoinSource {
  tip(): Promise<{ height: number; hash: Uint8Array }>;
  hashAt(height: number): Promise<Uint8Array>;
  fetchRaw(from: number, to: number): Promise<RawBlock[]>;
  close?(): Promise<void>;
}

export interface BitcoinAdapterOptions {
  chainId: number;
  network: Network | NetworkName;
  log: (line: string) => void;
  /** RPC tuning (tests shorten the timeout). */
  rpcTimeoutMs?: number;
  /** Unspent outputs kept in memory (0: none). */
  utxoCacheEntries?: number;
}

const ZERO_HASH = "0".repeat(64);

/** A batch's rows built ahead, and its address lookup when it could start ahead. */
export interface PreparedBatch {
  rows: BatchRows;
  addresses?: AddressLookahead;
}

export class BitcoinAdapter implements ChainAdapter<BitcoinBlock, PreparedBatch> {
  readonly family = "bitcoin" as const;
  readonly startHeight = 0;
  readonly network: Network;
  readonly utxos: UtxoCache | undefined;
  /** Hash and verify (all but the parent link) on a worker thread while fetching ahead (false: in verify()). Only
   *  with a core to spare: PostgreSQL and this thread keep two busy, and on two cores the worker's extra CPU (it
   *  parses each block again) cancelled the main thread's saving (alternated runs, bench/README-figures.md). */
  readonly verifyAhead: boolean = os.availableParallelism() > 2;
  /** Which addresses have their daily-active row for the last few days (undefined: each write asks PostgreSQL). */
  readonly dayAddresses: DayAddressCache | undefined = new DayAddressCache();
  /** The addresses of the latest weeks and months (undefined: their active counts are left to the API to count). */
  readonly periodAddresses: PeriodAddressCache | undefined = new PeriodAddressCache();
  /** What a write whose transaction has not been confirmed committed yet changes in memory. */
  private staged: { commitCache: () => void; addresses: CommittedAddresses | undefined } | undefined;
  /** The last batch whose transaction committed, for the next batch's lookahead. */
  private lastCommitted: CommittedAddresses | undefined;
  /** The scripts of the batch prepared last: the next one prepared looks ahead from them. */
  private lastPrepared: Pick<BatchRows, "scripts" | "scriptIndex"> | undefined;
  /** Writes whose address ids were looked up ahead, and those that had to look up in their transaction. */
  readonly addressLookups = { ahead: 0, inTransaction: 0 };

  constructor(readonly slug: string, readonly source: BitcoinSource, network: Network | NetworkName, utxoCacheEntries = DEFAULT_UTXO_CACHE_ENTRIES) {
    this.network = getNetwork(network);
    this.utxos = utxoCacheEntries > 0 ? new UtxoCache(utxoCacheEntries) : undefined;
  }

  tip() {
    return this.source.tip();
  }

  hashAt(height: number) {
    return this.source.hashAt(height);
  }

  async fetch(from: number, to: number): Promise<BitcoinBlock[]> {
    const raws = await this.source.fetchRaw(from, to);
    const pre = this.verifyAhead ? await precheck(raws, this.network) : undefined;
    return raws.map((r, i) => decodeBlock(this.slug, r, pre?.[i]));
  }

  verify(b: BitcoinBlock, parent: BlockHeader | undefined): BlockReport {
    const height = b.header.height;
    if (b.parseError !== undefined) {
      const hash = reversedHex(b.header.hash);
      const claimed = b.claimedHash?.toLowerCase();
      return blockReport("bitcoin", hash, height, [
        claimed === undefined || claimed === hash ? { check: "headerHash", ok: true, got: hash } : { check: "headerHash", ok: false, expected: claimed, got: hash },
        { check: "parse", ok: false, detail: b.parseError },
      ]);
    }
    const expectedPrevHash = parent ? reversedHex(parent.hash) : height === 0 ? ZERO_HASH : undefined;
    const report = b.precheck
      ? withPrevHash(b.precheck, b.block.header.prevHash, expectedPrevHash)
      : verifyBlock(b.block, { network: this.network, height, claimedHash: b.claimedHash, expectedPrevHash, txids: b.txids });
    if (height !== 0) return report;
    // Genesis is fixed by the network: this also catches a source of another network than configured.
    const ok = report.hash === this.network.genesisHash;
    return blockReport("bitcoin", report.hash, height, [
      ...report.checks,
      { check: "genesis", ok, ...(ok ? {} : { expected: this.network.genesisHash, got: report.hash, detail: `not the ${this.network.name} genesis block` }) },
    ]);
  }

  prepare(blocks: BitcoinBlock[], db?: PrepareDb): PreparedBatch {
    const rows = prepareBitcoinBlocks(blocks, this.slug);
    const prev = this.lastPrepared;
    this.lastPrepared = { scripts: rows.scripts, scriptIndex: rows.scriptIndex };
    return { rows, addresses: db && prev ? lookAhead(db, rows, prev) : undefined };
  }

  async write(sql: Tx, ids: IdCounters, blocks: BitcoinBlock[], prepared?: PreparedBatch): Promise<void> {
    // An earlier write never confirmed committed (its transaction failed, or its acknowledgement was lost): the
    // cache cannot know which, so it starts over from the database.
    if (this.staged) this.forget();
    const known = prepared?.addresses ? await resolveLookahead(prepared.addresses, this.lastCommitted) : undefined;
    this.addressLookups[known ? "ahead" : "inTransaction"]++;
    const rows = prepared?.rows;
    const r = await writeBitcoinBlocks(sql, ids, blocks, { slug: this.slug, network: this.network, utxos: this.utxos, dayAddresses: this.dayAddresses, periodAddresses: this.periodAddresses }, rows, known);
    this.staged = { commitCache: r.commitCache, addresses: rows && { scripts: rows.scripts, ids: r.addressIds } };
  }

  committed(): void {
    if (!this.staged) return;
    this.staged.commitCache();
    this.lastCommitted = this.staged.addresses;
    this.staged = undefined;
  }

  rollback(sql: Tx, ids: IdCounters, height: number): Promise<void> {
    this.forget();
    return rollbackBitcoin(sql, ids, height);
  }

  /** In-memory state derived from writes is dropped whenever the database may no longer match it. */
  private forget(): void {
    this.staged = undefined;
    this.lastCommitted = undefined;
    this.utxos?.clear();
    this.dayAddresses?.clear();
    this.periodAddresses?.clear();
  }

  async close(): Promise<void> {
    await this.source.close?.();
  }

  formatHash(hash: Uint8Array): string {
    return reversedHex(hash);
  }
}

export function createBitcoinSource(chain: ChainConfig, opts: BitcoinAdapterOptions): BitcoinSource {
  const s = chain.source;
  const network = getNetwork(opts.network);
  switch (s.kind) {
    case "bitcoin-rpc":
      return new BitcoinRpcSource(new BitcoinRpcClient({ url: s.url, user: s.user, password: s.password, cookieFile: s.cookieFile, timeoutMs: opts.rpcTimeoutMs }));
    case "bitcoin-blk":
      return new BlkDirectorySource({ dir: s.dir, xorKey: s.xorKey, network, log: opts.log, slug: chain.id });
    default:
      throw new Error(`chain ${chain.id}: source ${s.kind} is not a Bitcoin source`);
  }
}

export function createBitcoinAdapter(chain: ChainConfig, opts: BitcoinAdapterOptions): BitcoinAdapter {
  return new BitcoinAdapter(chain.id, createBitcoinSource(chain, opts), opts.network, opts.utxoCacheEntries);
}
