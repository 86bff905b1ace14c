// The checkpoint: chain.tip_height/tip_hash and the id counters. It only ever moves inside the transaction that
// writes (or rolls back) the rows below it, so after any crash the database is exactly "indexed up to the tip".
import type postgres from "postgres";
import { bytesEqual, bytesToHex } from "../../lib/bytes";
import type { BlockHeader, IdCounters, Tx } from "./adapter";
import { canonicalHeader } from "./blocks";
import { ChainNotRegisteredError, CheckpointCorruptError, CheckpointMovedError } from "./errors";

export interface Checkpoint {
  /** null before the first block is indexed. */
  height: number | null;
  hash: Uint8Array | null;
  /** The stored tip block, the parent the next block is verified against. */
  header: BlockHeader | undefined;
}

export type ChainStatus = "syncing" | "following" | "stopped" | "failed";

/** Live figures stored beside the checkpoint for the site. */
export interface Figures {
  nodeHeight: number | null;
  blocksPerSec: number;
  txPerSec: number;
}

interface ChainRef {
  id: number;
  slug: string;
}

export async function readCheckpoint(sql: postgres.Sql, chain: ChainRef): Promise<Checkpoint> {
  const [row] = await sql`select tip_height::text as h, tip_hash from chain where id = ${chain.id}`;
  if (!row) throw new ChainNotRegisteredError(chain.id, chain.slug);
  if (row.h === null) return { height: null, hash: null, header: undefined };
  const header = await canonicalHeader(sql, chain.id, Number(row.h));
  if (!header || !bytesEqual(header.hash, row.tip_hash)) {
    throw new CheckpointCorruptError(chain.slug, Number(row.h));
  }
  return { height: Number(row.h), hash: header.hash, header };
}

/** Locks the chain row for this transaction and checks that the checkpoint is still where we left it.
 *  Returns the id counters, or "done" when the checkpoint already equals `done` (a commit whose
 *  acknowledgement was lost to a dropped connection and is now being retried). */
export async function lockCheckpoint(tx: Tx, chain: ChainRef, expected: Checkpoint, done: { hash: Uint8Array | null }): Promise<IdCounters | "done"> {
  const [row] = await tx`select tip_height::text as h, tip_hash, next_tx_seq::text as t, next_addr_seq::text as a from chain where id = ${chain.id} for update`;
  if (!row) throw new ChainNotRegisteredError(chain.id, chain.slug);
  const hash: Uint8Array | null = row.tip_hash;
  if (!sameHash(hash, expected.hash)) {
    if (sameHash(hash, done.hash)) return "done";
    throw new CheckpointMovedError(chain.slug, describeTip(expected.height, expected.hash), describeTip(row.h === null ? null : Number(row.h), hash));
  }
  return { chainId: chain.id, nextTxSeq: BigInt(row.t), nextAddrSeq: BigInt(row.a) };
}

export async function storeCheckpoint(tx: Tx, ids: IdCounters, tip: BlockHeader | undefined, figures: Figures): Promise<void> {
  await tx`
    update chain set
      tip_height = ${tip ? tip.height : null}, tip_hash = ${tip ? Buffer.from(tip.hash) : null},
      next_tx_seq = ${ids.nextTxSeq.toString()}::bigint, next_addr_seq = ${ids.nextAddrSeq.toString()}::bigint,
      node_height = ${figures.nodeHeight}, blocks_per_sec = ${figures.blocksPerSec}, tx_per_sec = ${figures.txPerSec},
      updated_at = now()
    where id = ${ids.chainId}`;
}

export async function storeStatus(sql: postgres.Sql, chainId: number, status: ChainStatus, lastError?: string | null): Promise<void> {
  if (lastError === undefined) await sql`update chain set status = ${status}, updated_at = now() where id = ${chainId}`;
  else await sql`update chain set status = ${status}, last_error = ${lastError}, updated_at = now() where id = ${chainId}`;
}

export async function storeFigures(sql: postgres.Sql, chainId: number, figures: Figures): Promise<void> {
  await sql`
    update chain set node_height = ${figures.nodeHeight}, blocks_per_sec = ${figures.blocksPerSec},
      tx_per_sec = ${figures.txPerSec}, updated_at = now()
    where id = ${chainId}`;
}

function sameHash(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === null || b === null ? a === b : bytesEqual(a, b);
}

function describeTip(height: number | null, hash: Uint8Array | null): string {
  return height === null || hash === null ? "none" : `${height} ${bytesToHex(hash)}`;
}
