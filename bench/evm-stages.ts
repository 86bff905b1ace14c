// CPU per tx of each EVM index stage on data already in memory, so the node's own CPU (anvil on the same two
// cores) and network waits are out of the figures: generates anvil traffic, fetches every block once through the
// adapter, stops anvil, then times on this thread (warm, best of several rounds): JSON parse of the node's
// answers, tx encoding, the sender-recovery inputs (signing hashes), verifyEvmBlock, decodeTransfers; and the
// engine end to end from memory (verify + write + analytics + checkpoint into embedded PostgreSQL), with this
// process's and PostgreSQL's CPU per tx.
// Run: npx tsx bench/evm-stages.ts [blocks=300] [--rounds=5]
import { Session } from "node:inspector/promises";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runChain } from "../indexer/engine/engine";
import type { ChainAdapter, Tx } from "../indexer/engine/adapter";
import { startAnvil } from "../indexer/devnet/anvil";
import { Traffic } from "../indexer/devnet/traffic";
import { createEvmAdapter, verifyEvmBlock, type EvmSourceBlock } from "../indexer/sources/evm-adapter";
import { recoverSendersOffThread } from "../indexer/sources/evm-senders";
import { signatureOf, signingHashFromEncoded } from "../lib/evm/sender";
import { encodeTransaction } from "../lib/evm/tx";
import { decodeTransfers } from "../lib/evm/transfers";
import type { RpcTransaction } from "../lib/evm/types";
import { startTestDb } from "../test/helpers/db";
import { cpuNow, cpuSince, loadAverage } from "./evm-cpu";
import { WORK } from "./gen/util";

const BLOCKS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 300);
const ROUNDS = Number(process.argv.find((a) => a.startsWith("--rounds="))?.slice(9) ?? 5);

const anvil = await startAnvil({ blockTime: "manual" });
const db = await startTestDb();
try {
  const traffic = new Traffic({ rpcUrl: anvil.url, seed: 7 });
  await traffic.generate(BLOCKS);
  const source = createEvmAdapter({ startHeight: 0 }, { chainId: 99, rpcUrl: anvil.url, checkSenders: true });
  const blocks: EvmSourceBlock[] = [];
  for (let h = 0; h <= BLOCKS; h += 50) blocks.push(...(await source.fetch(h, Math.min(h + 49, BLOCKS))));
  const txs = blocks.reduce((n, b) => n + b.block.transactions.length, 0);
  const allTxs = blocks.flatMap((b) => b.block.transactions as RpcTransaction[]);
  // The node's answers as text, to time the parse the fetch pays.
  const blockJson = blocks.map((b) => JSON.stringify({ jsonrpc: "2.0", id: 1, result: b.block }));
  const receiptJson = blocks.map((b) => JSON.stringify({ jsonrpc: "2.0", id: 1, result: b.receipts }));
  console.log(`${BLOCKS} blocks, ${txs} txs in memory; load ${loadAverage().join(" ")}`);

  /** Best of ROUNDS (after one warm-up) of this thread's CPU, µs per tx. */
  const time = (name: string, f: () => unknown) => {
    f();
    let best = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      const c = process.cpuUsage();
      f();
      const u = process.cpuUsage(c);
      best = Math.min(best, u.user + u.system);
    }
    console.log(`  ${name.padEnd(40)} ${(best / txs).toFixed(1).padStart(7)} µs/tx`);
  };
  console.log("this thread, warm, best of rounds:");
  time("JSON.parse blocks + receipts", () => {
    for (const s of blockJson) JSON.parse(s);
    for (const s of receiptJson) JSON.parse(s);
  });
  time("encodeTransaction", () => allTxs.forEach((t) => encodeTransaction(t)));
  const encoded = blocks.flatMap((b) => b.rawTxs!);
  time("signing hash + signature (recovery input)", () => allTxs.forEach((t, i) => (signatureOf(t), signingHashFromEncoded(t, encoded[i]!))));
  time("verifyEvmBlock (with senders)", () => blocks.forEach((b, i) => verifyEvmBlock(b, blocks[i - 1]?.header)));
  time("decodeTransfers", () => blocks.forEach((b) => decodeTransfers(b.receipts.flatMap((r) => r.logs))));
  {
    const c = process.cpuUsage();
    const t = performance.now();
    await recoverSendersOffThread(allTxs, encoded);
    const u = process.cpuUsage(c);
    console.log(`  ${"recoverSendersOffThread (process CPU)".padEnd(40)} ${((u.user + u.system) / txs).toFixed(1).padStart(7)} µs/tx (wall ${(((performance.now() - t) * 1000) / txs).toFixed(1)})`);
  }
  await anvil.stop();

  // The engine from memory: everything the index does after the fetch.
  const fromMemory: ChainAdapter<EvmSourceBlock> = {
    ...source,
    async tip() {
      const b = blocks[blocks.length - 1].header;
      return { height: b.height, hash: b.hash };
    },
    async hashAt(h) {
      return blocks[h].header.hash;
    },
    async fetch(from, to) {
      return blocks.slice(from, to + 1);
    },
  };
  console.log("engine from memory (verify + write), per run: this process and PostgreSQL CPU µs/tx, wall:");
  // --profile: the V8 sampling profiler over the measured runs (not the warm-up), saved for DevTools or a summary.
  const session = process.argv.includes("--profile") ? new Session() : undefined;
  for (let id = 1; id <= ROUNDS + 1; id++) {
    if (session && id === 2) {
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 100 });
      await session.post("Profiler.start");
    }
    await db.sql`insert into chain (id, slug, family, network, name) values (${id}, ${`stages${id}`}, 'evm', 'devnet', 'stages')`;
    const cpu = cpuNow(anvil.pid);
    const t = performance.now();
    await runChain({
      sql: db.sql, chain: { id, slug: `stages${id}` }, adapter: fromMemory, batchBlocks: 50, concurrency: 2, pollMs: 100, onInvalid: "stop",
      signal: new AbortController().signal, untilHeight: BLOCKS, log: () => {}, progressOut: { isTTY: false, write: () => true },
    });
    const wall = performance.now() - t;
    const used = cpuSince(cpu, anvil.pid);
    console.log(`  run ${id}${id === 1 ? " (warm-up)" : ""}: node ${((used.node * 1e6) / txs).toFixed(0)} pg ${((used.postgres * 1e6) / txs).toFixed(0)} µs/tx, ${((txs / wall) * 1000).toFixed(0)} tx/s`);
  }
  if (session) {
    const { profile } = await session.post("Profiler.stop");
    const file = path.join(WORK, "profiles", `evm-stages-${BLOCKS}-${Date.now()}.cpuprofile`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    console.log(`profile: ${file}`);
  }
  if (process.argv.includes("--statements")) {
    // Wall ms per statement (PostgreSQL's work plus one round trip each), summed over a run.
    const spent = new Map<string, number>();
    const time = (q: Promise<unknown>, text: string) => {
      const key = text.replace(/\s+/g, " ").trim().slice(0, 48);
      const t = performance.now();
      return q.then((r) => {
        spent.set(key, (spent.get(key) ?? 0) + performance.now() - t);
        return r;
      });
    };
    const timed = (tx: Tx): Tx =>
      new Proxy(tx, {
        apply: (target, self, args) => time(Reflect.apply(target, self, args) as Promise<unknown>, String((args[0] as TemplateStringsArray)[0])),
        get(target, key, recv) {
          const v = Reflect.get(target, key, recv);
          // COPY's query is used as a stream (.writable()): its time shows as the probe after it ("select 1").
          if (key !== "unsafe") return typeof v === "function" ? v.bind(target) : v;
          return (text: string, ...rest: unknown[]) => (/^\s*copy/i.test(text) ? v.call(target, text, ...rest) : time(v.call(target, text, ...rest), text));
        },
      });
    const id = ROUNDS + 2;
    await db.sql`insert into chain (id, slug, family, network, name) values (${id}, ${`stages${id}`}, 'evm', 'devnet', 'stages')`;
    // Every statement of the batch transactions (engine, store, analytics, checkpoint), and the commit itself.
    const sql = new Proxy(db.sql, {
      get(target, key, recv) {
        if (key !== "begin") return Reflect.get(target, key, recv);
        return async (fn: (tx: Tx) => Promise<unknown>) => {
          let t = 0;
          const r = await target.begin(async (tx) => {
            const out = await fn(timed(tx as Tx));
            t = performance.now();
            return out;
          });
          spent.set("(commit)", (spent.get("(commit)") ?? 0) + performance.now() - t);
          return r;
        };
      },
    });
    await runChain({
      sql, chain: { id, slug: `stages${id}` }, adapter: fromMemory, batchBlocks: 50,
      concurrency: 2, pollMs: 100, onInvalid: "stop", signal: new AbortController().signal, untilHeight: BLOCKS, log: () => {}, progressOut: { isTTY: false, write: () => true },
    });
    console.log("statements of the batch transactions, wall µs/tx (PostgreSQL's work plus a round trip each):");
    for (const [k, ms] of [...spent].sort((a, b) => b[1] - a[1])) console.log(`  ${((ms * 1000) / txs).toFixed(1).padStart(7)}  ${k}`);
  }
  console.log(`load ${loadAverage().join(" ")}`);
} finally {
  await anvil.stop().catch(() => {});
  await db.stop();
}
process.exit(0);
