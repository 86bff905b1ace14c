// Daily-active address rows written by COPY from the in-memory record of each recent day's rows
// (indexer/store/day-address-cache.ts) equal those written by INSERT … ON CONFLICT without it: across UTC days, a
// cache that holds one day only (so days are dropped and read back as block times straddle midnight), an indexer
// restarted mid-day, and a write whose transaction failed after it had read a day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainGenerator } from "../../../bench/gen/chain";
import type { IdCounters, Tx } from "../../../indexer/engine/adapter";
import { BitcoinAdapter, type BitcoinBlock, type PreparedBatch } from "../../../indexer/sources/bitcoin-adapter";
import { BitcoinRpcClient, BitcoinRpcSource } from "../../../indexer/sources/bitcoin-rpc";
import { DayAddressCache } from "../../../indexer/store/day-address-cache";
import { FakeBitcoind } from "../../helpers/bitcoind";
import { startTestDb, type TestDb } from "../../helpers/db";
import { bitcoinChecksums, indexUntil, registerChain } from "./helpers";

class WithoutDayCache extends BitcoinAdapter {
  override readonly dayAddresses = undefined;
}

/** Holds one day; its write of `failAt` fails once, after the batch's rows (and the day's read) are in. */
class OneDayCache extends BitcoinAdapter {
  override readonly dayAddresses = new DayAddressCache(1);
  failAt = -1;
  failures = 0;
  override async write(sql: Tx, ids: IdCounters, blocks: BitcoinBlock[], prepared?: PreparedBatch): Promise<void> {
    await super.write(sql, ids, blocks, prepared);
    if (blocks.some((b) => b.header.height === this.failAt)) {
      this.failAt = -1;
      this.failures++;
      throw new Error("injected failure after the write");
    }
  }
}

const blocks: Uint8Array[] = [];
// ~400 blocks 10 minutes apart from 23:16 UTC: four UTC days, addresses recurring within and across them.
const gen = new ChainGenerator({ seed: 5, txs: 8000, minBlockTxs: 10, maxBlockTxs: 30 });
for (let b = gen.next(); b; b = gen.next()) blocks.push(b.raw);
const tip = blocks.length - 1;

let db: TestDb;
let node: FakeBitcoind;

beforeAll(async () => {
  db = await startTestDb();
  node = await new FakeBitcoind({ blocks, chain: "regtest" }).start();
});

afterAll(async () => {
  await node?.stop();
  await db?.stop();
});

const source = () => new BitcoinRpcSource(new BitcoinRpcClient({ url: node.url, user: node.user, password: node.password, timeoutMs: 5_000 }));

describe("daily-active address rows", () => {
  it("are the same with the day cache (restarted, a failed write) as with ON CONFLICT", async () => {
    await registerChain(db.sql, 41, "days-cached", "regtest");
    await registerChain(db.sql, 42, "days-sql", "regtest");
    const first = new OneDayCache("days-cached", source(), "regtest");
    first.failAt = Math.floor(tip / 3);
    await indexUntil({ sql: db.sql, chainId: 41, slug: "days-cached", source: source(), network: "regtest", until: Math.floor(tip / 2), batchBlocks: 1, adapter: first });
    expect(first.failures).toBe(1);
    // A new process mid-day: the cache starts empty and reads the day's rows back.
    await indexUntil({ sql: db.sql, chainId: 41, slug: "days-cached", source: source(), network: "regtest", until: tip, batchBlocks: 3, adapter: new OneDayCache("days-cached", source(), "regtest") });
    await indexUntil({ sql: db.sql, chainId: 42, slug: "days-sql", source: source(), network: "regtest", until: tip, batchBlocks: 2, adapter: new WithoutDayCache("days-sql", source(), "regtest") });

    const [{ days, recurring }] = await db.sql`
      select count(distinct day)::int as days,
        (select count(*)::int from (select address_id from analytics_day_address where chain_id = 41 group by address_id having count(*) > 1) x) as recurring
      from analytics_day_address where chain_id = 41`;
    expect(days).toBeGreaterThanOrEqual(4);
    expect(recurring).toBeGreaterThan(100);
    expect(await bitcoinChecksums(db.sql, 41)).toEqual(await bitcoinChecksums(db.sql, 42));
  });
});
