// EVM ingest throughput against a real anvil with generated traffic, into embedded PostgreSQL:
//  1. fetch only (JSON-RPC: blocks, receipts, balances, token metadata), ranges as the engine asks for them;
//  2. the same plus sender recovery (secp256k1 per tx);
//  3. verify only (lib/evm verifyBlock + receipt fields) on the fetched blocks;
//  4. the engine end to end (runChain: fetch, verify, write), without and with sender checks;
//  5. the store alone on real mainnet blocks (test fixtures, 38–184 txs each).
// Run: npx tsx bench/evm-ingest.ts [blocks=300]
import { readFileSync } from "node:fs";
import path from "node:path";
import { runChain } from "../indexer/engine/engine";
import type { IdCounters } from "../indexer/engine/adapter";
import { startAnvil } from "../indexer/devnet/anvil";
import { Traffic } from "../indexer/devnet/traffic";
import { createEvmAdapter, type EvmSourceBlock } from "../indexer/sources/evm-adapter";
import { writeEvmBlocks } from "../indexer/store/evm";
import { decodeTransfers } from "../lib/evm/transfers";
import type { RpcBlock, RpcReceipt } from "../lib/evm/types";
import { hexToBytes } from "../lib/bytes";
import { startTestDb } from "../test/helpers/db";

const BLOCKS = Number(process.argv[2] ?? 300);
const RANGE = 50;
const CONCURRENCY = 2;

const anvil = await startAnvil({ blockTime: "manual" });
const db = await startTestDb();
const quiet = { isTTY: false, write: () => true };
const line = (name: string, secs: number, blocks: number, txs: number) =>
  console.log(`${name.padEnd(46)} ${secs.toFixed(2).padStart(7)} s ${(blocks / secs).toFixed(0).padStart(6)} blocks/s ${(txs / secs).toFixed(0).padStart(7)} tx/s`);

try {
  let t0 = performance.now();
  const traffic = new Traffic({ rpcUrl: anvil.url });
  await traffic.generate(BLOCKS);
  console.log(`generated ${BLOCKS} blocks, ${traffic.sent.total} txs (types ${JSON.stringify(traffic.sent.byType)}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const fetchAll = async (checkSenders: boolean): Promise<EvmSourceBlock[]> => {
    const adapter = createEvmAdapter({ startHeight: 0 }, { chainId: 1, rpcUrl: anvil.url, checkSenders });
    const ranges: [number, number][] = [];
    for (let a = 0; a <= BLOCKS; a += RANGE) ranges.push([a, Math.min(a + RANGE - 1, BLOCKS)]);
    const out: EvmSourceBlock[][] = new Array(ranges.length);
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < ranges.length) {
        const i = next++;
        out[i] = await adapter.fetch(...ranges[i]);
      }
    }));
    return out.flat();
  };

  t0 = performance.now();
  const blocks = await fetchAll(false);
  const txs = blocks.reduce((n, b) => n + b.header.txCount, 0);
  line("fetch only", (performance.now() - t0) / 1000, blocks.length, txs);

  t0 = performance.now();
  const withSenders = await fetchAll(true);
  line("fetch + sender recovery", (performance.now() - t0) / 1000, blocks.length, txs);

  const adapter = createEvmAdapter({ startHeight: 0 }, { chainId: 1, rpcUrl: anvil.url });
  t0 = performance.now();
  let parent: EvmSourceBlock["header"] | undefined;
  for (const b of withSenders) {
    if (!adapter.verify(b, parent).ok) throw new Error(`block ${b.header.height} failed verification`);
    parent = b.header;
  }
  line("verify only (incl. sender comparison)", (performance.now() - t0) / 1000, blocks.length, txs);

  for (const [id, checkSenders] of [[1, false], [2, true]] as const) {
    await db.sql`insert into chain (id, slug, family, network, name) values (${id}, ${`bench${id}`}, 'evm', 'devnet', 'bench')`;
    t0 = performance.now();
    await runChain({
      sql: db.sql, chain: { id, slug: `bench${id}` }, adapter: createEvmAdapter({ startHeight: 0 }, { chainId: id, rpcUrl: anvil.url, checkSenders }),
      batchBlocks: RANGE, concurrency: CONCURRENCY, pollMs: 100, onInvalid: "stop", signal: new AbortController().signal, untilHeight: BLOCKS,
      log: () => {}, progressOut: quiet,
    });
    line(`engine end to end, senders ${checkSenders ? "checked" : "not checked"}`, (performance.now() - t0) / 1000, blocks.length, txs);
  }

  // The store alone on real mainnet blocks.
  const dir = path.resolve(import.meta.dirname, "../test/fixtures/chaindata/ethereum");
  const index = JSON.parse(readFileSync(path.join(dir, "index.json"), "utf8")) as { file: string; receipts_file: string | null }[];
  const real: EvmSourceBlock[] = index.filter((r) => r.receipts_file).map((r) => {
    const block = JSON.parse(readFileSync(path.join(dir, r.file), "utf8")) as RpcBlock;
    const receipts = JSON.parse(readFileSync(path.join(dir, r.receipts_file!), "utf8")) as RpcReceipt[];
    return {
      header: { height: Number(block.number), hash: hexToBytes(block.hash), parentHash: hexToBytes(block.parentHash), time: Number(block.timestamp), txCount: block.transactions.length, size: 0 },
      block, receipts, uncles: [], transfers: decodeTransfers(receipts.flatMap((x) => x.logs)), balances: new Map(), tokens: new Map(),
    };
  }).sort((a, b) => a.header.height - b.header.height);
  const realTxs = real.reduce((n, b) => n + b.header.txCount, 0);
  const ids: IdCounters = { chainId: 3, nextTxSeq: 0n, nextAddrSeq: 0n };
  t0 = performance.now();
  await db.sql.begin((tx) => writeEvmBlocks(tx, ids, real));
  line(`store only, ${real.length} mainnet blocks`, (performance.now() - t0) / 1000, real.length, realTxs);
} finally {
  await anvil.stop();
  await db.stop();
}
