// The shared `block` table: canonical rows in, losers marked stale (never deleted), canonical hashes out.
import type postgres from "postgres";
import { bytesToHex } from "../../lib/bytes";
import type { BlockHeader, SourceBlock, Tx } from "./adapter";

export interface VerifiedBlock<B extends SourceBlock = SourceBlock> {
  block: B;
  /** Names of the checks that passed, stored in block.checks. */
  checks: string[];
}

/** One multi-row statement per batch (bytea travels as hex text: postgres.js types a plain array of Buffers as
 *  bytea, not bytea[]). A block that was orphaned and now wins again already has a (stale) row
 *  under the same primary key: the hash commits to every other column, so flipping it back is all it needs. */
export async function insertBlocks(tx: Tx, chainId: number, blocks: VerifiedBlock[]): Promise<void> {
  const h = blocks.map((b) => b.block.header);
  await tx`
    insert into block (chain_id, hash, height, parent_hash, time, tx_count, size, stale, stale_at, checks)
    select ${chainId}, decode(u.hash, 'hex'), u.height, decode(u.parent, 'hex'), u.time, u.txs, u.size, false, null, string_to_array(u.checks, ',')
    from unnest(
      ${h.map((x) => bytesToHex(x.hash))}::text[], ${h.map((x) => x.height)}::bigint[],
      ${h.map((x) => bytesToHex(x.parentHash))}::text[], ${h.map((x) => x.time)}::bigint[],
      ${h.map((x) => x.txCount)}::int[], ${h.map((x) => x.size)}::int[], ${blocks.map((b) => b.checks.join(","))}::text[]
    ) as u(hash, height, parent, time, txs, size, checks)
    on conflict (chain_id, hash) do update set stale = false, stale_at = null, checks = excluded.checks`;
}

/** Marks every canonical block above `height` stale; returns how many. */
export async function markStaleAbove(tx: Tx, chainId: number, height: number): Promise<number> {
  const rows = await tx`update block set stale = true, stale_at = now() where chain_id = ${chainId} and not stale and height > ${height} returning 1`;
  return rows.length;
}

export async function canonicalHeader(sql: postgres.Sql | Tx, chainId: number, height: number): Promise<BlockHeader | undefined> {
  const [r] = await sql`
    select hash, height::text as height, parent_hash, time::text as time, tx_count, size
    from block where chain_id = ${chainId} and height = ${height} and not stale`;
  return r && { hash: r.hash, height: Number(r.height), parentHash: r.parent_hash, time: Number(r.time), txCount: r.tx_count, size: r.size };
}

/** Our canonical hashes for heights lo..hi (missing heights are absent from the map). */
export async function canonicalHashes(sql: postgres.Sql, chainId: number, lo: number, hi: number): Promise<Map<number, Uint8Array>> {
  const rows = await sql`select height::text as h, hash from block where chain_id = ${chainId} and not stale and height between ${lo} and ${hi}`;
  return new Map(rows.map((r) => [Number(r.h), r.hash as Uint8Array]));
}
