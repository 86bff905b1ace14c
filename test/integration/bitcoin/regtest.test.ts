// Bitcoin Core's rpc_getblockstats regtest chain (104 blocks) served by the test bitcoind: getblockstats for heights
// 101–103 reproduced field for field from btc_block_stats; tampered copies refused with nothing of them written;
// the RPC client's auth, batching and typed errors.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBlock, serializeBlock, serializeHeader, txid, type Transaction } from "../../../lib/bitcoin/codec";
import { sha256d, sha256dParts } from "../../../lib/bitcoin/hash";
import { merkleRoot } from "../../../lib/bitcoin/merkle";
import { getNetwork } from "../../../lib/bitcoin/network";
import { checkProofOfWork } from "../../../lib/bitcoin/pow";
import { witnessCommitmentIndex, witnessMerkleRoot } from "../../../lib/bitcoin/witness";
import { DoubleSpendError } from "../../../indexer/store/bitcoin";
import { hexToBytes } from "../../../lib/bytes";
import { BlockVerificationError } from "../../../lib/verify";
import { BitcoinRpcClient, BitcoinRpcSource, RpcAuthError, RpcError, RpcHttpError, RpcTransportError } from "../../../indexer/sources/bitcoin-rpc";
import { FakeBitcoind } from "../../helpers/bitcoind";
import { startTestDb, type TestDb } from "../../helpers/db";
import { CHAINDATA, indexUntil, registerChain } from "./helpers";

const fixture = JSON.parse(readFileSync(path.join(CHAINDATA, "bitcoin-core/rpc_getblockstats.json"), "utf8")) as {
  blocks: string[];
  stats: Array<Record<string, unknown>>;
};
const blocks = fixture.blocks.map(hexToBytes);
const regtest = getNetwork("regtest");

let db: TestDb;
let node: FakeBitcoind;
let nextChain = 20;

beforeAll(async () => {
  db = await startTestDb();
  node = await new FakeBitcoind({ blocks, chain: "regtest" }).start();
});

afterAll(async () => {
  await node?.stop();
  await db?.stop();
});

async function newChain(slug: string): Promise<number> {
  const id = nextChain++;
  await registerChain(db.sql, id, slug, "regtest");
  return id;
}

const rpc = () => new BitcoinRpcSource(new BitcoinRpcClient({ url: node.url, user: node.user, password: node.password, timeoutMs: 2_000 }));

describe("regtest getblockstats chain", () => {
  it("reproduces Bitcoin Core's getblockstats for heights 101–103 field for field", async () => {
    const id = await newChain("rt-stats");
    await indexUntil({ sql: db.sql, chainId: id, slug: "rt-stats", source: rpc(), network: "regtest", until: 103, batchBlocks: 30 });
    for (const core of fixture.stats) {
      const [row] = await db.sql`select * from btc_block_stats where chain_id = ${id} and height = ${core.height as number}`;
      const ours: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) {
        if (k === "chain_id") continue;
        ours[k] = Array.isArray(v) ? v.map(Number) : Number(v);
      }
      // blockhash and mediantime are not stats columns: the hash is the block's key, mediantime a header property.
      const { blockhash, mediantime, ...expected } = core;
      void mediantime;
      expect(ours).toEqual(expected);
      const [b] = await db.sql`select encode(hash, 'hex') as h from block where chain_id = ${id} and height = ${core.height as number} and not stale`;
      expect(Buffer.from(b.h, "hex").reverse().toString("hex")).toBe(blockhash);
    }
  });
});

// ---------------------------------------------------------------- tampering

const TIP = 103;

function flip(bytes: Uint8Array, offset: number, bit = 0): Uint8Array {
  const c = Uint8Array.from(bytes);
  c[offset] ^= 1 << bit;
  return c;
}

const offsetIn = (view: Uint8Array, within: Uint8Array) => view.byteOffset - within.byteOffset;

function withTxs(raw: Uint8Array, mutate: (txs: Transaction[]) => Transaction[]): Uint8Array {
  const b = parseBlock(raw);
  return serializeBlock({ header: b.header, txs: mutate([...b.txs]) });
}

/** A block with a wrong witness commitment that is otherwise valid: new merkle root, nonce ground for regtest PoW.
 *  The node names it by its own hash, as a node that accepted it would. */
function wrongCommitment(raw: Uint8Array): Uint8Array {
  const b = parseBlock(raw);
  const cb = b.txs[0];
  const k = cb.outputs.findIndex((o) => o.scriptPubKey.length >= 38 && o.scriptPubKey[0] === 0x6a && o.scriptPubKey[1] === 0x24 && o.scriptPubKey[2] === 0xaa);
  const script = Uint8Array.from(cb.outputs[k].scriptPubKey);
  script[37] ^= 1;
  const outputs = cb.outputs.map((o, i) => (i === k ? { ...o, scriptPubKey: script } : o));
  const txs = [{ ...cb, outputs }, ...b.txs.slice(1)];
  const reparsed = parseBlock(serializeBlock({ header: b.header, txs }));
  const header = { ...b.header, merkleRoot: merkleRoot(reparsed.txs.map(txid)).root };
  for (let nonce = 0; ; nonce++) {
    const h = serializeHeader({ ...header, nonce });
    if (checkProofOfWork(sha256d(h), header.bits, regtest).ok) return serializeBlock({ header: { ...header, nonce, raw: h }, txs: reparsed.txs });
  }
}

/** Grinds a regtest nonce for txs under `header` with their merkle root. */
function mined(header: ReturnType<typeof parseBlock>["header"], txs: Transaction[]): Uint8Array {
  const reparsed = parseBlock(serializeBlock({ header, txs }));
  const h0 = { ...header, merkleRoot: merkleRoot(reparsed.txs.map(txid)).root };
  for (let nonce = 0; ; nonce++) {
    const h = serializeHeader({ ...h0, nonce });
    if (checkProofOfWork(sha256d(h), h0.bits, regtest).ok) return serializeBlock({ header: { ...h0, nonce, raw: h }, txs: reparsed.txs });
  }
}

/** A valid-looking block (merkle root, witness commitment, PoW all right) with a twin of its first payment that
 *  spends the same outputs: a double spend inside one block, which only the store can see. */
function withDoubleSpend(raw: Uint8Array): Uint8Array {
  const b = parseBlock(raw);
  const victim = b.txs[1];
  const twin = { ...victim, outputs: victim.outputs.map((o, i) => (i === 0 ? { ...o, value: o.value - 1n } : o)) };
  const withTwin = parseBlock(serializeBlock({ header: b.header, txs: [...b.txs, twin] }));
  const cb = withTwin.txs[0];
  const k = witnessCommitmentIndex(cb);
  const script = Uint8Array.from(cb.outputs[k].scriptPubKey);
  script.set(sha256dParts(witnessMerkleRoot(withTwin).root, cb.inputs[0].witness[0]), 6);
  return mined(b.header, [{ ...cb, outputs: cb.outputs.map((o, i) => (i === k ? { ...o, scriptPubKey: script } : o)) }, ...withTwin.txs.slice(1)]);
}

const tip = () => blocks[TIP];
const witnessItem = () => {
  const b = parseBlock(tip());
  const tx = b.txs.find((t) => t.hasWitness)!;
  const item = tx.inputs.find((i) => i.witness.length)!.witness[0];
  return offsetIn(item, b.raw) + item.length - 2; // inside the signature, before the sighash byte
};

const cases: Array<{ name: string; make: () => Uint8Array; claim?: boolean; check: RegExp }> = [
  { name: "a flipped bit in the header", make: () => flip(tip(), 76), check: /failed headerHash: expected 7474991c/ },
  { name: "a flipped bit in a transaction", make: () => flip(tip(), offsetIn(parseBlock(tip()).txs[2].raw, tip()) + 10), check: /failed merkleRoot/ },
  { name: "a flipped bit in a witness", make: () => flip(tip(), witnessItem()), check: /failed witnessCommitment/ },
  { name: "a dropped transaction", make: () => withTxs(tip(), (t) => t.slice(0, -1)), check: /failed merkleRoot/ },
  { name: "the last transaction duplicated (same merkle root, CVE-2012-2459)", make: () => withTxs(tip(), (t) => [...t, t[t.length - 1]]), check: /failed merkleRoot.*CVE-2012-2459/ },
  { name: "the last transaction pair duplicated", make: () => withTxs(tip(), (t) => [...t, ...t.slice(-2)]), check: /failed merkleRoot/ },
  { name: "a wrong witness commitment", make: () => wrongCommitment(tip()), claim: true, check: /failed witnessCommitment/ },
  { name: "a truncated block", make: () => tip().slice(0, tip().length - 7), check: /failed parse/ },
];

describe("tampered blocks from the node", () => {
  for (const c of cases) {
    it(`refuses ${c.name}, naming chain, height, hash and check, and writes nothing of it`, async () => {
      const slug = `rt-tamper-${nextChain}`;
      const id = await newChain(slug);
      node.setChain(blocks);
      node.clearTampering();
      node.tamper(TIP, c.make(), { claim: c.claim });
      try {
        const err = await indexUntil({ sql: db.sql, chainId: id, slug, source: rpc(), network: "regtest", until: TIP, batchBlocks: 40 }).then(() => undefined, (e) => e);
        expect(err).toBeInstanceOf(BlockVerificationError);
        const msg = (err as Error).message;
        expect(msg).toContain(`${slug}: block ${TIP} `);
        expect(msg).toMatch(/block 103 [0-9a-f]{64} failed/);
        expect(msg).toMatch(c.check);
        const [r] = await db.sql`
          select (select count(*) from block where chain_id = ${id} and height >= ${TIP})::int as blocks,
            (select count(*) from btc_tx where chain_id = ${id} and height >= ${TIP})::int as txs,
            (select count(*) from btc_block_stats where chain_id = ${id} and height >= ${TIP})::int as stats,
            (select count(*) from btc_block where chain_id = ${id})::int as headers,
            (select tip_height::int from chain where id = ${id}) as tip, (select status from chain where id = ${id}) as status`;
        expect(r).toEqual({ blocks: 0, txs: 0, stats: 0, headers: TIP, tip: TIP - 1, status: "failed" });
      } finally {
        node.setChain(blocks);
        node.clearTampering();
      }
    });
  }
});

describe("a double spend inside one batch", () => {
  it("stops the chain naming the outpoint, after committing the batches before it, and writes nothing of its batch", async () => {
    const slug = `rt-double-${nextChain}`;
    const id = await newChain(slug);
    node.setChain(blocks);
    node.clearTampering();
    node.tamper(TIP, withDoubleSpend(tip()), { claim: true });
    try {
      const err = await indexUntil({ sql: db.sql, chainId: id, slug, source: rpc(), network: "regtest", until: TIP, batchBlocks: 40 }).then(() => undefined, (e) => e);
      expect(err).toBeInstanceOf(DoubleSpendError);
      expect((err as Error).message).toMatch(/^rt-double-\d+: block 103 [0-9a-f]{64} tx [0-9a-f]{64} input 0 spends [0-9a-f]{64}:\d+, which this batch already spent \(a double spend\)/);
      const [r] = await db.sql`
        select (select max(height)::int from block where chain_id = ${id}) as top, (select max(height)::int from btc_tx where chain_id = ${id}) as top_tx,
          (select tip_height::int from chain where id = ${id}) as tip`;
      expect(r).toEqual({ top: 79, top_tx: 79, tip: 79 });
    } finally {
      node.setChain(blocks);
      node.clearTampering();
    }
  });
});

// ---------------------------------------------------------------- the RPC client

describe("Bitcoin Core RPC client", () => {
  it("batches calls into one HTTP request per maxBatch calls", async () => {
    const client = new BitcoinRpcClient({ url: node.url, user: node.user, password: node.password, maxBatch: 50, parallel: 1 });
    const before = node.requests;
    const raws = await client.getRawBlocks(0, 99);
    expect(raws.map((r) => r.height)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(raws[0].claimedHash).toBe(regtest.genesisHash);
    expect(node.requests - before).toBe(4); // 2 × getblockhash, 2 × getblock
  });

  it("authenticates with the cookie file and re-reads it after the node rotates it", async () => {
    const client = new BitcoinRpcClient({ url: node.url, cookieFile: node.cookieFile });
    expect((await client.getBlockchainInfo()).blocks).toBe(TIP);
    await node.rotateCookie();
    expect((await client.getBlockchainInfo()).bestblockhash).toBe(node.hashAt(TIP));
  });

  it("reports typed errors", async () => {
    const bad = new BitcoinRpcClient({ url: node.url, user: node.user, password: "wrong" });
    await expect(bad.getBlockchainInfo()).rejects.toBeInstanceOf(RpcAuthError);
    const client = new BitcoinRpcClient({ url: node.url, user: node.user, password: node.password, timeoutMs: 300 });
    const e = await client.getBlockHash(10_000).catch((x) => x);
    expect(e).toBeInstanceOf(RpcError);
    expect(e).toMatchObject({ code: -8, method: "getblockhash" });
    node.injectFaults("truncate");
    await expect(client.getBlockchainInfo()).rejects.toThrow(RpcHttpError);
    node.injectFaults("http500");
    await expect(client.getBlockchainInfo()).rejects.toThrow(/HTTP 500 with a body that is not JSON/);
    node.injectFaults("hang");
    await expect(client.getBlockchainInfo()).rejects.toThrow(RpcTransportError);
    const closed = new BitcoinRpcClient({ url: "http://127.0.0.1:9/", user: "u", password: "p", timeoutMs: 500 });
    await expect(closed.getBlockchainInfo()).rejects.toThrow(RpcTransportError);
  });
});
