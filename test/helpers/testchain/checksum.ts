// Per-table checksums of one chain's index, comparable across chain ids (ids are taken relative to the
// chain's id base) and ignoring what legitimately differs between equal indexes: timestamps and live figures.
import type postgres from "postgres";

export type Checksums = Record<string, string>;

/** Canonical content only; stale blocks are listed separately so reorg tests can compare them on their own. */
export async function chainChecksums(sql: postgres.Sql, chainId: number): Promise<Checksums> {
  const base = (BigInt(chainId) << 40n).toString();
  const [r] = await sql`
    select
      (select md5(coalesce(string_agg(concat_ws('|', encode(hash, 'hex'), height, encode(parent_hash, 'hex'), time, tx_count, size, checks::text), ',' order by height), ''))
        from block where chain_id = ${chainId} and not stale) as block,
      (select count(*) from block where chain_id = ${chainId} and not stale)::int as block_count,
      (select md5(coalesce(string_agg(concat_ws('|', id - ${base}::bigint, encode(txid, 'hex'), height, position, version, locktime, size, vsize, weight,
          is_coinbase, has_witness, input_count, output_count, input_value, output_value, fee, encode(raw, 'hex')), ',' order by id), ''))
        from btc_tx where chain_id = ${chainId}) as btc_tx,
      (select md5(coalesce(string_agg(concat_ws('|', id - ${base}::bigint, encode(script, 'hex'), script_type, balance, received, sent, tx_count, utxo_count,
          first_height, last_height), ',' order by id), ''))
        from btc_address where chain_id = ${chainId}) as btc_address,
      (select md5(coalesce(string_agg(concat_ws('|', address_id - ${base}::bigint, height, position, tx_id - ${base}::bigint, delta), ',' order by address_id, height, position), ''))
        from btc_address_tx where chain_id = ${chainId}) as btc_address_tx,
      (select concat_ws('|', tip_height, encode(tip_hash, 'hex'), next_tx_seq, next_addr_seq) from chain where id = ${chainId}) as checkpoint`;
  return { ...r, block_count: String(r.block_count) };
}

export async function staleHashes(sql: postgres.Sql, chainId: number): Promise<string[]> {
  const rows = await sql`select encode(hash, 'hex') as h from block where chain_id = ${chainId} and stale order by height, hash`;
  return rows.map((r) => r.h);
}

export async function registerChain(sql: postgres.Sql, id: number, slug: string): Promise<void> {
  await sql`insert into chain (id, slug, family, network, name) values (${id}, ${slug}, 'bitcoin', 'regtest', ${slug})`;
}
