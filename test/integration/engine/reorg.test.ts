// Reorgs while following (and one during catch-up): after each, the index must equal a clean index of the
// winning chain, and every orphaned block must still be there, marked stale.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalSource, TestChainAdapter } from "../../helpers/testchain/adapter";
import { TestChain } from "../../helpers/testchain/chain";
import { chainChecksums, registerChain, staleHashes } from "../../helpers/testchain/checksum";
import { startTestDb, type TestDb } from "../../helpers/db";
import { cleanIndex, startEngine, waitFor, waitForTip } from "./harness";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe("reorgs", () => {
  let db: TestDb;
  let nextId = 1;
  beforeAll(async () => { db = await startTestDb(); });
  afterAll(async () => { await db?.stop(); });

  /** Follows a chain of `height`, applies `forks` one after another (waiting for each to be indexed), then
   *  compares with a clean index of the final chain. Returns the stale hashes expected. */
  async function followThrough(seed: string, height: number, forks: [at: number, newHeight: number, seed: string][], batchBlocks = 16) {
    const id = nextId++;
    const make = () => new TestChain({ seed, height });
    const chain = make();
    await registerChain(db.sql, id, `r${id}`);
    const engine = startEngine({ sql: db.sql, chain: { id, slug: `r${id}` }, adapter: new TestChainAdapter(new LocalSource(chain)), batchBlocks });
    await waitForTip(db.sql, id, chain.hashAt(chain.height));
    const orphaned = new Set<string>();
    for (const [at, newHeight, s] of forks) {
      range(at + 1, chain.height).forEach((h) => orphaned.add(hex(chain.hashAt(h))));
      chain.fork(at, newHeight, s);
      await waitForTip(db.sql, id, chain.hashAt(chain.height));
    }
    // Blocks that won again (flip-flop) are canonical, not stale.
    range(0, chain.height).forEach((h) => orphaned.delete(hex(chain.hashAt(h))));
    // A deep reorg is a resync ("syncing"); the next poll at the tip returns to "following".
    await waitFor("status following", async () => (await db.sql`select status from chain where id = ${id}`)[0].status === "following");
    await engine.stop();

    const clean = make();
    for (const [at, newHeight, s] of forks) clean.fork(at, newHeight, s);
    expect(await chainChecksums(db.sql, id)).toEqual(await cleanIndex(db.sql, 1000 + id, clean));
    expect((await staleHashes(db.sql, id)).sort()).toEqual([...orphaned].sort());
    return { engine, orphaned };
  }

  for (const depth of [1, 2, 10, 100]) {
    it(`depth ${depth} while following`, async () => {
      const { engine, orphaned } = await followThrough(`d${depth}`, 120, [[120 - depth, 121, `d${depth}-b`]]);
      expect(orphaned.size).toBe(depth);
      expect(engine.logs.some((l) => l.includes("reorg") && l.includes(`depth=${depth}`))).toBe(true);
    });
  }

  it("crossing batch boundaries while following (ancestor inside an earlier batch, winner spans new ones)", async () => {
    // Batches of 8 from genesis commit 0..7, 8..15, ...; the ancestor 85 sits inside batch 80..87.
    const { orphaned } = await followThrough("xb", 100, [[85, 130, "xb-b"]], 8);
    expect(orphaned.size).toBe(15);
  });

  it("to a branch of the same height, then back to the first branch (flip-flop), then a shorter branch", async () => {
    await followThrough("ff", 80, [[70, 80, "ff-b"], [70, 85, "ff"], [60, 75, "ff-c"]]);
  });

  it("while catching up, with the fork landing among ranges already fetched ahead", async () => {
    const id = nextId++;
    const seeds = { a: "cu", b: "cu-b" };
    let forked = false;
    const chain = new TestChain({ seed: seeds.a, height: 200 });
    // Fork as soon as range 96.. is requested: earlier ranges were fetched on the old branch.
    const source = new LocalSource(chain, (from) => {
      if (!forked && from >= 96) {
        forked = true;
        chain.fork(90, 210, seeds.b);
      }
    });
    await registerChain(db.sql, id, `r${id}`);
    const engine = startEngine({ sql: db.sql, chain: { id, slug: `r${id}` }, adapter: new TestChainAdapter(source), untilHeight: 210 });
    await engine.done;
    const clean = new TestChain({ seed: seeds.a, height: 200 });
    clean.fork(90, 210, seeds.b);
    expect(await chainChecksums(db.sql, id)).toEqual(await cleanIndex(db.sql, 1000 + id, clean));
    expect(forked).toBe(true);
  });
});
