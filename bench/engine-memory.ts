// Indexes a generated test chain (default 100k small blocks) into a throwaway embedded PostgreSQL and prints RSS
// at start, middle and end, plus blocks/s and tx/s. `node --expose-gc --import tsx bench/engine-memory.ts [blocks] [batchBlocks]`
import { runChain } from "../indexer/engine/engine";
import { LocalSource, TestChainAdapter } from "../test/helpers/testchain/adapter";
import { TestChain } from "../test/helpers/testchain/chain";
import { registerChain } from "../test/helpers/testchain/checksum";
import { startTestDb } from "../test/helpers/db";

const blocks = Number(process.argv[2] ?? 100_000);
const batchBlocks = Number(process.argv[3] ?? 500);
const mb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
// With --expose-gc, also the live heap after a full collection: flat means no leak, whatever RSS does.
const gc = (globalThis as { gc?: () => void }).gc;
const liveHeapMB = () => (gc ? (gc(), Math.round(process.memoryUsage().heapUsed / 2 ** 20)) : undefined);

const db = await startTestDb();
try {
  const chain = new TestChain({ seed: "bench", height: blocks - 1 });
  await registerChain(db.sql, 1, "bench");
  const rss: Record<string, number> = { start: mb() };
  const heap: Record<string, number | undefined> = { start: liveHeapMB() };
  let mid = false;
  const started = Date.now();
  const sampler = setInterval(async () => {
    const [r] = await db.sql`select coalesce(tip_height, 0)::int as h from chain where id = 1`;
    if (!mid && r.h >= blocks / 2) {
      mid = true;
      rss.middle = mb();
      heap.middle = liveHeapMB();
    }
  }, 200);
  await runChain({
    sql: db.sql, chain: { id: 1, slug: "bench" }, adapter: new TestChainAdapter(new LocalSource(chain)), batchBlocks, concurrency: 3,
    pollMs: 100, onInvalid: "stop", signal: new AbortController().signal, log: () => {}, untilHeight: blocks - 1,
  });
  clearInterval(sampler);
  rss.end = mb();
  heap.end = liveHeapMB();
  const secs = (Date.now() - started) / 1000;
  const [t] = await db.sql`select count(*)::int as n from btc_tx where chain_id = 1`;
  console.log(JSON.stringify({ blocks, batchBlocks, seconds: Number(secs.toFixed(1)), blocksPerSec: Math.round(blocks / secs), txPerSec: Math.round(t.n / secs), rssMB: rss, liveHeapMB: heap }));
} finally {
  await db.stop();
}
