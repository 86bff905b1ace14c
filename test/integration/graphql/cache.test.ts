// The response cache (graphql/response-cache.ts) answers repeated queries without running them, and a new block or a
// reorg is visible on the very next request: the real indexer moves the tip while the API keeps serving, and the
// same query text is asked before and right after. Errors are never cached.
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { BlockTrees } from "../../../graphql/bitcoin/block-trees";
import { buildTreeFromLeaves, treeProof, treeRoot } from "../../../graphql/bitcoin/merkle-tree";
import { ROOT, type ChainConfig } from "../../../indexer/config";
import { merkleProof, merkleRoot } from "../../../lib/bitcoin/merkle";
import { runChain } from "../../../indexer/engine/engine";
import { createBitcoinAdapter } from "../../../indexer/sources/bitcoin-adapter";
import { registerChains } from "../../../indexer/store/chains";
import { startTestDb, type TestDb } from "../../helpers/db";
import { BITCOIN_DEMO_DIR } from "../../helpers/indexed";

const BTCD_DIR = path.join(ROOT, "test/fixtures/chaindata/bitcoin/btcd");

let db: TestDb;
let tmp: string;
let statements = 0;
let post: (body: string) => Promise<{ status: number; body: any }>;

/** Index `c` up to `untilHeight` with the real engine (registers the chain on first use, then resumes). */
async function indexTo(c: ChainConfig, untilHeight: number) {
  const [row] = await registerChains(db.sql, [c]);
  const adapter = createBitcoinAdapter(c, { chainId: row.id, network: "mainnet", log: () => {} });
  try {
    await runChain({
      sql: db.sql, chain: { id: row.id, slug: row.slug }, adapter, batchBlocks: 100, concurrency: 2, pollMs: 20, onInvalid: "stop",
      signal: new AbortController().signal, log: () => {}, untilHeight, retry: { baseMs: 10, capMs: 200 },
      progressOut: { isTTY: false, write: () => true } as never, progressLogEveryMs: 1e9,
    });
  } finally {
    await adapter.close();
  }
}

const demo: ChainConfig = { id: "demo", family: "bitcoin", network: "mainnet", name: "demo", startHeight: 0, source: { kind: "bitcoin-blk", dir: BITCOIN_DEMO_DIR } };

beforeAll(async () => {
  db = await startTestDb();
  tmp = await mkdtemp(path.join(os.tmpdir(), "chainproof-cache-"));
  await indexTo(demo, 100);
  process.env.DATABASE_URL = db.url;
  const { PrismaClient } = await import("../../../generated/prisma/client");
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url, max: 4 }), log: [{ emit: "event", level: "query" }] });
  client.$on("query", () => { statements++; });
  // The hottest loaders run raw SQL on the server's pg pool (graphql/sql.ts): count those statements too.
  (await import("../../../graphql/sql")).onRawQuery(() => { statements++; });
  (globalThis as { chainproofPrisma?: unknown }).chainproofPrisma = client;
  const { yoga } = await import("../../../graphql/yoga");
  post = async (body) => {
    const res = await yoga.fetch("http://x/api/graphql", { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body });
    return { status: res.status, body: await res.json() };
  };
}, 180_000);
afterAll(async () => {
  await (await import("../../../graphql/prisma")).endPool();
  await db?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const ask = async (query: string, variables?: Record<string, unknown>) => {
  const before = statements;
  const r = await post(JSON.stringify({ query, variables }));
  return { ...r, statements: statements - before };
};

const TIP_Q = `{ chains { id tipHeight tipHash } b: block(chain: "demo", height: 101) { hash height }
  tip: block(chain: "demo", height: 100) { hash transactions(first: 1) { edges { node { hash ... on BitcoinTransaction { outputs { spentBy { height } } } } } } } }`;

describe("response cache", () => {
  it("answers a repeated query from the cache: one statement (the chain rows of its key), the same answer", async () => {
    const a = await ask(TIP_Q);
    expect(a.body.errors).toBeUndefined();
    expect(a.statements).toBeGreaterThan(1);
    const b = await ask(TIP_Q);
    expect(b.statements).toBe(1);
    expect(b.status).toBe(200);
    expect(b.body).toEqual(a.body);
    // Different variables are a different key.
    const q = `query($h: Int!) { block(chain: "demo", height: $h) { height } }`;
    expect((await ask(q, { h: 5 })).body.data.block.height).toBe(5);
    const other = await ask(q, { h: 6 });
    expect(other.body.data.block.height).toBe(6);
    expect(other.statements).toBeGreaterThan(1);
  });

  it("shows a new block on the first request after the indexer commits it", async () => {
    const before = await ask(TIP_Q);
    expect(before.body.data.chains[0].tipHeight).toBe(100);
    expect(before.body.data.b).toBeNull();
    await indexTo(demo, 101);
    const after = await ask(TIP_Q);
    expect(after.statements).toBeGreaterThan(1);
    expect(after.body.data.chains[0].tipHeight).toBe(101);
    expect(after.body.data.b).toEqual({ hash: after.body.data.chains[0].tipHash, height: 101 });
    // And it is cached again under the new tip.
    expect((await ask(TIP_Q)).statements).toBe(1);
  }, 120_000);

  it("shows a reorg (new tip, stale blocks) on the first request after it", async () => {
    const dir = path.join(tmp, "btcd");
    await mkdir(dir);
    await copyFile(path.join(BTCD_DIR, "blk_0_to_4.dat"), path.join(dir, "blk_0_to_4.dat"));
    const c: ChainConfig = { id: "reorg", family: "bitcoin", network: "mainnet", name: "reorg", startHeight: 0, source: { kind: "bitcoin-blk", dir } };
    await indexTo(c, 4);
    const q = `{ chain(id: "reorg") { tipHeight tipHash } block(chain: "reorg", height: 3) { hash stale } }`;
    const before = await ask(q);
    expect(before.body.data.chain.tipHeight).toBe(4);
    expect(before.body.data.block.stale).toBe(false);
    const old3 = before.body.data.block.hash;
    expect((await ask(q)).statements).toBe(1);
    // The side branch 3A–5A appears: the engine rolls back 3 and 4 and follows it to 5.
    for (const f of ["blk_3A.dat", "blk_4A.dat", "blk_5A.dat"]) await copyFile(path.join(BTCD_DIR, f), path.join(dir, f));
    await indexTo(c, 5);
    const after = await ask(q);
    expect(after.statements).toBeGreaterThan(1);
    expect(after.body.data.chain.tipHeight).toBe(5);
    expect(after.body.data.block.hash).not.toBe(old3);
    const stale = await ask(`{ block(chain: "reorg", hash: "${old3}") { stale canonical { hash } } }`);
    expect(stale.body.data.block).toEqual({ stale: true, canonical: { hash: after.body.data.block.hash } });
  }, 120_000);

  it("never caches an error", async () => {
    // Not found after a lookup: two statements every time (chain rows, then the failed lookup).
    const q = `{ trace(chain: "demo", from: "${"ab".repeat(32)}") { root } }`;
    const a = await ask(q);
    expect(a.body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    const b = await ask(q);
    expect(b.body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    expect(b.statements).toBe(2);
  });
});

describe("Merkle tree cache (graphql/bitcoin/merkle-tree.ts)", () => {
  it("gives lib/bitcoin/merkle's root and proofs for every position, odd and even levels", () => {
    for (const n of [1, 2, 3, 5, 7, 8, 9, 33, 100]) {
      const txids = Array.from({ length: n }, () => new Uint8Array(randomBytes(32)));
      const tree = buildTreeFromLeaves(Buffer.concat(txids));
      expect(Buffer.from(treeRoot(tree)).toString("hex")).toBe(Buffer.from(merkleRoot(txids).root).toString("hex"));
      for (let i = 0; i < n; i++) {
        const hex = (p: { siblings: Uint8Array[] }) => p.siblings.map((x) => Buffer.from(x).toString("hex"));
        expect(hex(treeProof(tree, i))).toEqual(hex(merkleProof(txids, i)));
      }
      expect(() => treeProof(tree, n)).toThrow(RangeError);
    }
  });
});

describe("block trees (graphql/bitcoin/block-trees.ts)", () => {
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

  it("builds a block's tree once: concurrent requests share the read, later ones hit the cache", async () => {
    const [b] = await db.sql`select b.chain_id, b.hash, bb.merkle_root from block b join btc_block bb using (chain_id, hash)
      join chain c on c.id = b.chain_id where c.slug = 'demo' and b.height = 100 and not b.stale`;
    const txids = (await db.sql`select txid from btc_tx where chain_id = ${b.chain_id} and height = 100 order by position`).map((r) => new Uint8Array(r.txid));
    const trees = new BlockTrees();
    const before = statements;
    const all = await Promise.all(Array.from({ length: 5 }, () => trees.get(b.chain_id, b.hash)));
    expect(trees.reads).toBe(1);
    expect(statements - before).toBe(1);
    for (const t of all) {
      expect(t.tree).toBe(all[0].tree);
      expect(t.matches).toBe(true);
      expect(hex(t.headerRoot)).toBe(hex(b.merkle_root));
      expect(hex(treeRoot(t.tree))).toBe(hex(merkleRoot(txids).root));
    }
    const again = await trees.get(b.chain_id, b.hash);
    expect(again.tree).toBe(all[0].tree);
    expect(hex(again.headerRoot)).toBe(hex(b.merkle_root));
    expect(trees.reads).toBe(1);
    expect(statements - before).toBe(1);
  });

  it("never keeps or shares a tree whose root is not the header's (a stale block: its height now holds the winner's txs)", async () => {
    // The reorg test above left blocks 3 and 4 of "reorg" stale.
    const [b] = await db.sql`select b.chain_id, b.hash from block b join chain c on c.id = b.chain_id where c.slug = 'reorg' and b.stale and b.height = 3`;
    expect(b).toBeDefined();
    const trees = new BlockTrees();
    const all = await Promise.all(Array.from({ length: 3 }, () => trees.get(b.chain_id, b.hash)));
    for (const t of all) expect(t.matches).toBe(false);
    // The first read, then each request that joined it reads again on its own.
    expect(trees.reads).toBe(3);
    expect((await trees.get(b.chain_id, b.hash)).matches).toBe(false);
    expect(trees.reads).toBe(4);
  });

  it("rejects leaves that are not whole 32-byte txids", () => {
    expect(() => buildTreeFromLeaves(Buffer.alloc(33))).toThrow(RangeError);
    expect(buildTreeFromLeaves(Buffer.alloc(0)).leaves).toBe(0);
  });
});
