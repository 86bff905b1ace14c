// Generate a synthetic regtest chain into blk*.dat files (plus manifest.json), reusing an existing one with the
// same seed and size. CLI: npx tsx bench/gen/index.ts --out DIR [--txs 2000000] [--seed 1]
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BlkWriter } from "./blk";
import { ChainGenerator, type GenStats } from "./chain";

export interface Manifest {
  seed: number;
  txsRequested: number;
  network: "regtest";
  files: string[];
  tipHeight: number;
  tipHash: string;
  /** Raw block bytes (without the 8-byte blk record headers). */
  blockBytes: number;
  stats: GenStats;
  genSeconds: number;
  genTxPerSec: number;
  genMBPerSec: number;
  /** Per CPU-second of the generating process (what the generator costs, independent of machine load). */
  genTxPerCpuSec?: number;
}

export async function generateChain(dir: string, txs: number, seed: number, log: (s: string) => void = () => {}): Promise<Manifest> {
  const manifestPath = path.join(dir, "manifest.json");
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    if (m.seed === seed && m.txsRequested === txs) return m;
    rmSync(dir, { recursive: true, force: true });
  }
  const gen = new ChainGenerator({ seed, txs });
  const out = new BlkWriter(dir);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let last = t0;
  let tip: { height: number; hash: Uint8Array } = { height: 0, hash: new Uint8Array(32) };
  for (let b = gen.next(); b; b = gen.next()) {
    out.write(b.raw);
    tip = b;
    if (performance.now() - last > 5000) {
      last = performance.now();
      log(`gen height=${b.height} txs=${gen.stats.txs} ${(gen.stats.txs / ((last - t0) / 1000)).toFixed(0)} tx/s`);
    }
  }
  out.close();
  const sec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  const stats = { ...gen.stats, hottest: gen.hottest(10) };
  const m: Manifest = {
    seed, txsRequested: txs, network: "regtest", files: out.files.map((f) => path.basename(f)), tipHeight: tip.height,
    tipHash: Buffer.from(tip.hash).reverse().toString("hex"), blockBytes: stats.bytes, stats, genSeconds: sec,
    genTxPerSec: stats.txs / sec, genMBPerSec: stats.bytes / 1e6 / sec, genTxPerCpuSec: stats.txs / cpuSec,
  };
  writeFileSync(manifestPath, JSON.stringify(m, null, 2));
  return m;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, def: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : def;
  };
  const dir = path.resolve(arg("out", ".data/bench/chain"));
  const m = await generateChain(dir, Number(arg("txs", "2000000")), Number(arg("seed", "1")), console.error);
  console.log(JSON.stringify({ ...m, stats: { ...m.stats } }, null, 2));
}
