// btcd's reorg files: a blocks directory holding blk_0_to_4.dat (genesis + 4 synthetic blocks) is followed, then the
// side branch blk_3A/4A/5A.dat appears; the longer branch wins, the losers are stale, and the database equals a
// clean index of the winner. The synthetic blocks are difficulty-1 (bits 1d00ffff = mainnet's powLimit) on
// mainnet magic over the real mainnet genesis, so they verify under the mainnet parameters (BIP34 is not active
// at these heights on mainnet; regtest would reject both their magic and their genesis).
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getNetwork } from "../../../lib/bitcoin/network";
import { BlkDirectorySource } from "../../../indexer/sources/bitcoin-blk";
import { startTestDb, type TestDb } from "../../helpers/db";
import { bitcoinChecksums, CHAINDATA, follow, indexUntil, registerChain } from "./helpers";

let db: TestDb;
const dirs: string[] = [];
const BTCD = path.join(CHAINDATA, "btcd");
const FOLLOW = 11, CLEAN = 12;

beforeAll(async () => {
  db = await startTestDb();
  await registerChain(db.sql, FOLLOW, "btcd-follow");
  await registerChain(db.sql, CLEAN, "btcd-clean");
});

afterAll(async () => {
  await db?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(files: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "btcd-reorg-"));
  dirs.push(dir);
  for (const f of files) await copyFile(path.join(BTCD, f), path.join(dir, f));
  return dir;
}

async function waitFor(what: string, fn: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const tipOf = async (id: number) => {
  const [r] = await db.sql`select tip_height::int as h, encode(tip_hash, 'hex') as hash from chain where id = ${id}`;
  return r as { h: number | null; hash: string | null };
};
const displayHash = (internalHex: string) => Buffer.from(internalHex, "hex").reverse().toString("hex");

describe("btcd reorg files in a followed blocks directory", () => {
  it("switches to the longer side branch when its files appear", async () => {
    const dir = await tempDir(["blk_0_to_4.dat"]);
    const logs: string[] = [];
    const stop = new AbortController();
    const source = new BlkDirectorySource({ dir, network: getNetwork("mainnet"), log: (l) => logs.push(l), slug: "btcd-follow" });
    const running = follow({ sql: db.sql, chainId: FOLLOW, slug: "btcd-follow", source, signal: stop.signal, logs });
    try {
      await waitFor("height 4", async () => (await tipOf(FOLLOW)).h === 4);
      const oldTip = (await tipOf(FOLLOW)).hash!;
      // 3A alone and then 4A only tie with the branch we hold: the first seen stays (as in Core).
      await copyFile(path.join(BTCD, "blk_3A.dat"), path.join(dir, "blk_3A.dat"));
      await copyFile(path.join(BTCD, "blk_4A.dat"), path.join(dir, "blk_4A.dat"));
      await new Promise((r) => setTimeout(r, 200));
      expect((await tipOf(FOLLOW)).hash).toBe(oldTip);
      await copyFile(path.join(BTCD, "blk_5A.dat"), path.join(dir, "blk_5A.dat"));
      await waitFor("height 5", async () => (await tipOf(FOLLOW)).h === 5);
    } finally {
      stop.abort();
      await running;
    }
    expect(displayHash((await tipOf(FOLLOW)).hash!)).toMatch(/^00000000195f8518/);
    expect(logs.join("\n")).toMatch(/reorg: rolled back to the common ancestor.*ancestor=2 depth=2/);
    const stale = await db.sql`select height::int, encode(hash, 'hex') as hash from block where chain_id = ${FOLLOW} and stale order by height`;
    expect(stale.map((s) => [s.height, displayHash(s.hash).slice(0, 16)])).toEqual([[3, "00000000bc358930"], [4, "000000002f264d65"]]);

    // A clean index of the winning chain (all four files present from the start).
    const clean = await tempDir(["blk_0_to_4.dat", "blk_3A.dat", "blk_4A.dat", "blk_5A.dat"]);
    await indexUntil({ sql: db.sql, chainId: CLEAN, slug: "btcd-clean", source: new BlkDirectorySource({ dir: clean, network: getNetwork("mainnet"), log: () => {}, slug: "btcd-clean" }), until: 5 });
    const a = await bitcoinChecksums(db.sql, FOLLOW);
    const b = await bitcoinChecksums(db.sql, CLEAN);
    expect(a).toEqual(b);
    // Nothing of the losing blocks' txs is left.
    const [n] = await db.sql`select count(*)::int as n from btc_tx where chain_id = ${FOLLOW} and height >= 3`;
    expect(n.n).toBe(3 + 1 + 2);
  });
});
