import type { Tx } from "../engine/adapter";
import type { CopyBinaryWriter } from "./copy-binary";

// Small helpers for the stores' set-based statements. In unnest parameter arrays bytea travels as hex text and is
// decoded in SQL (postgres.js types a plain array of Buffers as one bytea, not bytea[]) and bigints as decimal
// strings; row tables stream in COPY's binary format.

export function hexOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

/** Postgres bigint[] element (null stays null). */
export function big(v: bigint | null | undefined): string | null {
  return v === null || v === undefined ? null : v.toString();
}

/** Sort comparator for bigints (ids, amounts): statements in key order visit each page once. */
export function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A PostgreSQL array literal (`{1,2,3}`) of integers or hex strings, sent as one text parameter and cast in SQL
 * (`${pgArray(xs)}::bigint[]`). postgres.js serializes an array parameter element by element, escaping each: that
 * cost ~4 % of the indexer's CPU on the spend and summary statements (profiled). Such elements never need quoting;
 * null is NULL, and an empty string (an empty script's hex) is `""`.
 */
export function pgArray(xs: readonly (number | bigint | string | null)[]): string {
  let plain = true;
  for (const x of xs) if (x === null || x === "") plain = false;
  if (plain) return `{${xs.join(",")}}`;
  return `{${xs.map((x) => (x === null ? "NULL" : x === "" ? '""' : x)).join(",")}}`;
}

/** A PostgreSQL bytea[] literal (`{"\\x00ab",…}`), sent as one text parameter like pgArray's. */
export function byteaArray(xs: readonly Uint8Array[]): string {
  return `{${xs.map((x) => `"\\\\x${hexOf(x)}"`).join(",")}}`;
}

/** Rows per statement: one statement per table per batch, split only when a batch is huge, so that no single bind
 *  parameter approaches PostgreSQL's 1 GB limit and memory stays bounded. */
export const MAX_ROWS_PER_STATEMENT = 200_000;

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

/** Bytes of COPY data buffered before a write to the socket. */
const COPY_CHUNK = 1 << 20;

/**
 * Streams rows into `table` with COPY ... FROM STDIN in the binary format, inside the caller's transaction: `rows`
 * writes each row into `w` (w.row(n), then one call per column in `columns` order, of the column's exact type) and
 * yields after it; ~1 MiB chunks go out as they fill, with backpressure (no COPY is issued when there are no rows).
 */
export async function copyInBinary(sql: Tx, table: string, columns: readonly string[], w: CopyBinaryWriter, rows: Iterable<unknown>): Promise<void> {
  await copyChunks(sql, `copy ${table} (${columns.join(", ")}) from stdin with (format binary)`, table, (function* () {
    // Each chunk is on its way (copied into the driver's message) before the generator is asked for the next.
    for (const _ of rows) if (w.length >= COPY_CHUNK) yield w.takeReusing();
    if (w.rows) yield w.end();
  })());
}

/**
 * postgres.js resolves a COPY's query promise with the stream, so a server error that arrives after the last
 * chunk (a key violation, say) is never delivered to the stream: its 'finish' would not come. A probe query,
 * queued once CopyDone is sent, surfaces it instead (the aborted transaction refuses it), so a failed COPY
 * always throws and never hangs; the server's own error is caught from the query's reject and rethrown.
 */
async function copyChunks(sql: Tx, statement: string, table: string, chunks: Iterable<Buffer>): Promise<void> {
  let failed: Error | null = null;
  const st: { w: Awaited<ReturnType<ReturnType<Tx["unsafe"]>["writable"]>> | null } = { w: null };
  // One chunk at a time, made as it goes and awaited until it is on the socket: memory stays bounded (a chunk, not
  // the batch), and when the last one is done nothing is queued, so end() calls the stream's final at once
  // (CopyDone is sent before the probe below).
  const send = async (chunk: Buffer) => {
    if (!st.w) {
      const q = sql.unsafe(statement);
      // The server's own error (after the query resolved with the stream, rejecting it is a no-op): keep it to report.
      const rejectQuery = (q as unknown as { reject?: (e: Error) => void }).reject;
      if (typeof rejectQuery === "function") (q as unknown as { reject: (e: Error) => void }).reject = (e) => ((failed ??= e), rejectQuery(e));
      st.w = await q.writable();
      st.w.on("error", (e: Error) => (failed ??= e));
    }
    const s = st.w;
    if (!failed) await new Promise<void>((res) => s.write(chunk, (e) => (e && (failed ??= e), res())));
    if (failed) throw failed;
  };
  for (const chunk of chunks) await send(chunk);
  const ws = st.w;
  if (!ws) return;
  const finished = new Promise<void>((res, rej) => {
    ws.once("finish", res);
    ws.once("error", rej);
  });
  ws.end();
  try {
    await Promise.all([finished, sql`select 1`]);
  } catch (e) {
    throw failed ?? new Error(`COPY into ${table} failed: ${(e as Error).message}`, { cause: e });
  }
}
