// Address ids looked up ahead (indexer/store/bitcoin-address-ahead.ts): while one batch is written, the next batch's
// scripts are looked up on another connection. On a synthetic chain whose addresses recur from block to block, the
// database is the same as when every batch looks up inside its own transaction. (Reorgs with the lookahead on:
// reorg.test.ts and the engine tests.)
import { describe, expect, it } from "vitest";
import type { PrepareDb } from "../../../indexer/engine/adapter";
import { BitcoinAdapter, type BitcoinBlock, type PreparedBatch } from "../../../indexer/sources/bitcoin-adapter";
import { bitcoinChecksums, generatedChain, indexUntil, registerChain, regtestNodeAndDb } from "./helpers";

/** Never looks ahead: every write looks its addresses up in its own transaction. */
class InTransactionAdapter extends BitcoinAdapter {
  override prepare(blocks: BitcoinBlock[], _db?: PrepareDb): PreparedBatch {
    return super.prepare(blocks);
  }
}

const blocks = generatedChain({ seed: 11, txs: 5000, minBlockTxs: 150, maxBlockTxs: 400 });
const tip = blocks.length - 1;
const env = regtestNodeAndDb(blocks);

describe("address ids looked up ahead", () => {
  it("index the same database as lookups inside each batch's transaction", async () => {
    await registerChain(env.db.sql, 31, "ahead", "regtest");
    await registerChain(env.db.sql, 32, "in-tx", "regtest");
    const ahead = await indexUntil({ sql: env.db.sql, chainId: 31, slug: "ahead", source: env.source(), network: "regtest", until: tip, batchBlocks: 1 });
    const inTx = new InTransactionAdapter("in-tx", env.source(), "regtest");
    await indexUntil({ sql: env.db.sql, chainId: 32, slug: "in-tx", source: env.source(), network: "regtest", until: tip, batchBlocks: 2, adapter: inTx });
    // Every batch but the first looked ahead; the generator's addresses recur across blocks, so both the previous
    // batch's ids and ids found in the database were used.
    expect(ahead.addressLookups.ahead).toBeGreaterThan(tip / 2);
    expect(inTx.addressLookups.ahead).toBe(0);
    const [{ reused }] = await env.db.sql`select count(*)::int as reused from btc_address where chain_id = 31 and first_height < last_height`;
    expect(reused).toBeGreaterThan(100);
    expect(await bitcoinChecksums(env.db.sql, 31)).toEqual(await bitcoinChecksums(env.db.sql, 32));
  });
});
