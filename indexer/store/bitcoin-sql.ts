// Small helpers for the Bitcoin store's set-based statements. Bytea travels as hex text and is decoded in SQL
// (postgres.js types a plain array of Buffers as one bytea, not bytea[]); bigints travel as decimal strings.

export function hexOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

/** Postgres bigint[] element (null stays null). */
export function big(v: bigint | null | undefined): string | null {
  return v === null || v === undefined ? null : v.toString();
}

/** Rows per statement: one statement per table per batch, split only when a batch is huge, so that no single bind
 *  parameter approaches PostgreSQL's 1 GB limit and memory stays bounded. */
export const MAX_ROWS_PER_STATEMENT = 200_000;
/** Hex characters per statement for the raw-bytes column of btc_tx. */
export const MAX_HEX_PER_STATEMENT = 128 * 1024 * 1024;

export function chunks<T>(rows: T[], maxRows = MAX_ROWS_PER_STATEMENT, weight?: (r: T) => number, maxWeight = Infinity): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let w = 0;
  for (const r of rows) {
    const rw = weight ? weight(r) : 0;
    if (cur.length && (cur.length >= maxRows || w + rw > maxWeight)) {
      out.push(cur);
      cur = [];
      w = 0;
    }
    cur.push(r);
    w += rw;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** The [lo, hi) id range of one chain (ids are (chain_id << 40) + seq). */
export function chainIdRange(chainId: number): [string, string] {
  const lo = BigInt(chainId) << 40n;
  return [lo.toString(), (lo + (1n << 40n)).toString()];
}
