// kill -9 during catch-up, then resume: 20 runs, each killed at a random point (seeded), each final database
// identical, table by table, to one clean run. The indexer runs as a separate process (run.ts) against the
// test chain's RPC server in this process.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestChain } from "../../helpers/testchain/chain";
import { chainChecksums, registerChain } from "../../helpers/testchain/checksum";
import { serveTestChain, type TestChainServer } from "../../helpers/testchain/server";
import { startTestDb, type TestDb } from "../../helpers/db";

const RUNS = 20;
const HEIGHT = 300;
const root = path.resolve(import.meta.dirname, "../../..");

describe("kill -9 during catch-up", () => {
  let db: TestDb;
  let server: TestChainServer;
  beforeAll(async () => {
    db = await startTestDb();
    server = await serveTestChain(new TestChain({ seed: "crash", height: HEIGHT }));
  });
  afterAll(async () => {
    await server?.close();
    await db?.stop();
  });

  function indexer(chainId: number): { child: ChildProcess; exit: Promise<number | null> } {
    const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/testchain/run.ts", "--db", db.url, "--rpc", server.url, "--chain-id", String(chainId), "--until", String(HEIGHT), "--batch", "10"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return { child, exit };
  }

  async function tipOf(chainId: number): Promise<number> {
    const [r] = await db.sql`select coalesce(tip_height, -1)::int as h from chain where id = ${chainId}`;
    return r.h;
  }

  it(`${RUNS} runs killed at random points equal one clean run`, async () => {
    await registerChain(db.sql, 1, "tc1");
    const clean = indexer(1);
    expect(await clean.exit).toBe(0);
    const reference = await chainChecksums(db.sql, 1);
    expect(reference.block_count).toBe(String(HEIGHT + 1));

    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const killedAt: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const id = 100 + run;
      await registerChain(db.sql, id, `tc${id}`);
      // Kill once the checkpoint passes a random height, plus a random few ms, so kills land before, inside and
      // after commits alike. The last 100 blocks are margin: on an idle host 40 blocks (4 batches) were once indexed
      // between the checkpoint read and the kill, which then landed after catch-up had finished.
      const target = Math.floor(random() * (HEIGHT - 100));
      const extraMs = Math.floor(random() * 30);
      const first = indexer(id);
      while (first.child.exitCode === null && (await tipOf(id)) < target) await new Promise((r) => setTimeout(r, 5));
      expect(first.child.exitCode, "the indexer must still be running when killed").toBe(null);
      await new Promise((r) => setTimeout(r, extraMs));
      first.child.kill("SIGKILL");
      await first.exit;
      const tip = await tipOf(id);
      killedAt.push(tip);
      const resumed = indexer(id);
      expect(await resumed.exit).toBe(0);
      expect(await chainChecksums(db.sql, id), `run ${run} killed at ${tip}`).toEqual(reference);
    }
    // Every kill landed during catch-up, never after it finished.
    expect(killedAt.every((h) => h < HEIGHT)).toBe(true);
    console.log(`kill -9 checkpoints: ${killedAt.join(", ")}`);
  }, 300_000);
});
