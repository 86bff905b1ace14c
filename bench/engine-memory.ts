// Indexes a generated test chain (default 100k small blocks) into a throwaway embedded PostgreSQL and prints RSS
// at start, middle and end, plus blocks/s and tx/s. `npx tsx bench/engine-memory.ts [blocks] [batchBlocks]`
import { runChain } from "../indexer/engine/engine";
import { LocalSource, TestChainAdapter } from "../test/helpers/testchain/adapter";
import { TestChain } from "../test/helpers/testchain/chain";
import { registerChain } from "../test/helpers/testchain/checksum";
import { startTestDb } from "../test/helpers/db";

const blocks = Number(process.argv[2] ?? 100_000);
const batchBlocks = Number(process.argv[3] ?? 500);
const mb = () => Math.round(process.memoryUsage().rss / 2 ** 20);

const db = await startTestDb();
try {
  const chain = new TestChain({ seed: "bench", height: blocks - 1 });
  await registerChain(db.sql, 1, "bench");
  const rss: Record<string, number> = { start: mb() };
  let mid = false;
  const started = Date.now();
  const sampler = setInterval(async () => {
    const [r] = await db.sql`select coalesce(tip_height, 0)::int as h from chain where id = 1`;
    if (!mid && r.h >= blocks / 2) {
      mid = true;
      rss.middle = mb();
    }
  }, 200);
  await runChain({
    sql: db.sql, chain: { id: 1, slug: "bench" }, adapter: new TestChainAdapter(new LocalSource(chain)), batchBlocks, concurrency: 3,
    pollMs: 100, onInvalid: "stop", signal: new AbortController().signal, log: () => {}, untilHeight: blocks - 1,
  });
  clearInterval(sampler);
  rss.end = mb();
  const secs = (Date.now() - started) / 1000;
  const [t] = await db.sql`select count(*)::int as n from btc_tx where chain_id = 1`;
  console.log(JSON.stringify({ blocks, batchBlocks, seconds: Number(secs.toFixed(1)), blocksPerSec: Math.round(blocks / secs), txPerSec: Math.round(t.n / secs), rssMB: rss }));
} finally {
  await db.stop();
}
