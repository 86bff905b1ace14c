// Share of the indexer's CPU spent hashing and verifying during a full Bitcoin index, from a V8 CPU profile of
// the real index run (engine + adapter + store into embedded PostgreSQL), plus sha256d via @noble/hashes vs
// node:crypto over the synthetic chain's transactions (the txid work of decode).
//
// Run: npm run bench -- --only ingest-verify-share --txs 50000
import { readdirSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import path from "node:path";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { parseBlkFile } from "../lib/bitcoin/blk";
import { parseBlock, txid } from "../lib/bitcoin/codec";
import { sha256d } from "../lib/bitcoin/hash";
import { verifyBlock } from "../lib/bitcoin/verify";
import { startTestDb } from "../test/helpers/db";
import { generateChain } from "./gen/index";
import { chainDir, type PhaseResult } from "./ingest-btc";
import { arg, fmt, isMain, machine, printTable, runPhase, saveResult, WORK } from "./gen/util";

interface ProfNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** Categories by the innermost matching frame on the stack (self time of a sample goes to the first match walking up). */
const CATEGORIES: [name: string, test: (fn: string, url: string) => boolean][] = [
  ["sha256 (node:crypto, lib/bitcoin/hash)", (_f, u) => u.endsWith("lib/bitcoin/hash.ts") || u === "node:internal/crypto/hash"],
  ["verify (lib/bitcoin/verify, merkle, witness, pow)", (_f, u) => /lib\/bitcoin\/(verify|merkle|witness|pow)\.ts$/.test(u)],
  ["decode (parse: codec, reader, header)", (_f, u) => /lib\/bitcoin\/(codec|reader|header)\.ts$/.test(u)],
  ["block stats (lib/bitcoin/stats)", (_f, u) => u.endsWith("lib/bitcoin/stats.ts")],
  ["store: rows/addresses/SQL building (indexer/store)", (_f, u) => u.includes("indexer/store/")],
  ["postgres.js driver", (_f, u) => u.includes("node_modules/postgres/")],
  ["GC", (f) => f === "(garbage collector)"],
];

/** Over the profiles of every thread of one run (the indexer's, and the worker that hashes and verifies ahead). */
export function summarizeProfile(files: string[]): { totalMs: number; idleMs: number; shares: Record<string, number>; hashPlusVerifyShare: number; verifyInclusiveShare: number } {
  const ms = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let verifyIncl = 0;
  for (const file of files) {
    const p = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfNode[]; samples: number[]; timeDeltas: number[] };
    // Modules loaded through tsx's API (the worker's) carry a query string.
    for (const n of p.nodes) n.callFrame.url = n.callFrame.url.split("?")[0];
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const catOf = new Map<number, string>();
    const underVerify = new Map<number, boolean>();
    const category = (id: number): string => {
      const hit = catOf.get(id);
      if (hit !== undefined) return hit;
      const n = byId.get(id)!;
      const own = CATEGORIES.find(([, t]) => t(n.callFrame.functionName, n.callFrame.url))?.[0];
      const pid = parent.get(id);
      const c = own ?? (pid === undefined ? "other" : category(pid));
      catOf.set(id, c);
      return c;
    };
    // Inclusive: anything below verifyBlock (what verification costs in total, on whichever thread).
    const inVerify = (id: number): boolean => {
      const hit = underVerify.get(id);
      if (hit !== undefined) return hit;
      const n = byId.get(id)!;
      const own = n.callFrame.functionName === "verifyBlock" && n.callFrame.url.endsWith("lib/bitcoin/verify.ts");
      const pid = parent.get(id);
      const v = own || (pid !== undefined && inVerify(pid));
      underVerify.set(id, v);
      return v;
    };
    p.samples.forEach((id, i) => {
      const dt = (p.timeDeltas[i] ?? 0) / 1000;
      const n = byId.get(id)!;
      if (n.callFrame.functionName === "(idle)") {
        idle += dt;
        return;
      }
      total += dt;
      const c = category(id);
      ms.set(c, (ms.get(c) ?? 0) + dt);
      if (inVerify(id)) verifyIncl += dt;
    });
  }
  const shares = Object.fromEntries([...ms].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / total]));
  const hashPlusVerifyShare = (ms.get(CATEGORIES[0][0]) ?? 0) / total + (ms.get(CATEGORIES[1][0]) ?? 0) / total;
  return { totalMs: total, idleMs: idle, shares, hashPlusVerifyShare, verifyInclusiveShare: verifyIncl / total };
}

/** sha256d of every tx of the first blocks of the chain: node:crypto (OpenSSL) vs @noble/hashes (pure JS). */
export function shaComparison(dir: string, maxTxs = 100_000): Record<string, number> {
  const file = readdirSync(dir).filter((f) => f.startsWith("blk")).sort()[0];
  const blk = parseBlkFile(new Uint8Array(readFileSync(path.join(dir, file))), { network: "regtest" });
  const txs: Uint8Array[] = [];
  for (const r of blk.records) {
    for (const t of parseBlock(r.block).txs) txs.push(t.raw);
    if (txs.length >= maxTxs) break;
  }
  const bytes = txs.reduce((n, t) => n + t.length, 0);
  const time = (fn: () => void) => {
    fn();
    const t0 = performance.now();
    fn();
    return (performance.now() - t0) / 1000;
  };
  const nodeS = time(() => { for (const t of txs) sha256d(t); });
  const nobleS = time(() => { for (const t of txs) nobleSha256(nobleSha256(t)); });
  const blocks = blk.records.slice(0, 20).map((r) => parseBlock(r.block));
  const verifyS = time(() => { for (const b of blocks) verifyBlock(b, { network: "regtest" }); });
  const vtx = blocks.reduce((n, b) => n + b.txs.length, 0);
  const txidS = time(() => { for (const b of blocks) b.txs.forEach(txid); });
  return {
    txs: txs.length, bytes,
    nodeCryptoTxPerSec: txs.length / nodeS, nodeCryptoMBPerSec: bytes / 1e6 / nodeS,
    nobleTxPerSec: txs.length / nobleS, nobleMBPerSec: bytes / 1e6 / nobleS,
    nodeOverNoble: nobleS / nodeS,
    verifyBlockTxPerSec: vtx / verifyS, txidTxPerSec: vtx / txidS,
  };
}

export async function verifyShare(o: { txs: number; seed: number; batchBlocks: number; log?: (s: string) => void }) {
  const log = o.log ?? ((s: string) => console.error(s));
  const dir = chainDir(o.txs, o.seed);
  const m = await generateChain(dir, o.txs, o.seed, log);
  const sha = shaComparison(dir);
  const profDir = path.join(WORK, "cpuprof");
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  const db = await startTestDb();
  try {
    await db.sql`insert into chain (id, slug, family, network, name) values (1, 'bench-btc', 'bitcoin', 'regtest', 'bench')`;
    log(`profiling a full index of ${fmt(m.stats.txs)} txs`);
    const index = await runPhase<PhaseResult>(
      "bench/ingest-btc.ts",
      ["--phase", "index", "--dir", dir, "--db", db.url, "--tip", String(m.tipHeight), "--batch-blocks", String(o.batchBlocks), "--concurrency", "2"],
      { log, nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profDir}`] },
    );
    const profs = readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile"));
    if (!profs.length) throw new Error("no CPU profile written");
    const summary = summarizeProfile(profs.map((f) => path.join(profDir, f)));
    const cpuMs = index.cpuUserMs + index.cpuSysMs;
    return {
      machine: machine(), command: `npm run bench -- --only ingest-verify-share --txs ${o.txs}`, txs: index.txs, seconds: index.seconds,
      inRun: {
        cpuMs, pgCpuMs: (index.pgCpuSec ?? NaN) * 1000, verifyCpuMs: index.verifyCpuMs, decodeCpuMs: index.decodeCpuMs,
        verifyShare: index.verifyCpuMs / cpuMs, decodeShare: index.decodeCpuMs / cpuMs, verifyShareWithPg: index.verifyCpuMs / (cpuMs + (index.pgCpuSec ?? 0) * 1000),
        verifyWallMs: index.verifyMs, decodeWallMs: index.decodeMs,
      },
      profile: summary, sha,
    };
  } finally {
    await db.stop();
  }
}

export function printVerifyShare(r: Awaited<ReturnType<typeof verifyShare>>): void {
  console.log(`\ningest-verify-share: ${fmt(r.txs)} txs indexed in ${fmt(r.seconds, 1)} s`);
  printTable([
    ["in-run CPU timers", `verify ${fmt(100 * r.inRun.verifyShare, 1)}% of indexer CPU (${fmt(100 * r.inRun.verifyShareWithPg, 1)}% of indexer + PostgreSQL), decode (parse + txids) ${fmt(100 * r.inRun.decodeShare, 1)}%`],
    ["profile: sha256 + verify self time", `${fmt(100 * r.profile.hashPlusVerifyShare, 1)}% of ${fmt(r.profile.totalMs / 1000, 1)} s busy CPU`],
    ["profile: under verifyBlock (inclusive)", `${fmt(100 * r.profile.verifyInclusiveShare, 1)}%`],
    ...Object.entries(r.profile.shares).map(([k, v]): [string, string] => [`  ${k}`, `${fmt(100 * v, 1)}%`]),
    ["sha256d node:crypto", `${fmt(r.sha.nodeCryptoTxPerSec)} tx/s, ${fmt(r.sha.nodeCryptoMBPerSec, 1)} MB/s`],
    ["sha256d @noble/hashes", `${fmt(r.sha.nobleTxPerSec)} tx/s, ${fmt(r.sha.nobleMBPerSec, 1)} MB/s (node:crypto ${fmt(r.sha.nodeOverNoble, 1)}x faster)`],
    ["verifyBlock alone", `${fmt(r.sha.verifyBlockTxPerSec)} tx/s; txids alone ${fmt(r.sha.txidTxPerSec)} tx/s`],
  ]);
}

if (isMain(import.meta.url)) {
  const r = await verifyShare({ txs: Number(arg("txs", "50000")), seed: Number(arg("seed", "1")), batchBlocks: Number(arg("batch-blocks", "25")) });
  printVerifyShare(r);
  console.log(`saved ${saveResult(`ingest-verify-share-${r.txs}`, r)}`);
}
