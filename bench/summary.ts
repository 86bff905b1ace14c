// The README's benchmark table, from the newest saved results (<bench dir>/results/*.json): each target of issue 9
// with the figure measured against it, then the API scenarios side by side for the three load settings. Printed at
// the end of `npm run bench`, or alone with `npm run bench -- --only summary`. Each figure names the date of the run
// it comes from, so a table assembled from runs of different days says so.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { RESULTS, fmt, isMain } from "./gen/util";

interface Machine { cpu: string; cores: number; memGiB: number; node: string; os: string; date: string }
interface Saved { machine: Machine; command: string; [k: string]: any }
interface Found { file: string; r: Saved }

/** The newest result in dir whose file name matches. */
function newest(dir: string, re: RegExp): Found | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => re.test(f)).map((f) => path.join(dir, f));
  files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files.length ? { file: files[0], r: JSON.parse(readFileSync(files[0], "utf8")) as Saved } : null;
}

const day = (f: Found) => f.r.machine.date.slice(0, 10);
const pct = (x: number) => `${fmt(100 * x, 1)} %`;
const status = (ok: boolean) => (ok ? "met" : "missed");

type Row = [figure: string, measured: string, target: string, status: string];

function targetRows(dir: string): Row[] {
  const rows: Row[] = [];
  const btc = newest(dir, /^ingest-btc-\d+\.json$/);
  if (btc) {
    const f = btc.r.figures, c = btc.r.chain, s = btc.r.settings;
    const when = day(btc);
    rows.push(
      [`Bitcoin full index, ${fmt(s.txs)} txs (${fmt(c.blockBytes / 1e6, 1)} MB of blk files → PostgreSQL)`,
        `${when}: **${fmt(f.txPerSec)} tx/s**, ${fmt(f.blocksPerSec, 2)} blocks/s, ${fmt(f.mbPerSec, 2)} MB/s (${fmt(btc.r.index.seconds, 1)} s); CPU per tx: indexer ${fmt(1000 * f.indexerCpuMsPerTx)} µs, PostgreSQL ${fmt(1000 * f.pgCpuMsPerTx)} µs`,
        "≥ 15,000 tx/s", status(f.txPerSec >= 15_000)],
      ["ours ÷ COPY of the same rows (limit b)", `${when}: **${fmt(f.ratioToCopy, 2)}** (COPY alone ${fmt(f.copyTxPerSec)} tx/s)`, "≥ 0.7", status(f.ratioToCopy >= 0.7)],
      ["ours ÷ parse + verify only (limit a)", `${when}: ${fmt(f.ratioToVerifyOnly, 2)} (parse + verify alone ${fmt(f.verifyOnlyTxPerSec)} tx/s)`, "—", "—"],
      ["verification share of ingest CPU", `${when}: **${pct(f.verifyShareOfAllCpu)}** of indexer + PostgreSQL (${pct(f.verifyShareOfIndexerCpu)} of the indexer's own)`,
        "≤ 10 %", status(f.verifyShareOfAllCpu <= 0.1)],
      ["indexer RSS peak", `${when}: **${fmt(f.indexerRssPeakMB)} MB**`, "< 1 GiB", status(f.indexerRssPeakMB < 1024)],
      ["DB size ÷ raw block bytes", `${when}: **${fmt(f.dbToRaw, 2)}**`, "≤ 1.5", status(f.dbToRaw <= 1.5)],
    );
  }
  const share = newest(dir, /^ingest-verify-share-\d+\.json$/);
  if (share) {
    const r = share.r;
    rows.push(["verification, profiled (" + fmt(r.txs) + " txs)",
      `${day(share)}: sha256 + verify ${pct(r.profile.hashPlusVerifyShare)} of the indexer's busy CPU, ${pct(r.profile.verifyInclusiveShare)} under verifyBlock; sha256d node:crypto ${fmt(r.sha.nodeOverNoble, 1)}× @noble/hashes (${fmt(r.sha.nodeCryptoMBPerSec)} vs ${fmt(r.sha.nobleMBPerSec)} MB/s)`,
      "—", "—"]);
  }
  const evm = newest(dir, /^ingest-evm-\d+\.json$/);
  if (evm) {
    const r = evm.r;
    rows.push([`EVM index ÷ fetch-only (anvil, ${fmt(r.settings.blocks)} blocks, ${fmt(r.generated.txs)} txs)`,
      `${day(evm)}: **${fmt(r.figures.ratioDefault, 2)}** (${fmt(r.indexDefault.txPerSec)} vs ${fmt(r.fetchOnly.txPerSec)} tx/s; ${fmt(r.figures.ratioNoSenders, 2)} with the sender check off)`,
      "≥ 0.8", status(r.figures.ratioDefault >= 0.8)]);
  }
  return rows;
}

interface Scenario { name: string; requests: number; reqPerSec: number; p95: number; errors: number }

/** One column per load setting: 16 connections with the response cache, 16 and 1 without. */
function apiTable(dir: string): string[] {
  const runs = [
    { title: "16 connections, cache on", found: newest(dir, /^api-\d+-c16\.json$/), throughput: true },
    { title: "16 connections, cache off", found: newest(dir, /^api-\d+-c16-nocache\.json$/), throughput: true },
    { title: "1 connection, cache off", found: newest(dir, /^api-\d+-c1-nocache\.json$/), throughput: false },
  ].filter((x) => x.found);
  if (!runs.length) return [];
  const names: string[] = [];
  for (const x of runs) for (const s of x.found!.r.results as Scenario[]) if (!names.includes(s.name)) names.push(s.name);
  const cell = (x: (typeof runs)[number], name: string) => {
    const s = (x.found!.r.results as Scenario[]).find((y) => y.name === name);
    if (!s) return "—";
    if (s.errors && s.errors === s.requests) return `all ${fmt(s.errors)} refused`;
    const ok = s.errors === 0 && s.p95 < 20 && (!x.throughput || s.reqPerSec >= 1000);
    return `${fmt(s.reqPerSec)} req/s, p95 ${fmt(s.p95, 1)} ms${ok ? " ✓" : ""}${s.errors ? `, ${fmt(s.errors)} errors` : ""}`;
  };
  const head = runs.map((x) => `${x.title} (${day(x.found!)})`);
  return [
    `| GraphQL scenario (site server, ${fmt(runs[0].found!.r.settings.txs)}-tx chain) | ${head.join(" | ")} |`,
    `|---|${runs.map(() => "---").join("|")}|`,
    ...names.map((n) => `| ${n} | ${runs.map((x) => cell(x, n)).join(" | ")} |`),
    "",
    "Target: p95 < 20 ms with ≥ 1,000 req/s at 16 connections (✓ where met; at 1 connection, p95 < 20 ms). Commands: "
      + runs.map((x) => `\`${x.found!.r.cache === "off" ? "CHAINPROOF_GRAPHQL_CACHE=off " : ""}${x.found!.r.command}\``).join(", ") + ".",
  ];
}

/** The markdown the README's Benchmarks section holds, from the newest results. */
export function summaryMarkdown(dir = RESULTS): string {
  const found = [/^ingest-btc-/, /^ingest-verify-share-/, /^ingest-evm-/, /^api-/].map((re) => newest(dir, re)).filter((x): x is Found => !!x);
  const ingest = found.filter((f) => !path.basename(f.file).startsWith("api-"));
  if (!found.length) return `No results in ${dir} yet: run \`npm run bench\` first.`;
  const m = found[0].r.machine;
  const rows = targetRows(dir);
  return [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, Node ${m.node}, ${m.os}.${ingest.length ? ` Commands: ${ingest.map((f) => `\`${f.r.command}\``).join(", ")}.` : ""}`,
    "",
    "| figure | measured | target | status |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
    ...apiTable(dir),
  ].join("\n");
}

if (isMain(import.meta.url)) console.log(summaryMarkdown());
