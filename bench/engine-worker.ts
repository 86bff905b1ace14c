// Would moving decode/verify to a worker thread pay off? Measures, on the test chain: the main thread's
// per-block decode+verify cost alone, then a real indexing run's wall time and the CPU used by this process
// and by PostgreSQL. A worker only helps if the main thread is the bottleneck and a core sits idle.
// `npx tsx bench/engine-worker.ts [blocks]`
import { readdirSync, readFileSync } from "node:fs";
import { runChain } from "../indexer/engine/engine";
import { HttpSource, serveTestChain } from "../test/helpers/testchain/server";
import { TestChainAdapter } from "../test/helpers/testchain/adapter";
import { TestChain } from "../test/helpers/testchain/chain";
import { registerChain } from "../test/helpers/testchain/checksum";
import { toWire, fromWire } from "../test/helpers/testchain/wire";
import { startTestDb } from "../test/helpers/db";

const blocks = Number(process.argv[2] ?? 20_000);
const chain = new TestChain({ seed: "worker", height: blocks - 1 });
const adapter = new TestChainAdapter({ tip: async () => ({ height: 0, hash: new Uint8Array() }), hashAt: async () => new Uint8Array(), fetch: async () => [] });

// 1. Decode (JSON → block) + verify alone, what a worker would take off the main thread.
const wire = JSON.stringify(chain.blocks(0, 4_999).map(toWire));
let t = performance.now();
const decoded = (JSON.parse(wire) as ReturnType<typeof toWire>[]).map(fromWire);
decoded.forEach((b, i) => adapter.verify(b, i ? decoded[i - 1].header : undefined));
const decodeVerifyUs = ((performance.now() - t) * 1000) / decoded.length;

// 2. A real run over HTTP (decode on the main thread), with CPU split between this process and PostgreSQL.
const pgCpu = () => readdirSync("/proc").filter((p) => /^\d+$/.test(p)).reduce((sum, p) => {
  try {
    const stat = readFileSync(`/proc/${p}/stat`, "utf8");
    if (!stat.includes("(postgres)")) return sum;
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return sum + Number(f[11]) + Number(f[12]);
  } catch {
    return sum;
  }
}, 0) * 10; // clock ticks (100/s) → ms
const db = await startTestDb();
const server = await serveTestChain(chain);
try {
  await registerChain(db.sql, 1, "w");
  const pg0 = pgCpu();
  const cpu0 = process.cpuUsage();
  t = performance.now();
  await runChain({
    sql: db.sql, chain: { id: 1, slug: "w" }, adapter: new TestChainAdapter(new HttpSource(server.url)), batchBlocks: 500, concurrency: 3,
    pollMs: 100, onInvalid: "stop", signal: new AbortController().signal, log: () => {}, untilHeight: blocks - 1,
  });
  const wallMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const nodeMs = (cpu.user + cpu.system) / 1000;
  const pgMs = pgCpu() - pg0;
  console.log(JSON.stringify({
    blocks, decodeVerifyUsPerBlock: Number(decodeVerifyUs.toFixed(1)), decodeVerifyShareOfWall: Number(((decodeVerifyUs * blocks) / 1000 / wallMs).toFixed(3)),
    wallS: Number((wallMs / 1000).toFixed(1)), blocksPerSec: Math.round((blocks / wallMs) * 1000),
    nodeCpuCores: Number((nodeMs / wallMs).toFixed(2)), postgresCpuCores: Number((pgMs / wallMs).toFixed(2)),
  }));
} finally {
  await server.close();
  await db.stop();
}
