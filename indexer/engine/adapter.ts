// The contract between the family-agnostic engine and one chain family (Bitcoin-family, EVM). The engine owns
// ordering, batching, the checkpoint, reorgs, retries and progress; an adapter owns the bytes.
import type postgres from "postgres";
import type { BlockReport } from "../../lib/verify";

/** What the engine needs to know of any block. Heights fit in a JS number for any real chain. */
export interface BlockHeader {
  height: number;
  hash: Uint8Array;
  parentHash: Uint8Array;
  /** unix seconds */
  time: number;
  txCount: number;
  size: number;
}

/** A decoded block the adapter can verify and write. */
export interface SourceBlock {
  header: BlockHeader;
}

/** Per-chain id counters, read from `chain` at the start of a write transaction and stored back with the tip. */
export interface IdCounters {
  chainId: number;
  nextTxSeq: bigint;
  nextAddrSeq: bigint;
}

export type Tx = postgres.TransactionSql;

/** What `prepare` may read: committed data of its chain, on a connection of its own. */
export interface PrepareDb {
  sql: postgres.Sql;
  chainId: number;
}

export interface ChainAdapter<B extends SourceBlock = SourceBlock, P = unknown> {
  readonly family: "bitcoin" | "evm";
  /** Lowest height this chain indexes from (0 for genesis). */
  readonly startHeight: number;
  /** The node's best block. */
  tip(): Promise<{ height: number; hash: Uint8Array }>;
  /** The node's canonical hash at a height (used to find the common ancestor after a reorg). */
  hashAt(height: number): Promise<Uint8Array>;
  /** Blocks from..to inclusive, in height order, decoded (batched requests). */
  fetch(from: number, to: number): Promise<B[]>;
  /** Every consensus check the family defines; the engine refuses the block if any fails. */
  verify(block: B, parent: BlockHeader | undefined): BlockReport;
  /** Work on a batch done while the previous batch commits (building rows; reads that batch cannot change). Every
   *  batch before that one has committed. Its result goes to `write`, and again to the write's retries: `write` must
   *  not depend on what an earlier attempt changed, and must check that what `prepare` read still holds. */
  prepare?(blocks: B[], db?: PrepareDb): P;
  /** Family rows for consecutive verified blocks, inside the engine's transaction (which writes `block` rows and
   *  the checkpoint). Allocate tx/address ids from `ids` (mutate it). */
  write(sql: Tx, ids: IdCounters, blocks: B[], prepared?: P): Promise<void>;
  /** The transaction of the last `write` committed (also called when a retry finds it had). In-memory state an
   *  adapter derives from its writes changes only here, so it never holds what a failed transaction wrote. */
  committed?(): void;
  /** Undo every family row of canonical blocks above `height` (summaries, spent-by links, aggregates too). */
  rollback(sql: Tx, ids: IdCounters, height: number): Promise<void>;
  /** Release sockets/files. */
  close?(): Promise<void>;
  /** How the family shows a hash (Bitcoin byte-reversed, EVM 0x-prefixed), for engine log and error lines.
   *  Plain hex when omitted. */
  formatHash?(hash: Uint8Array): string;
}

/** Ids are (chain_id << 40) + per-chain sequence: global, deterministic, and they sort by chain then order. */
export function makeId(chainId: number, seq: bigint): bigint {
  return (BigInt(chainId) << 40n) + seq;
}

/** The bits of an id that hold its sequence (makeId). */
export const ID_SEQ_MASK = (1n << 40n) - 1n;

/** The per-chain sequence of an id, as a number (2^40 is well within a double's integers). */
export function seqOf(id: bigint): number {
  return Number(id & ID_SEQ_MASK);
}
