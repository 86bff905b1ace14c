// Shared helpers of the benchmarks: arguments, child phases (so RSS and CPU are the measured process's own),
// machine description, and results files.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require_ = createRequire(import.meta.url);

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Where chains, databases and results go (large: GBs for the 2M-tx chain). */
export const WORK = process.env.CHAINPROOF_BENCH_DIR ?? "/tmp/cpbench";
export const RESULTS = path.join(WORK, "results");

export function arg(name: string, def: string, argv = process.argv): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : def;
}

export function flag(name: string, argv = process.argv): boolean {
  return argv.includes(`--${name}`);
}

export function isMain(metaUrl: string): boolean {
  return !!process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(metaUrl);
}

export function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? "?",
    cores: cpus.length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

/** Runs `node --import tsx <script> ...args` and returns the JSON object its last stdout line holds. */
export function runPhase<T>(script: string, args: string[], opts: { nodeArgs?: string[]; log?: (s: string) => void } = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--import", "tsx", path.join(ROOT, script), ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => opts.log?.(String(d).trimEnd()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code !== 0) return reject(new Error(`${script} ${args.join(" ")} exited ${code}: ${out.slice(-2000)}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no JSON result: ${out.slice(-2000)}`));
      }
    });
  });
}

/** Aggregate CPU jiffies of the whole machine (for "how busy were both cores"). */
export function cpuTimes(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3] + (line[4] ?? 0);
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export function saveResult(name: string, result: unknown): string {
  mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}.json`);
  writeFileSync(file, JSON.stringify(result, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2));
  return file;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function printTable(rows: [string, string][]): void {
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
}

/** Child phases report their own peak RSS and CPU. */
export function selfUsage(): { maxRssMB: number; cpuUserMs: number; cpuSysMs: number } {
  const u = process.resourceUsage();
  return { maxRssMB: u.maxRSS / 1024, cpuUserMs: u.userCPUTime / 1000, cpuSysMs: u.systemCPUTime / 1000 };
}

/** CPU seconds used so far by the PostgreSQL server listening on `port`: the postmaster's own and reaped children's
 *  (cutime/cstime), plus its live children (backends, checkpointer, walwriter...). Linux /proc only. */
export function pgCpuSeconds(port: number): number {
  const { readdirSync: ls, readFileSync: rd } = { readdirSync: (p: string) => require_("fs").readdirSync(p) as string[], readFileSync: (p: string) => require_("fs").readFileSync(p, "utf8") as string };
  const tick = 100; // USER_HZ on Linux
  const stat = (pid: string) => {
    const s = rd(`/proc/${pid}/stat`);
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { ppid: f[1], utime: Number(f[11]), stime: Number(f[12]), cutime: Number(f[13]), cstime: Number(f[14]) };
  };
  let master: string | undefined;
  const pids = ls("/proc").filter((p) => /^\d+$/.test(p));
  for (const p of pids) {
    try {
      const args = rd(`/proc/${p}/cmdline`).split("\0");
      if (args[0]?.endsWith("/bin/postgres") && args[args.indexOf("-p") + 1] === String(port)) master = p;
    } catch {
      /* gone */
    }
  }
  if (!master) return NaN;
  const m = stat(master);
  let ticks = m.utime + m.stime + m.cutime + m.cstime;
  for (const p of pids) {
    try {
      const s = stat(p);
      if (s.ppid === master) ticks += s.utime + s.stime;
    } catch {
      /* gone */
    }
  }
  return ticks / tick;
}
