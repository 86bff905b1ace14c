// Launches foundry's anvil (the platform binary from @foundry-rs/anvil-<os>-<arch>, not the npm wrapper, so the
// pid we hold is the node itself and stopping it leaves no orphan) on a free port, with its chain kept in
// <dataDir>/anvil-state.json so a restart continues the same chain.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { freePort } from "../net";

export interface AnvilOptions {
  /** Directory for anvil-state.json; omit for a throwaway in-memory chain. */
  dataDir?: string;
  /** Seconds between blocks, or "manual": mine only on evm_mine / anvil_mine (and not on each tx). */
  blockTime?: number | "manual";
  chainId?: number;
  port?: number;
  /** Seconds between state dumps while running (besides the dump on exit). */
  stateInterval?: number;
  /** Extra command-line arguments. */
  args?: string[];
  log?: (line: string) => void;
  /** Path of the anvil binary; found in node_modules when omitted. */
  binary?: string;
}

export interface Anvil {
  url: string;
  port: number;
  pid: number;
  /** SIGTERM (anvil dumps its state), then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export class AnvilError extends Error {
  override readonly name = "AnvilError";
}

const ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64" };

export function anvilBinary(): string {
  const pkg = `@foundry-rs/anvil-${process.platform}-${ARCH[process.arch] ?? process.arch}`;
  let dir: string;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  } catch {
    throw new AnvilError(`anvil is not installed for ${process.platform}/${process.arch} (package ${pkg}); run npm install, or pass the binary path`);
  }
  const bin = path.join(dir, "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
  if (!existsSync(bin)) throw new AnvilError(`${bin} is missing; reinstall @foundry-rs/anvil`);
  return bin;
}

/** Every live anvil this process started, killed synchronously if the process exits without stopping them. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const c of live) c.kill("SIGKILL");
  });
}

export async function startAnvil(o: AnvilOptions = {}): Promise<Anvil> {
  const port = o.port ?? (await freePort());
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(o.chainId ?? 31337)];
  if (o.blockTime === "manual") args.push("--no-mining");
  else if (o.blockTime !== undefined) args.push("--block-time", String(o.blockTime));
  if (o.dataDir) {
    mkdirSync(o.dataDir, { recursive: true });
    args.push("--state", path.join(o.dataDir, "anvil-state.json"), "--state-interval", String(o.stateInterval ?? 30));
  }
  args.push(...(o.args ?? []));
  const child = spawn(o.binary ?? anvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  installExitHook();
  let output = "";
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-4000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => {
    live.delete(child);
    resolve(code);
  }));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 30_000;
  let ready = false;
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  while (!ready) {
    if (exitCode !== undefined) throw new AnvilError(`anvil exited (code ${exitCode}) before answering: ${output.trim().slice(-1000)}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new AnvilError(`anvil did not answer on ${url} within 30 s: ${output.trim().slice(-1000)}`);
    }
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
      ready = res.ok && typeof ((await res.json()) as { result?: unknown }).result === "string";
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  o.log?.(`anvil listening on ${url} (pid ${child.pid}${o.dataDir ? `, state ${path.join(o.dataDir, "anvil-state.json")}` : ""})`);

  return {
    url,
    port,
    pid: child.pid!,
    async stop(graceMs = 10_000) {
      if (exitCode !== undefined) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
