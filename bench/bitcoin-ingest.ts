// Bitcoin ingest throughput on real data:
//  1. the demo chain (mainnet 0–583, 597 txs) from its blk file through the engine (runChain) into embedded PostgreSQL;
//  2. big real mainnet blocks (hundreds to thousands of txs each) written by the store on their own: their prevouts
//     are not in the fixtures, so funding outputs (one per spent outpoint, each to its own script) are inserted
//     first, untimed. Per block: decode, verify, and write (split by writeTimings) in tx/s.
// Run: npx tsx bench/bitcoin-ingest.ts
import { readFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { runChain } from "../indexer/engine/engine";
import { makeId, type IdCounters } from "../indexer/engine/adapter";
import { BitcoinAdapter } from "../indexer/sources/bitcoin-adapter";
import { decodeBlock, type BitcoinBlock } from "../indexer/sources/bitcoin-block";
import { BlkDirectorySource } from "../indexer/sources/bitcoin-blk";
import { writeBitcoinBlocks, writeTimings } from "../indexer/store/bitcoin";
import { hexOf } from "../indexer/store/bitcoin-sql";
import { isCoinbase, parseBlock, txid } from "../lib/bitcoin/codec";
import { mainnet } from "../lib/bitcoin/network";
import { verifyBlock } from "../lib/bitcoin/verify";
import { parseBlkFile } from "../lib/bitcoin/blk";
import { startTestDb } from "../test/helpers/db";

const ROOT = path.resolve(import.meta.dirname, "..");
const FIX = path.join(ROOT, "test/fixtures/chaindata/bitcoin");
const BIG: Array<[string, number, "raw" | "blk"]> = [
  ["btcd/277647.dat", 277647, "blk"],
  ["bcoin/block300025.raw", 300025, "raw"],
  ["bcoin/block426884.raw", 426884, "raw"],
  ["btcd/block-0000000000000000001602407ac49862a7bca9d00f7f402db20b7be2f5de59d2.blk", 574200, "raw"],
  ["rust-bitcoin/mainnet_block_000000000000000000000c835b2adcaedc20fdf6ee440009c249452c726dafae.raw", 702861, "raw"],
  ["ckb-bitcoin-spv-testdata/blocks/0831332.bin", 831332, "raw"],
];

const resetTimings = () => {
  for (const k of Object.keys(writeTimings) as (keyof typeof writeTimings)[]) writeTimings[k] = 0;
};
const fmtTimings = () => Object.entries(writeTimings).map(([k, v]) => `${k}=${v.toFixed(0)}ms`).join(" ");

const db = await startTestDb();
const sql = db.sql;
try {
  // ---------------------------------------------------------------- 1. demo chain through the engine
  await sql`insert into chain (id, slug, family, network, name) values (1, 'demo', 'bitcoin', 'mainnet', 'demo')`;
  resetTimings();
  const t0 = performance.now();
  await runChain({
    sql, chain: { id: 1, slug: "demo" },
    adapter: new BitcoinAdapter("demo", new BlkDirectorySource({ dir: path.join(ROOT, "data/bitcoin"), network: mainnet, log: () => {}, slug: "demo" }), mainnet),
    batchBlocks: 500, concurrency: 2, pollMs: 50, onInvalid: "stop", signal: new AbortController().signal, log: () => {}, untilHeight: 583,
    progressOut: { write: () => true } as never, progressLogEveryMs: 1e9,
  });
  const demoS = (performance.now() - t0) / 1000;
  console.log(`demo 0–583: 584 blocks, 597 txs in ${demoS.toFixed(2)} s = ${(584 / demoS).toFixed(0)} blocks/s, ${(597 / demoS).toFixed(0)} tx/s; write: ${fmtTimings()}`);

  // ---------------------------------------------------------------- 2. big real blocks
  let chainId = 2;
  console.log("block    txs   inputs  decode  verify   write  tx/s(write)  tx/s(all)  write split");
  for (const [file, height, kind] of BIG) {
    const bytes = readFileSync(path.join(FIX, file));
    const raw = kind === "blk" ? parseBlkFile(bytes).records[0].block : bytes;
    const id = chainId++;
    await sql`insert into chain (id, slug, family, network, name) values (${id}, ${"big" + id}, 'bitcoin', 'mainnet', 'big')`;
    const ids: IdCounters = { chainId: id, nextTxSeq: 0n, nextAddrSeq: 0n };
    await fund(id, ids, parseBlock(raw), height);

    let t = performance.now();
    const b: BitcoinBlock = decodeBlock("bench", { height, raw });
    const decodeMs = performance.now() - t;
    t = performance.now();
    const report = verifyBlock(b.block, { network: mainnet, height });
    const verifyMs = performance.now() - t;
    if (!report.ok) throw new Error(`block ${height} failed verification: ${JSON.stringify(report.checks.filter((c) => !c.ok))}`);
    resetTimings();
    t = performance.now();
    await sql.begin((tx) => writeBitcoinBlocks(tx, ids, [b], { slug: "bench", network: mainnet }));
    const writeMs = performance.now() - t;
    const n = b.block.txs.length;
    const ins = b.block.txs.reduce((s, x) => s + x.inputs.length, 0);
    console.log(
      `${String(height).padEnd(7)} ${String(n).padStart(5)} ${String(ins).padStart(8)} ${decodeMs.toFixed(0).padStart(6)}ms ${verifyMs.toFixed(0).padStart(5)}ms ${writeMs.toFixed(0).padStart(6)}ms ` +
        `${(n / (writeMs / 1000)).toFixed(0).padStart(11)} ${(n / ((decodeMs + verifyMs + writeMs) / 1000)).toFixed(0).padStart(10)}  ${fmtTimings()}`,
    );
  }
} finally {
  await db.stop();
}

/** Untimed: one funding tx per distinct spent txid at height - 1, outputs up to the highest spent vout, each to a
 *  fresh script, so the block's prevouts resolve like a real index's would. */
async function fund(chainId: number, ids: IdCounters, block: ReturnType<typeof parseBlock>, height: number): Promise<void> {
  const own = new Set<string>();
  const need = new Map<string, number>();
  for (const tx of block.txs) {
    if (!isCoinbase(tx)) for (const i of tx.inputs) {
      const k = hexOf(i.prevTxid);
      if (!own.has(k)) need.set(k, Math.max(need.get(k) ?? 0, i.prevVout));
    }
    own.add(hexOf(txid(tx)));
  }
  const txIds: string[] = [], txids: string[] = [];
  const oTx: string[] = [], oVout: number[] = [], oAddr: string[] = [], aScript: string[] = [];
  for (const [k, maxVout] of need) {
    const txId = makeId(chainId, ids.nextTxSeq++);
    txIds.push(txId.toString());
    txids.push(k);
    for (let v = 0; v <= maxVout; v++) {
      const addr = makeId(chainId, ids.nextAddrSeq++);
      oTx.push(txId.toString());
      oVout.push(v);
      oAddr.push(addr.toString());
      aScript.push("76a914" + randomBytes(20).toString("hex") + "88ac");
    }
  }
  await sql`insert into btc_tx (id, chain_id, txid, height, position, version, locktime, size, vsize, weight, is_coinbase, has_witness, input_count, output_count, input_value, output_value, fee, raw)
    select u.id, ${chainId}, decode(u.t, 'hex'), ${height - 1}, 0, 1, 0, 0, 0, 0, false, false, 0, 0, 0, 0, 0, ''::bytea from unnest(${txIds}::bigint[], ${txids}::text[]) u(id, t)`;
  await sql`insert into btc_address (id, chain_id, script, script_type, balance, received, utxo_count, tx_count, first_height, last_height)
    select u.a, ${chainId}, decode(u.s, 'hex'), 2, 100000000000, 100000000000, 1, 1, ${height - 1}, ${height - 1} from unnest(${oAddr}::bigint[], ${aScript}::text[]) u(a, s)`;
  await sql`insert into btc_output (chain_id, tx_id, vout, value, script_type, address_id)
    select ${chainId}, u.t, u.v, 100000000000, 2, u.a from unnest(${oTx}::bigint[], ${oVout}::int[], ${oAddr}::bigint[]) u(t, v, a)`;
  await sql`analyze`;
}
