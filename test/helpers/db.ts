// A real, throwaway PostgreSQL for one test file: embedded, on a free port, in a temp dir, fully migrated.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type postgres from "postgres";
import { connectPostgres } from "../../indexer/db/client";
import { startEmbeddedPostgres, type EmbeddedDb } from "../../indexer/db/embedded";
import { migrateDeploy } from "../../indexer/db/migrate";

export interface TestDb {
  url: string;
  sql: postgres.Sql;
  /** A fresh, migrated database on the same server (for tests that compare two indexes). */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Tests run several servers at once on small data: 128 MB of shared buffers each unless asked (benchmarks ask). */
export async function startTestDb(opts: { sharedBuffersMB?: number } = {}): Promise<TestDb> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "chainproof-test-"));
  const db: EmbeddedDb = await startEmbeddedPostgres(path.join(dir, "pg"), { sharedBuffersMB: opts.sharedBuffersMB ?? 128 });
  await migrateDeploy(db.url);
  const sql = connectPostgres(db.url, { onnotice: () => {}, max: 4 });
  return {
    url: db.url,
    sql,
    async createDatabase(name) {
      await sql.unsafe(`create database ${name}`);
      const url = db.url.replace(/\/chainproof$/, `/${name}`);
      await migrateDeploy(url);
      return url;
    },
    async stop() {
      await sql.end({ timeout: 1 });
      await db.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
