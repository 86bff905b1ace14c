// The embedded PostgreSQL is reached through its Unix socket by the product's processes, and over TCP by anything
// given a TCP DATABASE_URL; both paths must work for every client we use (postgres.js, pg, Prisma's migrate).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres } from "../../indexer/db/client";
import { startEmbeddedPostgres, type EmbeddedDb } from "../../indexer/db/embedded";
import { migrateDeploy } from "../../indexer/db/migrate";
import { socketDirOf } from "../../indexer/db/socket-url";

describe("embedded PostgreSQL over its Unix socket and over TCP", () => {
  let dir: string;
  let db: EmbeddedDb;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "chainproof-test-"));
    db = await startEmbeddedPostgres(path.join(dir, "pg"), { sharedBuffersMB: 128 });
  });
  afterAll(async () => {
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("offers a socket URL in a short dir of its own", () => {
    expect(db.socketUrl).toBeDefined();
    const socketDir = socketDirOf(db.socketUrl!)!;
    expect(socketDir.startsWith(os.tmpdir())).toBe(true);
    expect(existsSync(path.join(socketDir, `.s.PGSQL.${db.port}`))).toBe(true);
  });

  it("migrates and serves postgres.js through the socket (no server address: not TCP)", async () => {
    await migrateDeploy(db.socketUrl!);
    const sql = connectPostgres(db.socketUrl!, { max: 1, onnotice: () => {} });
    try {
      const [r] = await sql`select inet_server_addr() as addr, current_database() as name, count(*)::int as n from _prisma_migrations`;
      expect(r).toMatchObject({ addr: null, name: "chainproof" });
      expect(r.n).toBeGreaterThan(0);
    } finally {
      await sql.end();
    }
  });

  it("serves pg (the API's pool, Prisma's adapter) through the socket", async () => {
    const pool = new pg.Pool({ connectionString: db.socketUrl, max: 1 });
    try {
      expect((await pool.query("select inet_server_addr() as addr")).rows).toEqual([{ addr: null }]);
    } finally {
      await pool.end();
    }
  });

  it("still serves a TCP URL to both clients", async () => {
    const sql = connectPostgres(db.url, { max: 1, onnotice: () => {} });
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      expect((await sql`select host(inet_server_addr()) as addr`)[0].addr).toBe("127.0.0.1");
      expect((await pool.query("select host(inet_server_addr()) as addr")).rows).toEqual([{ addr: "127.0.0.1" }]);
    } finally {
      await sql.end();
      await pool.end();
    }
  });

  it("removes the socket dir when stopped", async () => {
    const other = await startEmbeddedPostgres(path.join(dir, "pg2"), { sharedBuffersMB: 128 });
    const socketDir = socketDirOf(other.socketUrl!)!;
    expect(existsSync(socketDir)).toBe(true);
    await other.stop();
    expect(existsSync(socketDir)).toBe(false);
  });
});
