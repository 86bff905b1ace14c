// Faults between the engine and its node (drops, delays, HTTP 500s, truncated bodies) and between the engine
// and PostgreSQL (connections killed mid-transaction): the sync still completes, with no gap and nothing extra.
import { connectPostgres } from "../../../indexer/db/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalSource, TestChainAdapter } from "../../helpers/testchain/adapter";
import { TestChain } from "../../helpers/testchain/chain";
import { chainChecksums, registerChain } from "../../helpers/testchain/checksum";
import { HttpSource, serveTestChain } from "../../helpers/testchain/server";
import { startFaultyProxy } from "../../helpers/faulty-proxy";
import { startTestDb, type TestDb } from "../../helpers/db";
import { cleanIndex, startEngine } from "./harness";

describe("faults", () => {
  let db: TestDb;
  beforeAll(async () => { db = await startTestDb(); });
  afterAll(async () => { await db?.stop(); });

  async function noGaps(id: number, height: number) {
    const [r] = await db.sql`select count(*)::int as n, count(distinct height)::int as heights, min(height)::int as lo, max(height)::int as hi from block where chain_id = ${id} and not stale`;
    expect(r).toEqual({ n: height + 1, heights: height + 1, lo: 0, hi: height });
  }

  it("completes through a proxy that drops, delays, fails and truncates node responses", async () => {
    const height = 400;
    const chain = new TestChain({ seed: "faults", height });
    const server = await serveTestChain(chain);
    const proxy = await startFaultyProxy(server.url, { drop: 0.08, delay: 0.1, maxDelayMs: 150, error500: 0.08, truncate: 0.1 }, 42);
    try {
      await registerChain(db.sql, 1, "tcfault");
      const engine = startEngine({ sql: db.sql, chain: { id: 1, slug: "tcfault" }, adapter: new TestChainAdapter(new HttpSource(proxy.url, 2_000)), batchBlocks: 10, concurrency: 4, untilHeight: height });
      await engine.done;
      for (const k of ["drop", "delay", "error500", "truncate"] as const) expect(proxy.counts[k], k).toBeGreaterThan(0);
      expect(engine.logs.some((l) => l.includes("retrying"))).toBe(true);
      await noGaps(1, height);
      expect(await chainChecksums(db.sql, 1)).toEqual(await cleanIndex(db.sql, 101, new TestChain({ seed: "faults", height })));
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  // Opt-in (CHAINPROOF_PG_KILL_TEST=1): postgres@3.4.9 can throw an uncaught TypeError from its write timer when a
  // connection dies with a small write buffered (porsager/postgres#1208, fix in PR #1209), which vitest reports
  // as an unhandled error however the engine copes. The engine itself retries every one of these kills.
  it.skipIf(!process.env.CHAINPROOF_PG_KILL_TEST)("waits out PostgreSQL connections being killed, mid-transaction included", async () => {
    const height = 1500;
    const chain = new TestChain({ seed: "pgkill", height });
    await registerChain(db.sql, 2, "tcpg");
    const engineSql = connectPostgres(db.url, { max: 2, onnotice: () => {}, connection: { application_name: "engine-under-test" } });
    try {
      const engine = startEngine({ sql: engineSql, chain: { id: 2, slug: "tcpg" }, adapter: new TestChainAdapter(new LocalSource(chain)), batchBlocks: 10, untilHeight: height });
      let kills = 0;
      let finished = false;
      engine.done.finally(() => { finished = true; });
      while (!finished) {
        await new Promise((r) => setTimeout(r, 150));
        const r = await db.sql`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = 'engine-under-test'`;
        kills += r[0].n;
      }
      await engine.done;
      expect(kills).toBeGreaterThan(3);
      expect(engine.logs.some((l) => l.includes("retrying"))).toBe(true);
      await noGaps(2, height);
      expect(await chainChecksums(db.sql, 2)).toEqual(await cleanIndex(db.sql, 102, new TestChain({ seed: "pgkill", height })));
    } finally {
      await engineSql.end({ timeout: 1 });
    }
  });
});
