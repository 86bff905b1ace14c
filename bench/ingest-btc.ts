// Full Bitcoin index of the synthetic chain (bench/gen) from blk*.dat files into a fresh embedded PostgreSQL,
// through the real engine (runChain) and Bitcoin adapter, and in the same run the two limits:
//   (a) parse + verify only (same source and adapter code, no database);
//   (b) PostgreSQL COPY of exactly the rows the indexer wrote (dumped with COPY TO after the run, then timed
//       COPY FROM into a fresh, migrated database with the same indexes).
// Each measured part runs in its own child process, so RSS and CPU are that process's own.
//
// Run: npm run bench -- --only ingest-btc --txs 200000      (or: npx tsx bench/ingest-btc.ts --txs 200000)
// Options: --seed 1 --batch-blocks 500 --batch-txs 20000 (the product defaults) --concurrency 2; CHAINPROOF_UTXO_CACHE as
// in the product. The chain is generated once into $CHAINPROOF_BENCH_DIR
// (default /tmp/cpbench) and reused; the database is a throwaway (test/helpers/db startTestDb).
import { chmodSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type postgres from "postgres";
import { connectPostgres } from "../indexer/db/client";
import { runChain } from "../indexer/engine/engine";
import { BitcoinAdapter } from "../indexer/sources/bitcoin-adapter";
import { decodeBlock, type BitcoinBlock } from "../indexer/sources/bitcoin-block";
import { BlkDirectorySource } from "../indexer/sources/bitcoin-blk";
import { precheck, precheckStats } from "../indexer/sources/bitcoin-verify-pool";
import { writeCpu, writeTimings } from "../indexer/store/bitcoin";
import { regtest } from "../lib/bitcoin/network";
import { DEFAULT_BATCH_BLOCKS, DEFAULT_BATCH_TXS, DEFAULT_UTXO_CACHE_ENTRIES, INDEXER_NODE_FLAGS } from "../indexer/config";
import { defaultSharedBuffersMB } from "../indexer/db/embedded";
import { RangeSizer } from "../indexer/engine/pipeline";
import { startTestDb, type TestDb } from "../test/helpers/db";
import { generateChain, type Manifest } from "./gen/index";
import { arg, cpuTimes, fmt, isMain, machine, pgCpuSeconds, printTable, runPhase, saveResult, selfUsage, WORK } from "./gen/util";

export const BTC_TABLES = ["block", "btc_block", "btc_block_stats", "btc_tx", "btc_input", "btc_output", "btc_address", "btc_address_tx", "btc_rich",
  "btc_rich_floor", "analytics_block", "analytics_day", "analytics_day_address"] as const;
const CHAIN_ID = 1;
const SLUG = "bench-btc";

export interface PhaseResult {
  seconds: number;
  blocks: number;
  txs: number;
  bytes: number;
  maxRssMB: number;
  cpuUserMs: number;
  cpuSysMs: number;
  fetchMs: number;
  decodeMs: number;
  verifyMs: number;
  decodeCpuMs: number;
  verifyCpuMs: number;
  /** Blocks hashed and verified on the worker thread (the rest on the indexer's). */
  verifiedAhead?: number;
  writeTimings?: Record<string, number>;
  /** The indexer's CPU time per write phase (ms). */
  writeCpu?: Record<string, number>;
  /** Inputs resolved from the UTXO cache vs from the database, and its fill at the end. */
  utxoCache?: { hits: number; misses: number; entries: number; capacity: number };
  machineBusyPct?: number;
  /** CPU seconds of the PostgreSQL server during the phase. */
  pgCpuSec?: number;
  loadAvg?: [number, number];
}

/** WAL written so far (pg_stat_wal): bytes and full-page images. */
async function walStats(sql: TestDb["sql"]): Promise<{ bytes: number; fpi: number }> {
  const [r] = await sql`select wal_bytes::float8 as bytes, wal_fpi::float8 as fpi from pg_stat_wal`;
  return r as unknown as { bytes: number; fpi: number };
}

export function chainDir(txs: number, seed: number): string {
  return path.join(WORK, `chain-${txs}-s${seed}`);
}

function makeAdapter(dir: string): { adapter: BitcoinAdapter; source: BlkDirectorySource; timing: { fetchMs: number; decodeMs: number; verifyMs: number; decodeCpuMs: number; verifyCpuMs: number; verifiedAhead: number } } {
  const source = new BlkDirectorySource({ dir, network: regtest, log: (l) => console.error(l), slug: SLUG });
  // The product's setting, read directly (loadConfig refuses the bench's own CHAINPROOF_BENCH_* variables).
  const adapter = new BitcoinAdapter(SLUG, source, regtest, Number(process.env.CHAINPROOF_UTXO_CACHE ?? DEFAULT_UTXO_CACHE_ENTRIES));
  const timing = { fetchMs: 0, decodeMs: 0, verifyMs: 0, decodeCpuMs: 0, verifyCpuMs: 0 };
  // Same work as BitcoinAdapter.fetch/verify, timed: read (I/O, and the wait for the verify worker), decode (parse,
  // and txids when no worker computed them), verify (all checks, or only the parent link after the worker's).
  // Decode and verify are synchronous: process CPU time across them is (almost only) this thread's, which stays
  // right when the machine is shared and the thread gets descheduled (wall time would not).
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  adapter.fetch = async (from: number, to: number): Promise<BitcoinBlock[]> => {
    const t0 = performance.now();
    const raws = await source.fetchRaw(from, to);
    // Hashing and verification ahead on the worker, as the adapter does (its time: precheckStats, counted as verify).
    const pre = adapter.verifyAhead ? await precheck(raws, adapter.network) : undefined;
    const t1 = performance.now();
    const c1 = cpuMs();
    const blocks = raws.map((r, i) => decodeBlock(SLUG, r, pre?.[i]));
    timing.decodeCpuMs += cpuMs() - c1;
    timing.fetchMs += t1 - t0;
    timing.decodeMs += performance.now() - t1;
    return blocks;
  };
  const verify = adapter.verify.bind(adapter);
  adapter.verify = (b, parent) => {
    const t0 = performance.now();
    const c0 = cpuMs();
    const r = verify(b, parent);
    timing.verifyCpuMs += cpuMs() - c0;
    timing.verifyMs += performance.now() - t0;
    return r;
  };
  return {
    adapter, source,
    get timing() {
      return { ...timing, verifyCpuMs: timing.verifyCpuMs + precheckStats.ms, verifyMs: timing.verifyMs + precheckStats.ms, verifiedAhead: precheckStats.blocks };
    },
  };
}

/** Limit (a): the source + decode + verify of every block, in order, no database. */
async function phaseVerify(dir: string, tip: number, batchBlocks: number, batchTxs: number): Promise<PhaseResult> {
  const made = makeAdapter(dir);
  const adapter = made.adapter;
  const t0 = performance.now();
  await adapter.tip();
  let parent: BitcoinBlock["header"] | undefined;
  let txs = 0;
  let bytes = 0;
  const ranges = new RangeSizer(batchBlocks, batchTxs); // the indexer's fetch ranges (memory follows BATCH_TXS)
  for (let h = 0; h <= tip;) {
    const blocks = await adapter.fetch(h, Math.min(tip, h + ranges.next() - 1));
    ranges.saw(blocks);
    h += blocks.length;
    for (const b of blocks) {
      const r = adapter.verify(b, parent);
      if (!r.ok) throw new Error(`block ${b.header.height} failed: ${JSON.stringify(r.checks.filter((c) => !c.ok))}`);
      parent = b.header;
      txs += b.header.txCount;
      bytes += b.header.size;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, blocks: tip + 1, txs, bytes, ...selfUsage(), ...made.timing };
}

/** The real thing: runChain + BitcoinAdapter into the database at `url`, until the chain's tip. */
async function phaseIndex(dir: string, url: string, tip: number, batchBlocks: number, batchTxs: number, concurrency: number): Promise<PhaseResult> {
  const sql = connectPostgres(url, { onnotice: () => {}, max: 4 });
  const made = makeAdapter(dir);
  const adapter = made.adapter;
  const abort = new AbortController();
  const logs: string[] = [];
  const port = Number(new URL(url).port);
  const pg0 = pgCpuSeconds(port);
  const load0 = os.loadavg()[0];
  const cpu0 = cpuTimes();
  const t0 = performance.now();
  await runChain({
    sql, chain: { id: CHAIN_ID, slug: SLUG }, adapter, batchBlocks, batchTxs, concurrency, pollMs: 100, onInvalid: "stop",
    signal: abort.signal, log: (l) => (logs.push(l), console.error(l)), untilHeight: tip,
    progressOut: { isTTY: false, write: (s) => process.stderr.write(s) }, progressLogEveryMs: 10_000,
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuTimes();
  const pgCpuSec = pgCpuSeconds(port) - pg0;
  const loadAvg: [number, number] = [load0, os.loadavg()[0]];
  const [row] = await sql`select tip_height::int as h, status, (select count(*)::int from btc_tx) as txs, (select coalesce(sum(size),0)::bigint as b from block) as bytes from chain where id = ${CHAIN_ID}`;
  await sql.end();
  if (row.h !== tip) throw new Error(`indexed to ${row.h}, expected ${tip}: ${logs.slice(-5).join("\n")}`);
  return {
    seconds, blocks: tip + 1, txs: row.txs, bytes: Number(row.bytes), ...selfUsage(), ...made.timing, writeTimings: { ...writeTimings }, writeCpu: { ...writeCpu },
    utxoCache: adapter.utxos && { hits: adapter.utxos.hits, misses: adapter.utxos.misses, entries: adapter.utxos.size, capacity: adapter.utxos.capacity },
    machineBusyPct: (100 * (cpu1.busy - cpu0.busy)) / (cpu1.total - cpu0.total), pgCpuSec, loadAvg,
  };
}

async function dbSizes(sql: postgres.Sql): Promise<{ dbBytes: number; tables: Record<string, { rows: number; bytes: number }> }> {
  const [{ size }] = await sql`select pg_database_size(current_database())::bigint as size`;
  const tables: Record<string, { rows: number; bytes: number }> = {};
  for (const t of BTC_TABLES) {
    const [r] = await sql.unsafe(`select count(*)::bigint as n, pg_total_relation_size('${t}')::bigint as b from ${t}`);
    tables[t] = { rows: Number(r.n), bytes: Number(r.b) };
  }
  return { dbBytes: Number(size), tables };
}

/** Limit (b): dump exactly what the indexer wrote, then time loading it with COPY into a fresh migrated database. */
async function copyLimit(db: TestDb, dumpDir: string): Promise<{ seconds: number; perTable: Record<string, number>; dumpBytes: number; pgCpuSec: number }> {
  rmSync(dumpDir, { recursive: true, force: true });
  mkdirSync(dumpDir, { recursive: true });
  chmodSync(dumpDir, 0o777); // the server (user postgres when we run as root) writes the files
  for (const t of BTC_TABLES) await db.sql.unsafe(`copy ${t} to '${path.join(dumpDir, `${t}.bin`)}' with (format binary)`);
  const dumpBytes = readdirSync(dumpDir).reduce((n, f) => n + statSync(path.join(dumpDir, f)).size, 0);
  const url = await db.createDatabase("copy_limit");
  const sql = connectPostgres(url, { onnotice: () => {}, max: 1 });
  await sql`insert into chain (id, slug, family, network, name) values (${CHAIN_ID}, ${SLUG}, 'bitcoin', 'regtest', 'bench')`;
  await sql`checkpoint`;
  const perTable: Record<string, number> = {};
  const port = Number(new URL(url).port);
  const pg0 = pgCpuSeconds(port);
  const t0 = performance.now();
  for (const t of BTC_TABLES) {
    const s = performance.now();
    await sql.unsafe(`copy ${t} from '${path.join(dumpDir, `${t}.bin`)}' with (format binary)`);
    perTable[t] = (performance.now() - s) / 1000;
  }
  const seconds = (performance.now() - t0) / 1000;
  const pgCpuSec = pgCpuSeconds(port) - pg0;
  await sql.end();
  rmSync(dumpDir, { recursive: true, force: true });
  return { seconds, perTable, dumpBytes, pgCpuSec };
}

export interface IngestBtcResult {
  machine: Record<string, string | number>;
  command: string;
  settings: { txs: number; seed: number; batchBlocks: number; batchTxs: number; concurrency: number };
  chain: Pick<Manifest, "tipHeight" | "blockBytes" | "genSeconds" | "genTxPerSec" | "genMBPerSec"> & { stats: Manifest["stats"] };
  verifyOnly: PhaseResult;
  index: PhaseResult;
  db: { dbBytes: number; tables: Record<string, { rows: number; bytes: number }>; ratioToRaw: number };
  /** WAL the index wrote (absent in results saved before it was measured). */
  wal?: { bytes: number; fpi: number };
  copy: { seconds: number; perTable: Record<string, number>; dumpBytes: number; pgCpuSec: number };
  figures: Record<string, number>;
}

export async function ingestBtc(o: { txs: number; seed: number; batchBlocks: number; batchTxs: number; concurrency: number; log?: (s: string) => void }): Promise<IngestBtcResult> {
  const log = o.log ?? ((s: string) => console.error(s));
  const dir = chainDir(o.txs, o.seed);
  log(`generating (or reusing) ${fmt(o.txs)} txs, seed ${o.seed} in ${dir}`);
  const m = await generateChain(dir, o.txs, o.seed, log);
  log(`chain: ${m.tipHeight + 1} blocks, ${fmt(m.stats.txs)} txs, ${fmt(m.blockBytes / 1e6, 1)} MB; generated at ${fmt(m.genTxPerSec)} tx/s`);

  log("limit (a): parse + verify only");
  const verifyOnly = await runPhase<PhaseResult>("bench/ingest-btc.ts", ["--phase", "verify", "--dir", dir, "--tip", String(m.tipHeight), "--batch-blocks", String(o.batchBlocks), "--batch-txs", String(o.batchTxs)], { log });

  log("full index: engine + Bitcoin adapter into a fresh embedded PostgreSQL");
  // PostgreSQL as `npm start` runs it (shared_buffers from the machine's memory).
  const db = await startTestDb({ sharedBuffersMB: defaultSharedBuffersMB() });
  try {
    await db.sql`insert into chain (id, slug, family, network, name) values (${CHAIN_ID}, ${SLUG}, 'bitcoin', 'regtest', 'bench')`;
    const walBefore = await walStats(db.sql);
    const index = await runPhase<PhaseResult>(
      "bench/ingest-btc.ts",
      ["--phase", "index", "--dir", dir, "--db", db.url, "--tip", String(m.tipHeight), "--batch-blocks", String(o.batchBlocks), "--batch-txs", String(o.batchTxs), "--concurrency", String(o.concurrency)],
      { log, nodeArgs: INDEXER_NODE_FLAGS }, // the indexer process's own flags
    );
    const walAfter = await walStats(db.sql);
    const wal = { bytes: walAfter.bytes - walBefore.bytes, fpi: walAfter.fpi - walBefore.fpi };
    const sizes = await dbSizes(db.sql);
    log("limit (b): COPY of the same rows into a fresh database");
    const copy = await copyLimit(db, path.join(WORK, "copy-dump"));
    const idxTxs = index.txs / index.seconds;
    const figures = {
      genTxPerSec: m.genTxPerSec,
      blocksPerSec: index.blocks / index.seconds,
      txPerSec: idxTxs,
      mbPerSec: index.bytes / 1e6 / index.seconds,
      indexerRssPeakMB: index.maxRssMB,
      dbToRaw: sizes.dbBytes / m.blockBytes,
      verifyOnlyTxPerSec: verifyOnly.txs / verifyOnly.seconds,
      copyTxPerSec: index.txs / copy.seconds,
      ratioToVerifyOnly: idxTxs / (verifyOnly.txs / verifyOnly.seconds),
      ratioToCopy: idxTxs / (index.txs / copy.seconds),
      verifyShareOfIndexerCpu: index.verifyCpuMs / (index.cpuUserMs + index.cpuSysMs),
      decodeShareOfIndexerCpu: index.decodeCpuMs / (index.cpuUserMs + index.cpuSysMs),
      verifyShareOfAllCpu: index.verifyCpuMs / (index.cpuUserMs + index.cpuSysMs + (index.pgCpuSec ?? 0) * 1000),
      machineBusyPct: index.machineBusyPct ?? 0,
      pgCpuSec: index.pgCpuSec ?? NaN,
      pgCpuMsPerTx: ((index.pgCpuSec ?? NaN) * 1000) / index.txs,
      indexerCpuMsPerTx: (index.cpuUserMs + index.cpuSysMs) / index.txs,
      copyPgCpuSec: copy.pgCpuSec,
      loadAvgStart: index.loadAvg?.[0] ?? NaN,
      loadAvgEnd: index.loadAvg?.[1] ?? NaN,
    };
    return {
      machine: machine(),
      command: `npm run bench -- --only ingest-btc --txs ${o.txs} --seed ${o.seed} --batch-blocks ${o.batchBlocks} --batch-txs ${o.batchTxs} --concurrency ${o.concurrency}`,
      settings: o,
      chain: { tipHeight: m.tipHeight, blockBytes: m.blockBytes, genSeconds: m.genSeconds, genTxPerSec: m.genTxPerSec, genMBPerSec: m.genMBPerSec, stats: m.stats },
      verifyOnly, index, db: { ...sizes, ratioToRaw: sizes.dbBytes / m.blockBytes }, wal, copy, figures,
    };
  } finally {
    await db.stop();
  }
}

export function printIngestBtc(r: IngestBtcResult): void {
  const f = r.figures;
  console.log(`\ningest-btc: ${fmt(r.index.txs)} txs in ${fmt(r.index.blocks)} blocks (${fmt(r.chain.blockBytes / 1e6, 1)} MB raw), ${r.machine.cores} cores, ${r.machine.node}`);
  printTable([
    ["generator", `${fmt(r.chain.genTxPerSec)} tx/s, ${fmt(r.chain.genMBPerSec, 1)} MB/s (${fmt(r.chain.genSeconds, 1)} s)`],
    ["full index", `${fmt(r.index.seconds, 1)} s: ${fmt(f.blocksPerSec, 1)} blocks/s, ${fmt(f.txPerSec)} tx/s, ${fmt(f.mbPerSec, 1)} MB/s`],
    ["indexer RSS peak", `${fmt(f.indexerRssPeakMB)} MB`],
    ["CPU per tx", `indexer ${fmt(f.indexerCpuMsPerTx * 1000)} µs + PostgreSQL ${fmt(f.pgCpuMsPerTx * 1000)} µs (indexer ${fmt((r.index.cpuUserMs + r.index.cpuSysMs) / 1000, 1)} s, PostgreSQL ${fmt(f.pgCpuSec, 1)} s)`],
    ["machine", `busy ${fmt(f.machineBusyPct)}% of ${r.machine.cores} cores during the index (all processes); load average ${fmt(f.loadAvgStart, 1)} → ${fmt(f.loadAvgEnd, 1)}`],
    ...(r.wal ? [["WAL written", `${fmt(r.wal.bytes / 1e6, 0)} MB (${fmt(r.wal.bytes / r.chain.blockBytes, 2)} × raw), ${fmt(r.wal.fpi)} full-page images`] as [string, string]] : []),
    ["DB size / raw bytes", `${fmt(r.db.dbBytes / 1e6, 1)} MB / ${fmt(r.chain.blockBytes / 1e6, 1)} MB = ${fmt(f.dbToRaw, 2)}`],
    ["(a) parse+verify only", `${fmt(r.verifyOnly.seconds, 1)} s: ${fmt(f.verifyOnlyTxPerSec)} tx/s; ours ÷ limit = ${fmt(f.ratioToVerifyOnly, 2)}`],
    ["(b) COPY only", `${fmt(r.copy.seconds, 1)} s: ${fmt(f.copyTxPerSec)} tx/s; ours ÷ limit = ${fmt(f.ratioToCopy, 2)} (PostgreSQL CPU ${fmt(r.copy.pgCpuSec, 1)} s)`],
    ["verify share of CPU", `${fmt(100 * f.verifyShareOfIndexerCpu, 1)}% of the indexer's, ${fmt(100 * f.verifyShareOfAllCpu, 1)}% of indexer + PostgreSQL (decode = parse + txids: ${fmt(100 * f.decodeShareOfIndexerCpu, 1)}% of the indexer's); ${fmt(r.index.verifiedAhead ?? 0)} of ${fmt(r.index.blocks)} blocks hashed and verified on the worker thread (its busy time counted as verify)`],
    ...(r.index.utxoCache ? [["UTXO cache", `${fmt(r.index.utxoCache.hits)} inputs from memory, ${fmt(r.index.utxoCache.misses)} from the database; ${fmt(r.index.utxoCache.entries)} of ${fmt(r.index.utxoCache.capacity)} entries at the end`] as [string, string]] : []),
    ["write timings (ms)", JSON.stringify(Object.fromEntries(Object.entries(r.index.writeTimings ?? {}).map(([k, v]) => [k, Math.round(v)])))],
    ["write CPU (ms)", JSON.stringify(Object.fromEntries(Object.entries(r.index.writeCpu ?? {}).map(([k, v]) => [k, Math.round(v)])))],
    ["COPY per table (s)", JSON.stringify(Object.fromEntries(Object.entries(r.copy.perTable).map(([k, v]) => [k, Number(v.toFixed(2))])))],
    ["rows", JSON.stringify(Object.fromEntries(Object.entries(r.db.tables).map(([k, v]) => [k, v.rows])))],
    ["table MB", JSON.stringify(Object.fromEntries(Object.entries(r.db.tables).map(([k, v]) => [k, Math.round(v.bytes / 1e6)])))],
  ]);
}

if (isMain(import.meta.url)) {
  const phase = arg("phase", "");
  if (phase === "verify") {
    console.log(JSON.stringify(await phaseVerify(arg("dir", ""), Number(arg("tip", "0")), Number(arg("batch-blocks", String(DEFAULT_BATCH_BLOCKS))), Number(arg("batch-txs", String(DEFAULT_BATCH_TXS))))));
  } else if (phase === "index") {
    console.log(JSON.stringify(await phaseIndex(arg("dir", ""), arg("db", ""), Number(arg("tip", "0")), Number(arg("batch-blocks", String(DEFAULT_BATCH_BLOCKS))), Number(arg("batch-txs", String(DEFAULT_BATCH_TXS))), Number(arg("concurrency", "2")))));
    process.exit(0);
  } else {
    const r = await ingestBtc({ txs: Number(arg("txs", "2000000")), seed: Number(arg("seed", "1")), batchBlocks: Number(arg("batch-blocks", String(DEFAULT_BATCH_BLOCKS))), batchTxs: Number(arg("batch-txs", String(DEFAULT_BATCH_TXS))), concurrency: Number(arg("concurrency", "2")) });
    printIngestBtc(r);
    console.log(`saved ${saveResult(`ingest-btc-${r.settings.txs}`, r)}`);
  }
}
