import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDb, type TestDb } from "../helpers/db";

describe("embedded PostgreSQL + migrations", () => {
  let db: TestDb;
  beforeAll(async () => { db = await startTestDb(); });
  afterAll(async () => { await db?.stop(); });

  it("applies every migration to an empty database", async () => {
    const tables = await db.sql`select tablename from pg_tables where schemaname = 'public' order by 1`;
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(["chain", "block", "btc_tx", "btc_output", "evm_tx", "evm_log"]));
    const [m] = await db.sql`select count(*)::int as n from _prisma_migrations where finished_at is not null`;
    expect(m.n).toBeGreaterThan(0);
  });

  it("keeps one canonical block per height but allows stale ones beside it", async () => {
    await db.sql`insert into chain (id, slug, family, network, name) values (1, 't', 'bitcoin', 'regtest', 'T')`;
    const row = (hash: number, stale: boolean) => ({ chain_id: 1, hash: Buffer.from([hash]), height: 5, parent_hash: Buffer.from([0]), time: 0, tx_count: 1, size: 1, stale, checks: [] as string[] });
    await db.sql`insert into block ${db.sql(row(1, false))}`;
    await db.sql`insert into block ${db.sql(row(2, true))}`;
    await expect(db.sql`insert into block ${db.sql(row(3, false))}`).rejects.toThrow(/block_canonical_height_key/);
  });
});
