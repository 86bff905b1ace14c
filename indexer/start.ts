// `npm start`: database → migrations → indexer process → site (graphql/site-server.ts: the built Next.js site, with
// /api/graphql served without Next's route layer), in that order; Ctrl-C/SIGTERM stops all of them, children first
// and PostgreSQL last, so nothing is left running.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { ConfigError, INDEXER_NODE_FLAGS, loadConfig, ROOT } from "./config";
import { startEmbeddedPostgres, type EmbeddedDb } from "./db/embedded";
import { migrateDeploy } from "./db/migrate";
import { log } from "./log";
import { siteBuildIsStale } from "./site-build";

const require = createRequire(import.meta.url);
const nextBin = require.resolve("next/dist/bin/next");

const children = new Set<ChildProcess>();
let embedded: EmbeddedDb | undefined;
let stopping = false;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log("start", "stopping…");
  await Promise.all([...children].map((c) => terminate(c)));
  if (embedded) await embedded.stop().catch(() => {});
  log("start", "stopped");
  process.exit(code);
}

async function main(): Promise<void> {
  const config = loadConfig();
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dir = path.join(config.dataDir, "pg");
    log("start", `starting embedded PostgreSQL in ${path.relative(ROOT, dir) || dir}`);
    embedded = await startEmbeddedPostgres(dir);
    // Our processes reach it through its Unix socket: cheaper per statement than TCP loopback (bench/README-figures.md).
    databaseUrl = embedded.socketUrl ?? embedded.url;
  } else {
    log("start", `using DATABASE_URL (${new URL(databaseUrl).host})`);
  }
  await migrateDeploy(databaseUrl);
  log("start", "migrations applied");

  if (siteBuildIsStale()) {
    log("start", "building the site (next build)…");
    const code = await run(process.execPath, [nextBin, "build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
    if (code !== 0) throw new Error(`next build failed (exit ${code})`);
  }

  const env = { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1" };
  const indexer = spawn(process.execPath, [...INDEXER_NODE_FLAGS, "--import", "tsx", path.join(ROOT, "indexer/main.ts")], { cwd: ROOT, env, stdio: "inherit", detached: true });
  children.add(indexer);
  indexer.on("exit", (code, signal) => {
    children.delete(indexer);
    if (!stopping) log("start", `indexer exited (${signal ?? `code ${code}`}); the site keeps serving what is indexed`);
  });

  const siteEnv = { ...env, NODE_ENV: "production" as const, PORT: String(config.port), HOST: "0.0.0.0" };
  const site = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "graphql/site-server.ts")], { cwd: ROOT, env: siteEnv, stdio: ["ignore", "pipe", "inherit"], detached: true });
  children.add(site);
  site.stdout!.on("data", () => {}); // the site's banner is noise next to ours
  site.on("exit", (code, signal) => {
    children.delete(site);
    if (!stopping) {
      log("start", `site exited (${signal ?? `code ${code}`}); stopping`);
      void stop(1);
    }
  });
  log("start", `indexer pid ${indexer.pid}, site pid ${site.pid}`);
  await waitForHttp(`http://127.0.0.1:${config.port}/`, 60_000);
  log("start", `Chainproof is up: http://localhost:${config.port}`);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve) => spawn(cmd, args, { cwd: ROOT, env, stdio: "inherit" }).on("exit", resolve));
}

function terminate(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => { clearTimeout(timer); resolve(); });
    child.kill("SIGTERM");
  });
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the site did not answer on ${url} within ${ms / 1000}s`);
}

// Children get their own process group so a terminal's Ctrl-C reaches only us and we stop them in order.
main().catch(async (e) => {
  console.error(e instanceof ConfigError ? `configuration error: ${e.message}` : e);
  await stop(2);
});
