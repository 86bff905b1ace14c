// EVM ingest vs its fetch-only limit, against a real anvil with generated devnet traffic (indexer/devnet). Two
// definitions of "fetch only", both over the ranges the engine asks for, with its fetch concurrency:
//   fetch only (adapter): the adapter's fetchEvmRange, i.e. every JSON-RPC call the index makes (blocks with txs,
//               receipts, uncles, native balances of touched addresses, token metadata), without encoding txs or
//               recovering senders (verification work). The ratio the target is stated against: same node, same
//               requests.
//   fetch only (chain data): blocks with txs + their receipts and nothing else (same client, batch size and
//               concurrency): the node delivering the chain itself, a stricter limit; balances and token
//               metadata are state the index adds on top, so the ratio against this one is lower;
//   full index: runChain + the EVM adapter (fetch, verify incl. sender recovery, write) into embedded PostgreSQL;
//               also with sender checks off, to show what secp256k1 recovery costs (after a short warm-up run);
//   per run: CPU µs/tx of this process, anvil and PostgreSQL, load average, adapter stage timers; and sender
//   recovery alone in µs/tx (viem/noble as before, libsecp256k1 in-thread and on the worker).
// The machine is usually shared: compare CPU per tx as well as tx/s. bench/evm-profile.ts profiles the index.
// Run: npm run bench -- --only ingest-evm [--blocks 300]
import { startAnvil } from "../indexer/devnet/anvil";
import { Traffic } from "../indexer/devnet/traffic";
import { runChain } from "../indexer/engine/engine";
import { createEvmAdapter, type EvmSourceBlock, type EvmTimings } from "../indexer/sources/evm-adapter";
import { recoverSenders, recoverSendersOffThread, senderBackend } from "../indexer/sources/evm-senders";
import { EvmRpc, fetchEvmRange, hexQ, type TokenMeta } from "../indexer/sources/evm-rpc";
import type { RpcBlock, RpcReceipt, RpcTransaction } from "../lib/evm/types";
import { cpuNow, cpuSince, loadAverage, type CpuSample } from "./evm-cpu";
import { startTestDb } from "../test/helpers/db";
import { arg, fmt, isMain, machine, printTable, saveResult } from "./gen/util";

interface Run {
  seconds: number;
  blocks: number;
  txs: number;
  blocksPerSec: number;
  txPerSec: number;
  /** CPU microseconds per tx of this process (all threads), anvil and PostgreSQL (postmaster + backends). */
  cpuUsPerTx: CpuSample;
  /** Load average (1, 5, 15 min) at the end of the run: the machine is shared. */
  load: number[];
  /** Adapter stage wall time per tx (summed over concurrent fetches, so fetch overlaps the rest). */
  stagesUsPerTx?: EvmTimings;
}

export async function ingestEvm(o: { blocks: number; batchBlocks: number; concurrency: number; log?: (s: string) => void }) {
  const log = o.log ?? ((s: string) => console.error(s));
  const anvil = await startAnvil({ blockTime: "manual" });
  const db = await startTestDb();
  const quiet = { isTTY: false, write: () => true };
  try {
    let t0 = performance.now();
    const traffic = new Traffic({ rpcUrl: anvil.url, seed: 7 });
    await traffic.generate(o.blocks);
    const genSeconds = (performance.now() - t0) / 1000;
    log(`generated ${o.blocks} blocks, ${traffic.sent.total} txs in ${fmt(genSeconds, 1)} s`);
    const tip = o.blocks;
    const run = (seconds: number, blocks: EvmSourceBlock[] | number, txs: number, cpu: CpuSample, timings?: EvmTimings): Run => {
      const n = typeof blocks === "number" ? blocks : blocks.length;
      const per = (x: number) => Math.round(x / txs);
      return {
        seconds, blocks: n, txs, blocksPerSec: n / seconds, txPerSec: txs / seconds,
        cpuUsPerTx: { node: per(cpu.node * 1e6), anvil: per(cpu.anvil * 1e6), postgres: per(cpu.postgres * 1e6) }, load: loadAverage(),
        stagesUsPerTx: timings && { fetchMs: per(timings.fetchMs * 1e3), recoverMs: per(timings.recoverMs * 1e3), verifyMs: per(timings.verifyMs * 1e3), writeMs: per(timings.writeMs * 1e3) },
      };
    };

    // Fetch only: the engine's ranges and fetch-ahead concurrency, no verify, no write.
    const fetchRanges = async (fetchRange: (from: number, to: number) => Promise<number[]>): Promise<Run> => {
      const ranges: [number, number][] = [];
      for (let a = 0; a <= tip; a += o.batchBlocks) ranges.push([a, Math.min(a + o.batchBlocks - 1, tip)]);
      let next = 0;
      let blocks = 0;
      let txs = 0;
      const cpu = cpuNow(anvil.pid);
      const t = performance.now();
      await Promise.all(
        Array.from({ length: o.concurrency }, async () => {
          while (next < ranges.length) {
            const got = await fetchRange(...ranges[next++]);
            blocks += got.length;
            txs += got.reduce((n, c) => n + c, 0);
          }
        }),
      );
      return run((performance.now() - t) / 1000, blocks, txs, cpuSince(cpu, anvil.pid));
    };
    // fetchEvmRange is the adapter's fetch without the tx encoding and sender recovery it starts on the blocks
    // (verification work): the same calls, token cache and receipts method discovery.
    const fetchOnly = () => {
      const rpc = new EvmRpc({ url: anvil.url });
      const tokenCache = new Map<string, TokenMeta>();
      const support = {};
      return fetchRanges(async (from, to) => (await fetchEvmRange(rpc, from, to, { tokenCache, support })).map((b) => b.block.transactions.length));
    };
    // The adapter's EvmRpc defaults (batch size, requests in flight), receipts by block hash as the adapter asks.
    const fetchChainData = () => {
      const rpc = new EvmRpc({ url: anvil.url });
      return fetchRanges(async (from, to) => {
        const heights = Array.from({ length: to - from + 1 }, (_, i) => from + i);
        const blocks = await rpc.batchOrThrow<RpcBlock>(heights.map((h) => ({ method: "eth_getBlockByNumber", params: [hexQ(h), true] })));
        const withTxs = blocks.filter((b) => b.transactions.length);
        const receipts = await rpc.batchOrThrow<RpcReceipt[]>(withTxs.map((b) => ({ method: "eth_getBlockReceipts", params: [b.hash] })));
        if (receipts.reduce((n, r) => n + r.length, 0) !== withTxs.reduce((n, b) => n + b.transactions.length, 0)) throw new Error("receipts missing");
        return blocks.map((b) => b.transactions.length);
      });
    };
    const fetch1 = await fetchOnly();
    log(`fetch only (adapter): ${fmt(fetch1.txPerSec)} tx/s`);
    const data1 = await fetchChainData();
    log(`fetch only (chain data: blocks + receipts): ${fmt(data1.txPerSec)} tx/s`);

    const full = async (id: number, checkSenders: boolean, until = tip): Promise<Run> => {
      await db.sql`insert into chain (id, slug, family, network, name) values (${id}, ${`bench-evm${id}`}, 'evm', 'devnet', 'bench')`;
      const timings: EvmTimings = { fetchMs: 0, recoverMs: 0, verifyMs: 0, writeMs: 0 };
      const cpu = cpuNow(anvil.pid);
      const t = performance.now();
      await runChain({
        sql: db.sql, chain: { id, slug: `bench-evm${id}` }, adapter: createEvmAdapter({ startHeight: 0 }, { chainId: id, rpcUrl: anvil.url, checkSenders, timings }),
        batchBlocks: o.batchBlocks, concurrency: o.concurrency, pollMs: 100, onInvalid: "stop", signal: new AbortController().signal,
        untilHeight: until, log: () => {}, progressOut: quiet,
      });
      const seconds = (performance.now() - t) / 1000;
      const used = cpuSince(cpu, anvil.pid);
      const [r] = await db.sql`select count(*)::int as txs from evm_tx where chain_id = ${id}`;
      return run(seconds, tip + 1, r.txs, used, timings);
    };
    // Warm-up (JIT, PostgreSQL caches) on a chain of its own, so the first measured run does not pay for it alone.
    await full(3, true, Math.min(tip, 2 * o.batchBlocks));
    const indexDefault = await full(1, true);
    log(`full index (senders checked): ${fmt(indexDefault.txPerSec)} tx/s`);
    const indexNoSenders = await full(2, false);
    log(`full index (senders not checked): ${fmt(indexNoSenders.txPerSec)} tx/s`);
    t0 = performance.now();
    const fetch2 = await fetchOnly(); // again, after the node's caches are warm as they were for the index runs
    const fetchBest = fetch2.seconds < fetch1.seconds ? fetch2 : fetch1;
    const data2 = await fetchChainData();
    const dataBest = data2.seconds < data1.seconds ? data2 : data1;
    const recovery = await recoveryCost(anvil.url, tip);
    log(`sender recovery: ${JSON.stringify(recovery)}`);
    return {
      machine: machine(),
      command: `npm run bench -- --only ingest-evm --blocks ${o.blocks}`,
      settings: o, generated: { blocks: o.blocks, txs: traffic.sent.total, byType: traffic.sent.byType, seconds: genSeconds },
      fetchOnly: fetchBest, fetchRuns: [fetch1, fetch2], fetchChainData: dataBest, fetchChainDataRuns: [data1, data2], indexDefault, indexNoSenders, recovery,
      figures: {
        ratioDefault: indexDefault.txPerSec / fetchBest.txPerSec, ratioNoSenders: indexNoSenders.txPerSec / fetchBest.txPerSec,
        ratioChainData: indexDefault.txPerSec / dataBest.txPerSec,
      },
    };
  } finally {
    await anvil.stop();
    await db.stop();
  }
}

/** Sender recovery alone on the devnet's txs, µs a tx (wall; this thread's CPU for the in-thread ones): viem's
 *  recoverAddress as the adapter used before, the in-thread path, and the worker path the adapter uses. */
async function recoveryCost(rpcUrl: string, tip: number) {
  const adapter = createEvmAdapter({ startHeight: 0 }, { chainId: 9, rpcUrl, checkSenders: false });
  const txs = (await adapter.fetch(Math.max(0, tip - 49), tip)).flatMap((b) => b.block.transactions as RpcTransaction[]);
  const time = async (f: (t: RpcTransaction[]) => Promise<string[]>, sample: RpcTransaction[]) => {
    const c = process.cpuUsage();
    const t = performance.now();
    const got = await f(sample);
    const wall = ((performance.now() - t) * 1000) / sample.length;
    const cu = process.cpuUsage(c);
    if (got.some((a, i) => a !== sample[i].from!.toLowerCase())) throw new Error("recovery disagrees with the node's from");
    return { wallUs: Math.round(wall), processCpuUs: Math.round((cu.user + cu.system) / sample.length) };
  };
  const few = txs.slice(0, 200);
  return {
    backend: senderBackend, txs: txs.length,
    viemNoble: await time((t) => recoverSenders(t, { backend: "noble" }), few),
    nativeInThread: await time((t) => recoverSenders(t), txs),
    nativeWorker: await time(recoverSendersOffThread, txs),
  };
}

export function printEvm(r: Awaited<ReturnType<typeof ingestEvm>>): void {
  console.log(`\ningest-evm: ${r.generated.blocks} anvil blocks, ${fmt(r.generated.txs)} txs ${JSON.stringify(r.generated.byType)}`);
  const line = (x: Run) =>
    `${fmt(x.seconds, 2)} s  ${fmt(x.blocksPerSec, 1)} blocks/s  ${fmt(x.txPerSec)} tx/s  CPU µs/tx node ${x.cpuUsPerTx.node} anvil ${x.cpuUsPerTx.anvil} pg ${x.cpuUsPerTx.postgres}  load ${x.load[0]}`;
  const stages = (x: Run) => (x.stagesUsPerTx ? `fetch ${x.stagesUsPerTx.fetchMs} (overlaps), recover ${x.stagesUsPerTx.recoverMs}, verify ${x.stagesUsPerTx.verifyMs}, store ${x.stagesUsPerTx.writeMs}` : "");
  printTable([
    ["fetch only, adapter (best of 2)", line(r.fetchOnly)],
    ["fetch only, blocks + receipts (best of 2)", line(r.fetchChainData)],
    ["full index, senders checked", `${line(r.indexDefault)}  ÷ fetch-only = ${fmt(r.figures.ratioDefault, 2)} (÷ blocks + receipts = ${fmt(r.figures.ratioChainData, 2)})`],
    ["full index, senders not checked", `${line(r.indexNoSenders)}  ÷ fetch-only = ${fmt(r.figures.ratioNoSenders, 2)}`],
    ["stages µs/tx (senders checked)", stages(r.indexDefault)],
    ["stages µs/tx (not checked)", stages(r.indexNoSenders)],
    [`recovery µs/tx (${r.recovery.backend})`, `viem/noble ${r.recovery.viemNoble.wallUs}, native in-thread ${r.recovery.nativeInThread.wallUs}, native worker ${r.recovery.nativeWorker.wallUs} (process CPU incl. worker ${r.recovery.nativeWorker.processCpuUs})`],
  ]);
}

if (isMain(import.meta.url)) {
  const r = await ingestEvm({ blocks: Number(arg("blocks", "300")), batchBlocks: Number(arg("batch-blocks", "50")), concurrency: Number(arg("concurrency", "2")) });
  printEvm(r);
  console.log(`saved ${saveResult(`ingest-evm-${r.settings.blocks}`, r)}`);
  process.exit(0);
}
