// A block that fails verification: none of it is written, the verified prefix before it is, and the chain
// stops with one line naming chain, height, hash, check, expected and got. With onInvalid "retry" the engine
// refetches instead, and completes once the node serves the honest block.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockVerificationError } from "../../../lib/verify";
import { LocalSource, TestChainAdapter } from "../../helpers/testchain/adapter";
import { TestChain, txRootOf } from "../../helpers/testchain/chain";
import { chainChecksums, registerChain } from "../../helpers/testchain/checksum";
import { startTestDb, type TestDb } from "../../helpers/db";
import { cleanIndex, startEngine } from "./harness";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("verification failure", () => {
  let db: TestDb;
  beforeAll(async () => { db = await startTestDb(); });
  afterAll(async () => { await db?.stop(); });

  it("writes nothing of the block, keeps the blocks before it, fails the chain with a clear message", async () => {
    const chain = new TestChain({ seed: "inv", height: 100 });
    chain.corruptAt(57, "txRoot");
    const bad = chain.block(57); // corrupt every time, so reading it here changes nothing
    await registerChain(db.sql, 1, "tcinv");
    // Batches of 20: 40..59 holds the bad block, so 40..56 is the verified prefix written before stopping.
    const engine = startEngine({ sql: db.sql, chain: { id: 1, slug: "tcinv" }, adapter: new TestChainAdapter(new LocalSource(chain)), batchBlocks: 20 });
    const err = await engine.done.then(() => undefined, (e: unknown) => e);

    expect(err).toBeInstanceOf(BlockVerificationError);
    const message = (err as Error).message;
    const expected = hex(txRootOf(57, bad.txs));
    expect(message).toBe(`tcinv: block 57 ${hex(chain.hashAt(57))} failed txRoot: expected ${expected}, got ${hex(bad.txRoot)}. Nothing of this block was written; check the node, or rerun with --on-invalid=retry.`);

    const [row] = await db.sql`select status, last_error, tip_height::int as tip from chain where id = 1`;
    expect(row).toEqual({ status: "failed", last_error: message, tip: 56 });
    const [n] = await db.sql`
      select (select count(*) from block where chain_id = 1 and (height >= 57 or hash = ${Buffer.from(chain.hashAt(57))}))::int as blocks,
             (select count(*) from btc_tx where chain_id = 1 and height >= 57)::int as txs,
             (select count(*) from btc_address_tx where chain_id = 1 and height >= 57)::int as history`;
    expect(n).toEqual({ blocks: 0, txs: 0, history: 0 });

    // Everything below is exactly a clean index of blocks 0..56.
    const prefix = new TestChain({ seed: "inv", height: 56 });
    expect(await chainChecksums(db.sql, 1)).toEqual(await cleanIndex(db.sql, 101, prefix));
  });

  it('with onInvalid "retry", refetches with backoff and completes once the node serves the honest block', async () => {
    const chain = new TestChain({ seed: "inv2", height: 80 });
    chain.corruptAt(30, "headerHash", 3);
    await registerChain(db.sql, 2, "tcinv2");
    const engine = startEngine({ sql: db.sql, chain: { id: 2, slug: "tcinv2" }, adapter: new TestChainAdapter(new LocalSource(chain)), onInvalid: "retry", untilHeight: 80 });
    await engine.done;
    expect(engine.logs.filter((l) => l.includes("failed headerHash")).length).toBe(3);
    expect(await chainChecksums(db.sql, 2)).toEqual(await cleanIndex(db.sql, 102, new TestChain({ seed: "inv2", height: 80 })));
  });
});
