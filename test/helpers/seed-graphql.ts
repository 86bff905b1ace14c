// Seed data for the GraphQL tests, written straight into the tables with SQL:
// - "bitcoin": real mainnet blocks 0–170 from the fixture blk file (block 170 holds the first person-to-person
//   payment), every derived row (inputs with prevouts, spends, addresses, history, getblockstats) computed here,
//   plus one stale block beside 170;
// - "evm-dev": a small synthetic EVM chain (token deployment, an ERC-20 transfer with its log, a large-value
//   transfer, a reverted call).
// The lead will later replace this with data indexed by the real indexer; the tests assert chain facts, not ids.
import { readFileSync } from "node:fs";
import path from "node:path";
import type postgres from "postgres";
import { blockHash, isCoinbase, parseBlock, txid as txidOf, txSize, txVsize, txWeight, type Block } from "../../lib/bitcoin/codec";
import { blockStats, collectPrevouts, type Prevout } from "../../lib/bitcoin/stats";
import { classifyScript, SCRIPT_TYPE_CODE } from "../../lib/bitcoin/script";
import { reversedHex } from "../../lib/bytes";

export const BTC_CHAIN_ID = 1;
export const EVM_CHAIN_ID = 2;
export const BTC_LAST_HEIGHT = 170;

const BLK = path.resolve(import.meta.dirname, "../fixtures/chaindata/bitcoin/derived/mainnet_blocks_0_to_583.dat");

/** Blocks 0..n from the blk file ([f9beb4d9][LE u32 length][block] records, in height order). */
export function readMainnetBlocks(n: number): Block[] {
  const buf = new Uint8Array(readFileSync(BLK));
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const blocks: Block[] = [];
  let pos = 0;
  while (blocks.length <= n) {
    if (dv.getUint32(pos) !== 0xf9beb4d9) throw new Error(`bad magic at ${pos}`);
    const len = dv.getUint32(pos + 4, true);
    blocks.push(parseBlock(buf.subarray(pos + 8, pos + 8 + len)));
    pos += 8 + len;
  }
  return blocks;
}

/** Insert rows (bigints, Buffers, arrays, JSON) in chunks; postgres.js serializes them, its types are narrower. */
async function ins(sql: postgres.Sql, table: string, rows: object | object[]) {
  const list = Array.isArray(rows) ? rows : [rows];
  for (let i = 0; i < list.length; i += 500) await sql`insert into ${sql(table)} ${sql(list.slice(i, i + 500) as Record<string, never>[])}`;
}

const id = (chainId: number, seq: number) => (BigInt(chainId) << 40n) + BigInt(seq);
const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export interface SeedInfo {
  btcStaleHash: string;
  evm: { alice: string; bob: string; token: string; miner: string; deployTx: string; transferTx: string; bigValueTx: string; revertedTx: string; blockHashes: string[] };
}

export async function seedGraphql(sql: postgres.Sql): Promise<SeedInfo> {
  const btcStaleHash = await seedBitcoin(sql);
  const evm = await seedEvm(sql);
  return { btcStaleHash, evm };
}

// ------------------------------------------------------------------------------------------------- Bitcoin

async function seedBitcoin(sql: postgres.Sql): Promise<string> {
  const blocks = readMainnetBlocks(BTC_LAST_HEIGHT);
  const outputsByTxid = new Map<string, { txId: bigint; outs: { value: bigint; script: Uint8Array; addressId: bigint; spent?: { txId: bigint; vin: number; height: number } }[] }>();
  const addresses = new Map<string, { id: bigint; script: Uint8Array; received: bigint; sent: bigint; txs: Set<bigint>; utxos: number; first: number; last: number }>();
  const history = new Map<string, { addressId: bigint; height: number; position: number; txId: bigint; delta: bigint }>();
  const rows = { block: [] as object[], btc_block: [] as object[], stats: [] as object[], tx: [] as object[], input: [] as object[] };
  let txSeq = 0;
  let addrSeq = 0;

  const addressOf = (script: Uint8Array, height: number) => {
    const k = buf(script).toString("hex");
    let a = addresses.get(k);
    if (!a) addresses.set(k, (a = { id: id(BTC_CHAIN_ID, addrSeq++), script, received: 0n, sent: 0n, txs: new Set(), utxos: 0, first: height, last: height }));
    a.last = height;
    return a;
  };
  const touch = (a: { id: bigint; txs: Set<bigint> }, height: number, position: number, txId: bigint, delta: bigint) => {
    a.txs.add(txId);
    const k = `${a.id}:${txId}`;
    const h = history.get(k);
    if (h) h.delta += delta;
    else history.set(k, { addressId: a.id, height, position, txId, delta });
  };

  for (let height = 0; height < blocks.length; height++) {
    const block = blocks[height];
    const hash = blockHash(block.header);
    const prevouts = collectPrevouts(block, (t, vout) => {
      const o = outputsByTxid.get(t)?.outs[vout];
      return o ? ({ value: o.value, scriptPubKey: o.script } satisfies Prevout) : undefined;
    });
    const st = blockStats(block, { height, network: "mainnet", prevouts });
    rows.block.push({
      chain_id: BTC_CHAIN_ID, hash: buf(hash), height, parent_hash: buf(block.header.prevHash), time: block.header.time, tx_count: block.txs.length,
      size: block.raw.length, stale: false, checks: ["headerHash", "pow", "prevHash", "merkleRoot", "coinbase", "size"],
    });
    rows.btc_block.push({
      chain_id: BTC_CHAIN_ID, hash: buf(hash), version: block.header.version, merkle_root: buf(block.header.merkleRoot), bits: block.header.bits | 0,
      nonce: block.header.nonce, stripped_size: st.total_size, weight: st.total_weight,
    });
    rows.stats.push({
      chain_id: BTC_CHAIN_ID, height, time: st.time, txs: st.txs, ins: st.ins, outs: st.outs, subsidy: st.subsidy, totalfee: st.totalfee, total_out: st.total_out,
      total_size: st.total_size, total_weight: st.total_weight, swtxs: st.swtxs, swtotal_size: st.swtotal_size, swtotal_weight: st.swtotal_weight,
      avgfee: st.avgfee, avgfeerate: st.avgfeerate, avgtxsize: st.avgtxsize, maxfee: st.maxfee, maxfeerate: st.maxfeerate, maxtxsize: st.maxtxsize,
      medianfee: st.medianfee, mediantxsize: st.mediantxsize, minfee: st.minfee, minfeerate: st.minfeerate, mintxsize: st.mintxsize,
      feerate_percentiles: st.feerate_percentiles, utxo_increase: st.utxo_increase, utxo_size_inc: st.utxo_size_inc,
      utxo_increase_actual: st.utxo_increase_actual, utxo_size_inc_actual: st.utxo_size_inc_actual,
    });
    block.txs.forEach((tx, position) => {
      const txId = id(BTC_CHAIN_ID, txSeq++);
      const coinbase = position === 0 && isCoinbase(tx);
      let inputValue = 0n;
      tx.inputs.forEach((input, vin) => {
        if (coinbase) {
          rows.input.push({ chain_id: BTC_CHAIN_ID, tx_id: txId, vin, prev_tx_id: null, prev_vout: null, value: 0n, address_id: null });
          return;
        }
        const funding = outputsByTxid.get(reversedHex(input.prevTxid))!;
        const out = funding.outs[input.prevVout];
        out.spent = { txId, vin, height };
        inputValue += out.value;
        const a = [...addresses.values()].find((x) => x.id === out.addressId)!;
        a.sent += out.value;
        a.utxos -= 1;
        a.last = height;
        touch(a, height, position, txId, -out.value);
        rows.input.push({ chain_id: BTC_CHAIN_ID, tx_id: txId, vin, prev_tx_id: funding.txId, prev_vout: input.prevVout, value: out.value, address_id: out.addressId });
      });
      const outs = tx.outputs.map((o) => {
        const a = addressOf(o.scriptPubKey, height);
        a.received += o.value;
        a.utxos += 1;
        touch(a, height, position, txId, o.value);
        return { value: o.value, script: o.scriptPubKey, addressId: a.id };
      });
      const outputValue = outs.reduce((s, o) => s + o.value, 0n);
      outputsByTxid.set(reversedHex(txidOf(tx)), { txId, outs });
      rows.tx.push({
        id: txId, chain_id: BTC_CHAIN_ID, txid: buf(txidOf(tx)), height, position, version: tx.version, locktime: tx.locktime, size: txSize(tx), vsize: txVsize(tx),
        weight: txWeight(tx), is_coinbase: coinbase, has_witness: tx.hasWitness, input_count: tx.inputs.length, output_count: tx.outputs.length,
        input_value: inputValue, output_value: outputValue, fee: coinbase ? 0n : inputValue - outputValue, raw: buf(tx.raw),
      });
    });
  }

  const outputs = [...outputsByTxid.values()].flatMap(({ txId, outs }) =>
    outs.map((o, vout) => ({
      chain_id: BTC_CHAIN_ID, tx_id: txId, vout, value: o.value, script_type: SCRIPT_TYPE_CODE[classifyScript(o.script).type], address_id: o.addressId,
      spent_by_tx_id: o.spent?.txId ?? null, spent_by_vin: o.spent?.vin ?? null, spent_height: o.spent?.height ?? null,
    })),
  );
  const addressRows = [...addresses.values()].map((a) => ({
    id: a.id, chain_id: BTC_CHAIN_ID, script: buf(a.script), script_type: SCRIPT_TYPE_CODE[classifyScript(a.script).type], balance: a.received - a.sent,
    received: a.received, sent: a.sent, tx_count: a.txs.size, utxo_count: a.utxos, first_height: a.first, last_height: a.last,
  }));
  const historyRows = [...history.values()].map((h) => ({ chain_id: BTC_CHAIN_ID, address_id: h.addressId, height: h.height, position: h.position, tx_id: h.txId, delta: h.delta }));

  // A stale sibling of block 170 (same parent; a made-up header hash), as a reorg would leave it.
  const stale = Buffer.alloc(32, 0x17);
  const b170 = blocks[BTC_LAST_HEIGHT];
  rows.block.push({ chain_id: BTC_CHAIN_ID, hash: stale, height: BTC_LAST_HEIGHT, parent_hash: buf(b170.header.prevHash), time: b170.header.time + 1, tx_count: 1, size: 215, stale: true, checks: ["headerHash", "pow", "prevHash", "merkleRoot"] });
  rows.btc_block.push({ chain_id: BTC_CHAIN_ID, hash: stale, version: 1, merkle_root: Buffer.alloc(32, 0x42), bits: b170.header.bits, nonce: 1, stripped_size: 215, weight: 860 });

  const tip = rows.block[BTC_LAST_HEIGHT] as { hash: Buffer };
  await ins(sql, "chain", {
    id: BTC_CHAIN_ID, slug: "bitcoin", family: "bitcoin", network: "mainnet", name: "Bitcoin", source: "fixture blocks 0–170",
    tip_height: BTC_LAST_HEIGHT, tip_hash: tip.hash, node_height: 583, next_tx_seq: txSeq, next_addr_seq: addrSeq, status: "syncing",
    last_error: null, blocks_per_sec: 12.5, tx_per_sec: 30.25,
  });
  for (const [table, list] of [["block", rows.block], ["btc_block", rows.btc_block], ["btc_block_stats", rows.stats], ["btc_tx", rows.tx], ["btc_input", rows.input], ["btc_output", outputs], ["btc_address", addressRows], ["btc_address_tx", historyRows]] as const) {
    await ins(sql, table, list);
  }
  await sql`update block set stale_at = now() where stale`;
  return stale.toString("hex");
}

// ------------------------------------------------------------------------------------------------- EVM

const hex = (s: string) => Buffer.from(s.replace(/^0x/, ""), "hex");
const h32 = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const topicAddr = (a: string) => hex(`0x${"0".repeat(24)}${a.slice(2)}`);

async function seedEvm(sql: postgres.Sql): Promise<SeedInfo["evm"]> {
  const alice = "0x00000000000000000000000000000000000a11ce";
  const bob = "0x0000000000000000000000000000000000000b0b";
  const token = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
  const miner = "0x000000000000000000000000000000000000c0de";
  const blockHashes = [h32(0xb0), h32(0xb1), h32(0xb2)];
  const [deployTx, transferTx, bigValueTx, revertedTx] = [h32(0x7a1), h32(0x7a2), h32(0x7a3), h32(0x7a4)];
  const a = (seq: number) => id(EVM_CHAIN_ID, seq);
  const t = (seq: number) => id(EVM_CHAIN_ID, seq);
  const [ALICE, BOB, TOKEN, MINER] = [a(0), a(1), a(2), a(3)];

  await ins(sql, "chain", { id: EVM_CHAIN_ID, slug: "evm-dev", family: "evm", network: "devnet", name: "EVM devnet", tip_height: 2, tip_hash: hex(blockHashes[2]), node_height: 2, next_tx_seq: 4, next_addr_seq: 4, status: "following", blocks_per_sec: 1, tx_per_sec: 2 });
  const evmChecks = ["headerHash", "parentHash", "txHashes", "transactionsRoot", "receiptsRoot", "logsBloom"];
  for (let h = 0; h < 3; h++) {
    await ins(sql, "block", { chain_id: EVM_CHAIN_ID, hash: hex(blockHashes[h]), height: h, parent_hash: h === 0 ? Buffer.alloc(32) : hex(blockHashes[h - 1]), time: 1_700_000_000 + 12 * h, tx_count: [0, 1, 3][h], size: 600 + h, stale: false, checks: evmChecks });
    await ins(sql, "evm_block", {
      chain_id: EVM_CHAIN_ID, hash: hex(blockHashes[h]), miner: hex(miner), gas_used: [0, 500_000, 120_000][h], gas_limit: 30_000_000, base_fee_per_gas: "1000000000",
      state_root: hex(h32(0x5000 + h)), transactions_root: hex(h32(0x6000 + h)), receipts_root: hex(h32(0x7000 + h)), withdrawals_root: null, extra_data: hex("0x6465766e6574"),
      header: sql.json({ difficulty: "0x0", mixHash: h32(0), nonce: "0x0000000000000000", logsBloom: `0x${"00".repeat(256)}`, baseFeePerGas: "0x3b9aca00" }),
    });
  }
  const addr = (idv: bigint, address: string, extra: object) => ({
    id: idv, chain_id: EVM_CHAIN_ID, address: hex(address), is_contract: false, balance: "0", balance_height: 2, tx_count: 0, first_height: 1, last_height: 2,
    token_name: null, token_symbol: null, token_decimals: null, ...extra,
  });
  await ins(sql, "evm_address", [
    addr(ALICE, alice, { balance: "876543210987654321098765432110", tx_count: 4 }),
    addr(BOB, bob, { balance: "123456789012345678901234567890", tx_count: 2, first_height: 2 }),
    addr(TOKEN, token, { is_contract: true, tx_count: 3, token_name: "Test Token", token_symbol: "TT", token_decimals: 18 }),
    addr(MINER, miner, { balance: "2000000000000000000", first_height: 0, last_height: 2 }),
  ]);
  const tx = (seq: number, hash: string, height: number, position: number, extra: object) => ({
    id: t(seq), chain_id: EVM_CHAIN_ID, hash: hex(hash), height, position, type: 2, from_id: ALICE, to_id: TOKEN, contract_created_id: null, value: "0", nonce: seq,
    gas: 1_000_000, gas_price: "1500000000", max_fee_per_gas: "2000000000", max_priority_fee_per_gas: "500000000", input: Buffer.alloc(0), status: 1, gas_used: 21_000,
    effective_gas_price: "1500000000", fee: (21_000n * 1_500_000_000n).toString(), log_count: 0, ...extra,
  });
  const transferInput = hex(`0xa9059cbb${"0".repeat(24)}${bob.slice(2)}${(1000n * 10n ** 18n).toString(16).padStart(64, "0")}`);
  await ins(sql, "evm_tx", [
    tx(0, deployTx, 1, 0, { to_id: null, contract_created_id: TOKEN, input: hex("0x6080604052"), gas_used: 500_000, fee: (500_000n * 1_500_000_000n).toString() }),
    tx(1, transferTx, 2, 0, { input: transferInput, gas_used: 51_000, fee: (51_000n * 1_500_000_000n).toString(), log_count: 1 }),
    tx(2, bigValueTx, 2, 1, { from_id: BOB, to_id: ALICE, value: "123456789012345678901234567890", nonce: 0 }),
    tx(3, revertedTx, 2, 2, { input: hex("0xdeadbeef"), status: 0, gas_used: 48_000, fee: (48_000n * 1_500_000_000n).toString() }),
  ]);
  await ins(sql, "evm_log", {
    chain_id: EVM_CHAIN_ID, tx_id: t(1), log_index: 0, address_id: TOKEN, topic0: hex("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"),
    topic1: topicAddr(alice), topic2: topicAddr(bob), topic3: null, data: hex((1000n * 10n ** 18n).toString(16).padStart(64, "0")),
  });
  await ins(sql, "evm_token_transfer", { chain_id: EVM_CHAIN_ID, tx_id: t(1), log_index: 0, batch_index: 0, height: 2, standard: 20, token_address_id: TOKEN, from_id: ALICE, to_id: BOB, nft_id: null, amount: (1000n * 10n ** 18n).toString() });
  await ins(sql, "evm_address_tx", [
    { chain_id: EVM_CHAIN_ID, address_id: ALICE, height: 1, position: 0, tx_id: t(0), role: 1 },
    { chain_id: EVM_CHAIN_ID, address_id: ALICE, height: 2, position: 0, tx_id: t(1), role: 1 | 8 },
    { chain_id: EVM_CHAIN_ID, address_id: ALICE, height: 2, position: 1, tx_id: t(2), role: 2 },
    { chain_id: EVM_CHAIN_ID, address_id: ALICE, height: 2, position: 2, tx_id: t(3), role: 1 },
    { chain_id: EVM_CHAIN_ID, address_id: BOB, height: 2, position: 0, tx_id: t(1), role: 8 },
    { chain_id: EVM_CHAIN_ID, address_id: BOB, height: 2, position: 1, tx_id: t(2), role: 1 },
    { chain_id: EVM_CHAIN_ID, address_id: TOKEN, height: 1, position: 0, tx_id: t(0), role: 4 },
    { chain_id: EVM_CHAIN_ID, address_id: TOKEN, height: 2, position: 0, tx_id: t(1), role: 2 | 16 },
    { chain_id: EVM_CHAIN_ID, address_id: TOKEN, height: 2, position: 2, tx_id: t(3), role: 2 },
  ]);
  return { alice, bob, token, miner, deployTx, transferTx, bigValueTx, revertedTx, blockHashes };
}
