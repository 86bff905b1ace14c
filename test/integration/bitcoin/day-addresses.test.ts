// Daily-active address rows written by COPY from the in-memory record of each recent day's rows
// (indexer/store/day-address-cache.ts) equal those written by INSERT … ON CONFLICT without it: across UTC days, a
// cache that holds one day only (so days are dropped and read back as block times straddle midnight), an indexer
// restarted mid-day, and a write whose transaction failed after it had read a day. (The cached side also verifies on
// the worker thread, the baseline on its own: block rows, checks included, are the same.)
import { describe, expect, it } from "vitest";
import type { IdCounters, Tx } from "../../../indexer/engine/adapter";
import { BitcoinAdapter, type BitcoinBlock, type PreparedBatch } from "../../../indexer/sources/bitcoin-adapter";
import { DayAddressCache } from "../../../indexer/store/day-address-cache";
import { expectKeptExact } from "../analytics/periods";
import { bitcoinChecksums, generatedChain, indexUntil, registerChain, regtestNodeAndDb } from "./helpers";

/** Asks PostgreSQL for every daily-active row, leaves open weeks and months uncounted, and verifies on the indexer's
 *  thread (no worker). */
class WithoutDayCache extends BitcoinAdapter {
  override readonly dayAddresses = undefined;
  override readonly periodAddresses = undefined;
  override readonly verifyAhead = false;
}

/** Holds one day; its write of `failAt` fails once, after the batch's rows (and the day's read) are in. Verifies on
 *  the worker thread whatever the machine's core count. */
class OneDayCache extends BitcoinAdapter {
  override readonly dayAddresses = new DayAddressCache(1);
  override readonly verifyAhead = true;
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

// ~400 blocks 10 minutes apart from 23:16 UTC: four UTC days, addresses recurring within and across them.
const blocks = generatedChain({ seed: 5, txs: 8000, minBlockTxs: 10, maxBlockTxs: 30 });
const tip = blocks.length - 1;
const env = regtestNodeAndDb(blocks);

describe("daily-active address rows", () => {
  it("are the same with the day cache (restarted, a failed write) as with ON CONFLICT", async () => {
    await registerChain(env.db.sql, 41, "days-cached", "regtest");
    await registerChain(env.db.sql, 42, "days-sql", "regtest");
    const first = new OneDayCache("days-cached", env.source(), "regtest");
    first.failAt = Math.floor(tip / 3);
    await indexUntil({ sql: env.db.sql, chainId: 41, slug: "days-cached", source: env.source(), network: "regtest", until: Math.floor(tip / 2), batchBlocks: 1, adapter: first });
    expect(first.failures).toBe(1);
    // A new process mid-day: the cache starts empty and reads the day's rows back.
    await indexUntil({ sql: env.db.sql, chainId: 41, slug: "days-cached", source: env.source(), network: "regtest", until: tip, batchBlocks: 3, adapter: new OneDayCache("days-cached", env.source(), "regtest") });
    await indexUntil({ sql: env.db.sql, chainId: 42, slug: "days-sql", source: env.source(), network: "regtest", until: tip, batchBlocks: 2, adapter: new WithoutDayCache("days-sql", env.source(), "regtest") });

    const [{ days, recurring }] = await env.db.sql`
      select count(distinct day)::int as days,
        (select count(*)::int from (select address_id from analytics_day_address where chain_id = 41 group by address_id having count(*) > 1) x) as recurring
      from analytics_day_address where chain_id = 41`;
    expect(days).toBeGreaterThanOrEqual(4);
    expect(recurring).toBeGreaterThan(100);
    expect(await bitcoinChecksums(env.db.sql, 41)).toEqual(await bitcoinChecksums(env.db.sql, 42));
    // Weekly and monthly counts: exact on both sides, the open ones kept only where the indexer held the addresses.
    const cached = await expectKeptExact(env.db.sql, 41);
    const asked = await expectKeptExact(env.db.sql, 42);
    expect(cached.filter((p) => !p.closed).map((p) => p.unit).sort()).toEqual(["month", "week"]);
    expect(asked.filter((p) => !p.closed)).toEqual([]);
    expect(cached.filter((p) => p.closed)).toEqual(asked);
  });

  it("are the same when address ids outgrow the cache's 32-bit sets (days then go through ON CONFLICT)", async () => {
    await registerChain(env.db.sql, 43, "days-big-cached", "regtest");
    await registerChain(env.db.sql, 44, "days-big-sql", "regtest");
    // Both chains allocate address sequences from just below 2^32 − 1, so the ids cross it early on.
    await env.db.sql`update chain set next_addr_seq = ${(2 ** 32 - 300).toString()}::bigint where id in (43, 44)`;
    const until = Math.floor(tip / 2);
    await indexUntil({ sql: env.db.sql, chainId: 43, slug: "days-big-cached", source: env.source(), network: "regtest", until, batchBlocks: 1, adapter: new OneDayCache("days-big-cached", env.source(), "regtest") });
    await indexUntil({ sql: env.db.sql, chainId: 44, slug: "days-big-sql", source: env.source(), network: "regtest", until, batchBlocks: 2, adapter: new WithoutDayCache("days-big-sql", env.source(), "regtest") });
    const [{ over }] = await env.db.sql`select count(*)::int as over from analytics_day_address where chain_id = 43 and (address_id - (43::bigint << 40)) >= ${(2 ** 32 - 1).toString()}::bigint`;
    expect(over).toBeGreaterThan(100);
    expect(await bitcoinChecksums(env.db.sql, 43)).toEqual(await bitcoinChecksums(env.db.sql, 44));
    // Sequences past MAX_PERIOD_SEQ: open weeks and months are left to the request-time count.
    expect((await expectKeptExact(env.db.sql, 43)).filter((p) => !p.closed)).toEqual([]);
  });
});
