import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { summaryMarkdown } from "../../../bench/summary";

const machine = (date: string) => ({ cpu: "Test CPU", cores: 2, memGiB: 24, node: "v20", os: "Linux", date });
const btc = (txPerSec: number, date: string) => ({
  machine: machine(date), command: "npm run bench -- --only ingest-btc --txs 2000000", settings: { txs: 2_000_000 }, chain: { blockBytes: 1.0e9 },
  index: { seconds: 2e6 / txPerSec },
  figures: { txPerSec, blocksPerSec: 2, mbPerSec: 2.3, indexerCpuMsPerTx: 0.14, pgCpuMsPerTx: 0.17, ratioToCopy: 0.37, copyTxPerSec: 12_481,
    ratioToVerifyOnly: 0.1, verifyOnlyTxPerSec: 46_414, verifyShareOfAllCpu: 0.035, verifyShareOfIndexerCpu: 0.077, indexerRssPeakMB: 932, dbToRaw: 6.44 },
});
const api = (date: string, results: object[]) => ({ machine: machine(date), command: "npm run bench -- --only api", settings: { txs: 200_000 }, results });

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, body: object, mtime: number) {
  const f = path.join(dir, name);
  writeFileSync(f, JSON.stringify(body));
  utimesSync(f, mtime, mtime);
}

describe("bench summary (the README's table)", () => {
  it("says where to start when nothing was measured", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "cp-summary-"));
    expect(summaryMarkdown(dir)).toMatch(/^No results in .*`npm run bench`/);
  });

  it("takes each target's newest result, marks it met or missed, and names the run's date", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "cp-summary-"));
    write("ingest-btc-200000.json", btc(16_000, "2026-11-01T00:00:00Z"), 1_000);
    write("ingest-btc-2000000.json", btc(4_593, "2026-12-03T00:00:00Z"), 2_000);
    write("api-200000-c16.json", api("2026-12-03T01:00:00Z", [
      { name: "block page", requests: 50_000, reqPerSec: 5_000, p95: 4.7, errors: 0 },
      { name: "trace", requests: 9_000, reqPerSec: 900, p95: 27, errors: 0 },
      { name: "too deep", requests: 100, reqPerSec: 10, p95: 1, errors: 100 },
    ]), 2_000);
    const md = summaryMarkdown(dir);
    const row = (figure: string) => md.split("\n").find((l) => l.startsWith(`| ${figure}`)) ?? "";
    expect(row("Bitcoin full index")).toContain("2026-12-03: **4,593 tx/s**");
    expect(row("Bitcoin full index")).toMatch(/\| missed \|$/);
    expect(row("verification share")).toMatch(/3\.5 %.*\| met \|$/);
    expect(row("indexer RSS peak")).toMatch(/932 MB.*\| met \|$/);
    expect(row("DB size")).toMatch(/\| missed \|$/);
    expect(md).toContain("Test CPU, 2 cores, 24 GiB");
    expect(row("block page")).toContain("5,000 req/s, p95 4.7 ms ✓");
    expect(row("trace")).not.toContain("✓");
    expect(row("too deep")).toContain("all 100 refused");
  });
});
