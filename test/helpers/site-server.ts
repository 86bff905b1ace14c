// The built site as `npm start` serves it (graphql/site-server.ts: Next's handler, /api/graphql on node:http) on a
// free port against a given DATABASE_URL, for browser tests. Builds first when the build is missing or older than
// the sources (as `npm start` does), so tests never run a stale site.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { freePort } from "../../indexer/net";
import { siteBuildIsStale } from "../../indexer/site-build";

const require = createRequire(import.meta.url);
const nextBin = require.resolve("next/dist/bin/next");
const ROOT = path.resolve(".");

export interface SiteServer {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Build when stale. Another test file (or `npm start`) may be building at the same moment: Next refuses a second
 * concurrent build, so on that answer wait for the other build to finish and check again. Running `npx next build`
 * before the e2e suite avoids building here at all.
 */
export async function ensureSiteBuilt(timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (siteBuildIsStale()) {
    let out = "";
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [nextBin, "build"], { cwd: ROOT, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout!.on("data", (d) => (out += d));
      child.stderr!.on("data", (d) => (out += d));
      child.on("exit", resolve);
    });
    if (code === 0) return;
    if (!/Another next build process is already running/.test(out) || Date.now() > deadline) {
      throw new Error(`next build failed (exit ${code}):\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 3_000));
  }
}

export async function startSite(env: Record<string, string>, timeoutMs = 60_000): Promise<SiteServer> {
  await ensureSiteBuilt();
  const port = await freePort();
  let out = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "graphql/site-server.ts")], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the site server exited (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(url + "/theme-init.js");
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the site server did not answer within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => { clearTimeout(timer); resolve(); });
        child.kill("SIGTERM");
      }),
  };
}
