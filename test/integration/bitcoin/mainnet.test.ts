// Mainnet 0–583 (the demo chain): blk source and RPC source give identical databases; block 170's famous payment;
// value conservation; the truncated, out-of-order ScaleChain file.
import { mkdtemp, rm, copyFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reversedBytes } from "../../../lib/bytes";
import { BlkDirectorySource } from "../../../indexer/sources/bitcoin-blk";
import { BitcoinRpcClient, BitcoinRpcSource } from "../../../indexer/sources/bitcoin-rpc";
import { getNetwork } from "../../../lib/bitcoin/network";
import { decodeBlock } from "../../../indexer/sources/bitcoin-block";
import { PrevoutError, writeBitcoinBlocks } from "../../../indexer/store/bitcoin";
import type { BitcoinAdapter } from "../../../indexer/sources/bitcoin-adapter";
import { FakeBitcoind } from "../../helpers/bitcoind";
import { startTestDb, type TestDb } from "../../helpers/db";
import { bitcoinChecksums, CHAINDATA, chainFromBlkFile, DEMO_DIR, indexUntil, registerChain } from "./helpers";

let db: TestDb;
let node: FakeBitcoind;
const BLK = 1, RPC = 2, SCALE = 3, PREFIX = 4, NO_CACHE = 5, TINY_CACHE = 6;
let blkAdapter: BitcoinAdapter;
const blkLogs: string[] = [];
const scaleLogs: string[] = [];

beforeAll(async () => {
  db = await startTestDb();
  node = await new FakeBitcoind({ blocks: chainFromBlkFile(path.join(DEMO_DIR, "mainnet_blocks_0_to_583.dat")) }).start();
  for (const [id, slug] of [[BLK, "btc-blk"], [RPC, "btc-rpc"], [SCALE, "btc-scale"], [PREFIX, "btc-prefix"], [NO_CACHE, "btc-nocache"], [TINY_CACHE, "btc-tinycache"]] as const) await registerChain(db.sql, id, slug);
});

afterAll(async () => {
  await node?.stop();
  await db?.stop();
});

describe("mainnet 0–583", () => {
  it("indexes the same database from the blk directory and from Bitcoin Core RPC", async () => {
    const mainnet = getNetwork("mainnet");
    blkAdapter = await indexUntil({ sql: db.sql, chainId: BLK, slug: "btc-blk", source: new BlkDirectorySource({ dir: DEMO_DIR, network: mainnet, log: (l) => blkLogs.push(l), slug: "btc-blk" }), until: 583, logs: blkLogs });
    const client = new BitcoinRpcClient({ url: node.url, cookieFile: node.cookieFile, maxBatch: 40 });
    await indexUntil({ sql: db.sql, chainId: RPC, slug: "btc-rpc", source: new BitcoinRpcSource(client), until: 583, batchBlocks: 73 });
    const a = await bitcoinChecksums(db.sql, BLK);
    const b = await bitcoinChecksums(db.sql, RPC);
    expect(a.tx_count).toBe("597"); // 584 coinbases + 13 payments
    expect(a.checkpoint.split("|")[0]).toBe("583");
    expect(b).toEqual(a);
  });

  it("block 170: f4184fc5…9e16 spends block 9's coinbase, 10 BTC to Hal Finney, 40 BTC back", async () => {
    const sql = db.sql;
    const txid = reversedBytes("f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16");
    const [tx] = await sql`select id, height::int, position, input_value::text, output_value::text, fee::text from btc_tx where chain_id = ${BLK} and txid = ${Buffer.from(txid)}`;
    expect(tx).toMatchObject({ height: 170, position: 1, input_value: "5000000000", output_value: "5000000000", fee: "0" });
    const [input] = await sql`
      select i.value::text, p.height::int as prev_height, p.position as prev_pos, i.prev_vout, encode(a.script, 'hex') as script
      from btc_input i join btc_tx p on p.id = i.prev_tx_id join btc_address a on a.id = i.address_id where i.tx_id = ${tx.id}`;
    expect(input).toMatchObject({ value: "5000000000", prev_height: 9, prev_pos: 0, prev_vout: 0 });
    const outs = await sql`
      select o.vout, o.value::text, o.script_type, encode(a.script, 'hex') as script, o.spent_by_tx_id
      from btc_output o join btc_address a on a.id = o.address_id where o.tx_id = ${tx.id} order by vout`;
    expect(outs.map((o) => [o.vout, o.value, o.script_type])).toEqual([[0, "1000000000", 1], [1, "4000000000", 1]]);
    // Hal Finney's key (p2pk); the change goes back to the key that mined block 9.
    expect(outs[0].script).toBe("4104ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7303b8a0626f1baded5c72a704f7e6cd84cac");
    expect(outs[1].script).toBe(input.script);
    // Spent-by links, both ways: block 9's coinbase output names tx f4184fc5 input 0 at height 170.
    const [spent] = await sql`
      select o.spent_by_tx_id = ${tx.id} as linked, o.spent_by_vin, o.spent_height::int
      from btc_output o join btc_tx t on t.id = o.tx_id where t.chain_id = ${BLK} and t.height = 9 and o.vout = 0`;
    expect(spent).toEqual({ linked: true, spent_by_vin: 0, spent_height: 170 });
    const [hal] = await sql`select balance::text, received::text, sent::text, tx_count, utxo_count, first_height::int, last_height::int from btc_address where chain_id = ${BLK} and script = decode(${outs[0].script}, 'hex')`;
    expect(hal).toEqual({ balance: "1000000000", received: "1000000000", sent: "0", tx_count: 1, utxo_count: 1, first_height: 170, last_height: 170 });
    // The key that mined block 9 paid 50 BTC and got 40 BTC back in the same tx: one history row, delta -10 BTC.
    const hist = await sql`
      select h.height::int, h.delta::text from btc_address_tx h join btc_address a on a.id = h.address_id
      where a.chain_id = ${BLK} and a.script = decode(${input.script}, 'hex') order by height, position`;
    expect(hist.slice(0, 2)).toEqual([{ height: 9, delta: "5000000000" }, { height: 170, delta: "-1000000000" }]);
    const [miner9] = await sql`
      select balance = received - sent as consistent, balance = (select sum(delta) from btc_address_tx h where h.address_id = a.id) as summed,
        tx_count = (select count(*) from btc_address_tx h where h.address_id = a.id) as counted, first_height::int
      from btc_address a where chain_id = ${BLK} and script = decode(${input.script}, 'hex')`;
    expect(miner9).toEqual({ consistent: true, summed: true, counted: true, first_height: 9 });
  });

  it("conserves value: the balances sum to every coinbase output, 29,200 BTC (genesis's 50 BTC included)", async () => {
    const [r] = await db.sql`
      select (select sum(balance) from btc_address where chain_id = ${BLK})::text as balances,
        (select sum(output_value) from btc_tx where chain_id = ${BLK} and is_coinbase)::text as coinbase,
        (select sum(value) from btc_output where chain_id = ${BLK} and spent_by_tx_id is null)::text as unspent,
        (select sum(utxo_count) from btc_address where chain_id = ${BLK})::int as utxos,
        (select count(*) from btc_output where chain_id = ${BLK} and spent_by_tx_id is null)::int as unspent_rows`;
    expect(r.coinbase).toBe((29_200n * 100_000_000n).toString());
    expect(r.balances).toBe(r.coinbase);
    expect(r.unspent).toBe(r.coinbase);
    expect(r.utxos).toBe(r.unspent_rows);
    // Genesis's output is indexed (an unspent row and its address) though Core never made it spendable.
    const [g] = await db.sql`select o.spent_by_tx_id, o.value::text from btc_output o join btc_tx t on t.id = o.tx_id where t.chain_id = ${BLK} and t.height = 0`;
    expect(g).toEqual({ spent_by_tx_id: null, value: "5000000000" });
  });

  it("ScaleChain's truncated, out-of-order blk00000: indexes what links to genesis and reports the rest", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "scale-"));
    try {
      await copyFile(path.join(CHAINDATA, "scalechain/blk00000-128k.dat"), path.join(dir, "blk00000.dat"));
      const src = new BlkDirectorySource({ dir, network: getNetwork("mainnet"), log: (l) => scaleLogs.push(l), slug: "btc-scale" });
      const tip = await src.tip();
      // 568 whole records; heights 283–288 (and a few later ones) are not in the file, so 0–282 link to genesis.
      expect(tip.height).toBe(282);
      expect(scaleLogs.join("\n")).toMatch(/truncated block record at the end of blk00000.dat.*offset=131010 declared=216 available=54/);
      expect(scaleLogs.join("\n")).toMatch(/unlinkable=285 /);
      await indexUntil({ sql: db.sql, chainId: SCALE, slug: "btc-scale", source: src, until: 282 });
      await indexUntil({ sql: db.sql, chainId: PREFIX, slug: "btc-prefix", source: new BitcoinRpcSource(new BitcoinRpcClient({ url: node.url, user: node.user, password: node.password })), until: 282 });
      expect(await bitcoinChecksums(db.sql, SCALE)).toEqual(await bitcoinChecksums(db.sql, PREFIX));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses to write an input whose funding output is not indexed, naming the outpoint", async () => {
    const raw = chainFromBlkFile(path.join(DEMO_DIR, "mainnet_blocks_0_to_583.dat"))[170];
    const block = decodeBlock("btc-orphan", { height: 170, raw });
    const err = await db.sql
      .begin((tx) => writeBitcoinBlocks(tx, { chainId: 9, nextTxSeq: 0n, nextAddrSeq: 0n }, [block], { slug: "btc-orphan", network: getNetwork("mainnet") }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(PrevoutError);
    expect(err.message).toMatch(/btc-orphan: block 170 00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee tx f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16 input 0 spends 0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0, an output this index does not hold/);
    const [n] = await db.sql`select count(*)::int as n from btc_tx where chain_id = 9`;
    expect(n.n).toBe(0);
  });

  it("refuses an output spent by an earlier batch, and the genesis coinbase output, changing nothing", async () => {
    const before = await bitcoinChecksums(db.sql, BLK);
    const raw = chainFromBlkFile(path.join(DEMO_DIR, "mainnet_blocks_0_to_583.dat"))[170];
    const write = async (mutate?: (b: ReturnType<typeof decodeBlock>) => void) => {
      const block = decodeBlock("btc-blk", { height: 584, raw });
      mutate?.(block);
      return db.sql
        .begin(async (tx) => {
          const [c] = await tx`select next_tx_seq::text as t, next_addr_seq::text as a from chain where id = ${BLK}`;
          await writeBitcoinBlocks(tx, { chainId: BLK, nextTxSeq: BigInt(c.t), nextAddrSeq: BigInt(c.a) }, [block], { slug: "btc-blk", network: getNetwork("mainnet") });
        })
        .catch((e) => e);
    };
    // Block 170 again: its payment spends block 9's coinbase, which block 170 already spent.
    const again = await write();
    expect(again).toBeInstanceOf(PrevoutError);
    expect(again.message).toMatch(/spends 0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0, which was already spent at height 170 \(a double spend\)/);
    const genesis = await write((b) => {
      b.block.txs[1].inputs[0].prevTxid = reversedBytes("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
    });
    expect(genesis).toBeInstanceOf(PrevoutError);
    expect(genesis.message).toMatch(/spends 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b:0, the genesis coinbase output/);
    expect(await bitcoinChecksums(db.sql, BLK)).toEqual(before);
  });

  it("indexes the same database with the UTXO cache off and with one that must evict", async () => {
    const mainnet = getNetwork("mainnet");
    const source = (slug: string) => new BlkDirectorySource({ dir: DEMO_DIR, network: mainnet, log: () => {}, slug });
    // The demo chain's inputs mostly spend old coinbases: with the default cache they are hits after the first batch.
    expect(blkAdapter.utxos!.hits).toBeGreaterThan(0);
    await indexUntil({ sql: db.sql, chainId: NO_CACHE, slug: "btc-nocache", source: source("btc-nocache"), until: 583, utxoCacheEntries: 0 });
    const tiny = await indexUntil({ sql: db.sql, chainId: TINY_CACHE, slug: "btc-tinycache", source: source("btc-tinycache"), until: 583, batchBlocks: 37, utxoCacheEntries: 16 });
    expect(tiny.utxos!.size).toBe(16);
    const expected = await bitcoinChecksums(db.sql, BLK);
    expect(await bitcoinChecksums(db.sql, NO_CACHE)).toEqual(expected);
    expect(await bitcoinChecksums(db.sql, TINY_CACHE)).toEqual(expected);
  });

  it("with a warm UTXO cache: refuses the same spends, and a failed transaction's spends stay in the cache", async () => {
    const before = await bitcoinChecksums(db.sql, BLK);
    const raw = chainFromBlkFile(path.join(DEMO_DIR, "mainnet_blocks_0_to_583.dat"))[170];
    const [cb500] = await db.sql`select txid from btc_tx where chain_id = ${BLK} and height = 500 and position = 0`;
    const cache = blkAdapter.utxos!;
    expect(cache.get(cb500.txid, 0)).toBeDefined();
    const attempt = (mutate: (b: ReturnType<typeof decodeBlock>) => void, fail?: Error) => {
      const block = decodeBlock("btc-blk", { height: 584, raw });
      mutate(block);
      return db.sql
        .begin(async (tx) => {
          const [c] = await tx`select next_tx_seq::text as t, next_addr_seq::text as a from chain where id = ${BLK}`;
          await blkAdapter.write(tx, { chainId: BLK, nextTxSeq: BigInt(c.t), nextAddrSeq: BigInt(c.a) }, [block]);
          if (fail) throw fail;
        })
        .catch((e) => e);
    };
    expect(await attempt(() => {})).toBeInstanceOf(PrevoutError); // block 9's coinbase, spent at 170
    const genesis = await attempt((b) => (b.block.txs[1].inputs[0].prevTxid = reversedBytes("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b")));
    expect(genesis.message).toMatch(/the genesis coinbase output/);
    // A valid spend of block 500's coinbase, written from the cache, then the transaction fails: nothing committed,
    // so the cache must still hold the output.
    const spend500 = (b: ReturnType<typeof decodeBlock>) => (b.block.txs[1].inputs[0].prevTxid = Uint8Array.from(cb500.txid));
    const boom = new Error("the transaction fails after the write");
    expect(await attempt(spend500, boom)).toBe(boom);
    expect(cache.get(cb500.txid, 0)).toBeDefined();
    // The next write cannot know whether that one committed: it starts from an empty cache and still succeeds.
    expect(await attempt(spend500, boom)).toBe(boom);
    expect(cache.size).toBe(0);
    // A retried write gets the rows the engine prepared for the first attempt: it must not count a prevout twice.
    const block = decodeBlock("btc-blk", { height: 584, raw });
    spend500(block);
    const prepared = blkAdapter.prepare([block]);
    const inputValues: string[] = [];
    for (let i = 0; i < 2; i++) {
      const e = await db.sql
        .begin(async (tx) => {
          const [c] = await tx`select next_tx_seq::text as t, next_addr_seq::text as a from chain where id = ${BLK}`;
          await blkAdapter.write(tx, { chainId: BLK, nextTxSeq: BigInt(c.t), nextAddrSeq: BigInt(c.a) }, [block], prepared);
          const [t] = await tx`select input_value::text from btc_tx where chain_id = ${BLK} and height = 584 and position = 1`;
          inputValues.push(t.input_value);
          throw boom;
        })
        .catch((x) => x);
      expect(e).toBe(boom);
    }
    expect(inputValues).toEqual(["5000000000", "5000000000"]);
    expect(await bitcoinChecksums(db.sql, BLK)).toEqual(before);
  });
});
