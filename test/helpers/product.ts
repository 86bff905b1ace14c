// Runs the real `npm start` entry (indexer/start.ts) as a child process and waits until it says it is up.
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../../indexer/net";

export interface RunningProduct {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startProduct(env: Record<string, string>, timeoutMs = 120_000): Promise<RunningProduct> {
  const port = await freePort();
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", "indexer/start.ts"], {
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`product not up within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      if (out.includes("Chainproof is up")) { clearTimeout(timer); resolve(); }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`product exited (${code}) before it was up:\n${out}`)); });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    stop: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/** Pids of processes whose command line mentions `needle` (for "nothing left behind" checks). */
export async function processesMatching(needle: string): Promise<string[]> {
  const { execFileSync } = await import("node:child_process");
  const ps = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return ps.split("\n").filter((l) => l.includes(needle) && !l.includes("ps -eo"));
}
