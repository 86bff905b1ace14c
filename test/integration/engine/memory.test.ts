// Memory while indexing: RSS at start, middle and end of a run, printed (no timed or size assertions: the
// figures depend on the machine; bench/engine-memory.ts runs the full 100k-block version).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalSource, TestChainAdapter } from "../../helpers/testchain/adapter";
import { TestChain } from "../../helpers/testchain/chain";
import { registerChain } from "../../helpers/testchain/checksum";
import { startTestDb, type TestDb } from "../../helpers/db";
import { startEngine } from "./harness";

const BLOCKS = 6_000;

describe("memory", () => {
  let db: TestDb;
  beforeAll(async () => { db = await startTestDb(); });
  afterAll(async () => { await db?.stop(); });

  it(`indexes ${BLOCKS} generated blocks, reporting RSS along the way`, async () => {
    const mb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
    const chain = new TestChain({ seed: "mem", height: BLOCKS - 1 });
    await registerChain(db.sql, 1, "mem");
    const rss: Record<string, number> = { start: mb() };
    const engine = startEngine({ sql: db.sql, chain: { id: 1, slug: "mem" }, adapter: new TestChainAdapter(new LocalSource(chain)), batchBlocks: 250, untilHeight: BLOCKS - 1 });
    let finished = false;
    engine.done.finally(() => { finished = true; });
    while (!finished) {
      await new Promise((r) => setTimeout(r, 50));
      const [r] = await db.sql`select coalesce(tip_height, 0)::int as h from chain where id = 1`;
      if (rss.middle === undefined && r.h >= BLOCKS / 2) rss.middle = mb();
    }
    await engine.done;
    rss.end = mb();
    console.log(`RSS (MB) indexing ${BLOCKS} blocks: ${JSON.stringify(rss)}`);
    const [n] = await db.sql`select count(*)::int as n from block where chain_id = 1`;
    expect(n.n).toBe(BLOCKS);
  });
});
