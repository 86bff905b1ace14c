// The operator `verify` command over every real block file in chaindata, and over tampered copies.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyJob } from "../../../indexer/verify";

const DATA = path.resolve("test/fixtures/chaindata");
const btcIndex: { file: string; hash: string }[] = JSON.parse(readFileSync(path.join(DATA, "bitcoin/index.json"), "utf8"));
const evmIndex: { file: string; receipts_file: string | null; hash: string }[] = JSON.parse(readFileSync(path.join(DATA, "ethereum/index.json"), "utf8"));
// These two are JSON fixture collections, not block files; their blocks are covered by the lib/bitcoin tests.
const notBlockFiles = new Set(["bitcoin-core/rpc_getblockstats.json", "bitcoinjs-lib/block.json"]);
const btcFiles = [...new Set(btcIndex.map((b) => b.file))].filter((f) => !notBlockFiles.has(f));

function runCli(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "indexer/verify.ts", ...args], { encoding: "utf8" });
}

describe("npm run verify", () => {
  it.each(btcFiles)("passes every block of bitcoin/%s with the hashes of index.json", (file) => {
    const { reports } = verifyJob({ file: path.join(DATA, "bitcoin", file) });
    expect(reports.length).toBeGreaterThan(0);
    for (const r of reports) expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    const expected = btcIndex.filter((b) => b.file === file && b.hash).map((b) => b.hash).sort(); // a truncated record has no hash
    expect(reports.map((r) => r.hash).sort()).toEqual(expected);
  });

  it.each(evmIndex.map((e) => [e.file, e.receipts_file, e.hash] as const))("passes ethereum/%s (receipts: %s)", (file, receipts, hash) => {
    const { reports } = verifyJob({ file: path.join(DATA, "ethereum", file), receipts: receipts ? path.join(DATA, "ethereum", receipts) : undefined });
    expect(reports).toHaveLength(1);
    expect(reports[0].checks.filter((c) => !c.ok)).toEqual([]);
    expect(reports[0].hash).toBe(hash);
    if (receipts) expect(reports[0].checks.map((c) => c.check)).toContain("receiptsRoot");
  });

  it("prints one line per block, --json one object per block, and exits 0 when all pass", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "indexer/verify.ts", path.join(DATA, "bitcoin/btcd/blk_0_to_4.dat")], { encoding: "utf8" });
    expect(out.trim().split("\n")).toHaveLength(5);
    expect(out).toMatch(/^✓ bitcoin 0 000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f .*pow ✓/m);
    const json = runCli("--json", path.join(DATA, "ethereum/rpc/ethereumjs/alchemy14151203.json"));
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ family: "evm", ok: true });
  });

  it("fails tampered copies, naming the check, with a non-zero exit", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "verify-cli-"));
    const raw = readFileSync(path.join(DATA, "bitcoin/bcoin/block300025.raw"));
    const header = Buffer.from(raw); header[40] ^= 1; // a bit of the Merkle root
    const tx = Buffer.from(raw); tx[raw.length - 100] ^= 1; // a bit inside the last transaction
    writeFileSync(path.join(dir, "header.raw"), header);
    writeFileSync(path.join(dir, "tx.raw"), tx);
    const block = JSON.parse(readFileSync(path.join(DATA, "ethereum/derived_rpc_from_portal_rlp/block_7000000.json"), "utf8"));
    block.gasUsed = "0x1";
    writeFileSync(path.join(dir, "evm.json"), JSON.stringify(block));
    for (const [file, check] of [["header.raw", "pow"], ["tx.raw", "merkleRoot"], ["evm.json", "headerHash"]] as const) {
      const r = runCli(path.join(dir, file));
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`${check} ✗`));
    }
  });
});
