// `npm run verify -- <file> ...`: decode and verify raw blocks without a database or a node.
// Bitcoin files: bare, hex or blk framing (several blocks per file). EVM files: eth_getBlockByNumber(n, true) JSON,
// each optionally followed by `--receipts <file>` (eth_getBlockReceipts JSON). Exit 1 if any block fails.
import { readFileSync } from "node:fs";
import { verifyBlockFile } from "../lib/bitcoin/report";
import { type NetworkName } from "../lib/bitcoin/network";
import { verifyBlockJson } from "../lib/evm/verify";
import type { BlockReport, CheckResult } from "../lib/verify";

const USAGE = `usage: npm run verify -- [--json] [--network mainnet|testnet3|testnet4|signet|regtest] <block file> [--receipts <file>] ...`;

interface Job {
  file: string;
  receipts?: string;
}

export function parseArgs(argv: string[]): { json: boolean; network?: NetworkName; jobs: Job[] } {
  const jobs: Job[] = [];
  let json = false;
  let network: NetworkName | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--network") network = argv[++i] as NetworkName;
    else if (a === "--receipts") {
      const last = jobs.at(-1);
      if (!last || !argv[i + 1]) throw new Error(`--receipts needs a block file before it and a file after it\n${USAGE}`);
      last.receipts = argv[++i];
    } else if (a.startsWith("--")) throw new Error(`unknown option ${a}\n${USAGE}`);
    else jobs.push({ file: a });
  }
  if (jobs.length === 0) throw new Error(USAGE);
  return { json, network, jobs };
}

function isJson(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b || b === 0x5b; // { or [
  }
  return false;
}

/** Every block report of one file, plus anything about the file itself worth saying. */
export function verifyJob(job: Job, network?: NetworkName): { reports: BlockReport[]; notes: string[] } {
  const bytes = readFileSync(job.file);
  if (isJson(bytes)) {
    const receipts = job.receipts ? readFileSync(job.receipts, "utf8") : undefined;
    return { reports: [verifyBlockJson(bytes.toString("utf8"), receipts)], notes: [] };
  }
  if (job.receipts) throw new Error(`${job.file}: --receipts applies to EVM block JSON only`);
  const file = verifyBlockFile(bytes, { network });
  const notes = file.truncatedTail
    ? [`truncated last record at offset ${file.truncatedTail.offset}: ${JSON.stringify(file.truncatedTail)}`]
    : [];
  return { reports: file.reports, notes };
}

function formatCheck(c: CheckResult): string {
  if (c.ok) return `${c.check} ✓`;
  const diff = c.expected !== undefined ? ` (expected ${c.expected}, got ${c.got})` : "";
  return `${c.check} ✗${diff}${c.detail ? ` [${c.detail}]` : ""}`;
}

export function formatReport(file: string, r: BlockReport): string {
  return `${r.ok ? "✓" : "✗"} ${r.family} ${r.height ?? "?"} ${r.hash}  ${r.checks.map(formatCheck).join("  ")}  (${file})`;
}

function main(): number {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  let failed = 0;
  let total = 0;
  for (const job of args.jobs) {
    let result;
    try {
      result = verifyJob(job, args.network);
    } catch (e) {
      failed++;
      console.error(`✗ ${job.file}: ${(e as Error).message}`);
      continue;
    }
    for (const r of result.reports) {
      total++;
      if (!r.ok) failed++;
      console.log(args.json ? JSON.stringify({ file: job.file, ...r }) : formatReport(job.file, r));
    }
    for (const n of result.notes) console.error(`! ${job.file}: ${n}`);
  }
  if (!args.json) console.error(`${total - failed} of ${total} blocks verified${failed ? `, ${failed} failed` : ""}`);
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) process.exitCode = main();
