// Where EVM index time goes: generates anvil traffic, then runs the full index (engine + EVM adapter, senders
// checked) under the V8 sampling profiler (node:inspector) with the adapter's stage timers, and prints self time
// by area, the top functions, stage wall times and CPU per process. The .cpuprofile is kept for DevTools.
// Run: npx tsx bench/evm-profile.ts [blocks=300] [--senders=false]
import { Session } from "node:inspector/promises";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runChain } from "../indexer/engine/engine";
import { startAnvil } from "../indexer/devnet/anvil";
import { Traffic } from "../indexer/devnet/traffic";
import { createEvmAdapter, type EvmTimings } from "../indexer/sources/evm-adapter";
import { startTestDb } from "../test/helpers/db";
import { cpuNow, cpuSince, loadAverage } from "./evm-cpu";
import { WORK } from "./gen/util";

const BLOCKS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 300);
const SENDERS = !process.argv.includes("--senders=false");

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Areas by script URL (and V8's pseudo-frames), first match wins. */
const AREAS: [string, RegExp][] = [
  ["idle", /^\(idle\)$/],
  ["gc", /^\(garbage collector\)$/],
  ["senders (secp256k1)", /secp256k1|evm-senders|lib\/evm\/sender/i],
  ["keccak", /lib\/evm\/keccak/],
  ["rlp", /lib\/evm\/rlp/],
  ["trie", /lib\/evm\/trie/],
  ["lib/evm other", /lib\/evm\//],
  ["store/evm", /indexer\/store\/evm/],
  ["analytics", /indexer\/store\/analytics/],
  ["adapter", /indexer\/sources\/evm-adapter/],
  ["rpc", /indexer\/sources\/evm-rpc/],
  ["engine", /indexer\/engine\//],
  ["postgres.js", /node_modules\/postgres\//],
  ["undici/http", /undici|node:internal\/deps|node:_http|node:net|node:internal\/stream/],
  ["node internals", /^node:/],
  ["other js", /./],
  ["native/program", /^$/],
];

function summarize(p: Profile) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const key = url || functionName;
    const area = AREAS.find(([, re]) => re.test(key))?.[0] ?? "other";
    areas.set(area, (areas.get(area) ?? 0) + us);
    const fn = `${functionName || "(anonymous)"} ${url.replace(/^.*\/(wt-evm|node_modules)\//, "")}:${lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    total += us;
  }
  return { total, areas: [...areas].sort((a, b) => b[1] - a[1]), fns: [...fns].sort((a, b) => b[1] - a[1]).slice(0, 30) };
}

const anvil = await startAnvil({ blockTime: "manual" });
const db = await startTestDb();
try {
  const traffic = new Traffic({ rpcUrl: anvil.url, seed: 7 });
  await traffic.generate(BLOCKS);
  console.log(`generated ${BLOCKS} blocks, ${traffic.sent.total} txs ${JSON.stringify(traffic.sent.byType)}; load ${loadAverage().join(" ")}`);
  await db.sql`insert into chain (id, slug, family, network, name) values (1, 'prof', 'evm', 'devnet', 'prof')`;

  const timings: EvmTimings = { fetchMs: 0, recoverMs: 0, verifyMs: 0, writeMs: 0 };
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  const cpu0 = cpuNow(anvil.pid);
  const t0 = performance.now();
  await runChain({
    sql: db.sql, chain: { id: 1, slug: "prof" }, adapter: createEvmAdapter({ startHeight: 0 }, { chainId: 1, rpcUrl: anvil.url, checkSenders: SENDERS, timings }),
    batchBlocks: 50, concurrency: 2, pollMs: 100, onInvalid: "stop", signal: new AbortController().signal, untilHeight: BLOCKS, log: () => {},
    progressOut: { isTTY: false, write: () => true },
  });
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSince(cpu0, anvil.pid);
  const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
  const [r] = await db.sql`select count(*)::int as txs from evm_tx where chain_id = 1`;
  const txs = r.txs as number;

  const dir = path.join(WORK, "profiles");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `evm-index-${BLOCKS}-${Date.now()}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));

  const us = (ms: number) => `${((ms * 1000) / txs).toFixed(0)} µs/tx`;
  console.log(`full index (senders ${SENDERS ? "checked" : "not checked"}): ${secs.toFixed(2)} s, ${(txs / secs).toFixed(0)} tx/s; load ${loadAverage().join(" ")}`);
  console.log(`CPU µs/tx: node ${us(cpu.node * 1000)}, anvil ${us(cpu.anvil * 1000)}, postgres ${us(cpu.postgres * 1000)}`);
  console.log(`stages (wall, summed; fetches overlap): fetch ${us(timings.fetchMs)}, recover ${us(timings.recoverMs)}, verify ${us(timings.verifyMs)}, store write ${us(timings.writeMs)}`);
  const s = summarize(profile);
  console.log(`\nself time by area (of ${(s.total / 1e6).toFixed(2)} s on the main thread):`);
  for (const [a, t] of s.areas) console.log(`  ${a.padEnd(22)} ${(t / 1e3).toFixed(0).padStart(6)} ms ${((100 * t) / s.total).toFixed(1).padStart(5)}%  ${((t / txs)).toFixed(0).padStart(5)} µs/tx`);
  console.log(`\ntop functions by self time:`);
  for (const [f, t] of s.fns) console.log(`  ${(t / 1e3).toFixed(0).padStart(6)} ms  ${f}`);
  console.log(`\nprofile: ${file}`);
} finally {
  await anvil.stop();
  await db.stop();
}
process.exit(0);
