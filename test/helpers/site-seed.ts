// Seed data for the site's e2e tests, written straight into the real tables (until the indexers land):
// - "btc-demo": real Bitcoin mainnet blocks from data/bitcoin/mainnet_blocks_0_to_583.dat, each verified with
//   lib/bitcoin/verify before it is written, with inputs, outputs, spends, addresses, history and getblockstats;
// - "evm-test": a small synthetic EVM chain whose token is named with an HTML payload (hostile-input test).
// Blocks can be added later (seedBitcoin with a higher range) to test live updates.
import { readFileSync } from "node:fs";
import path from "node:path";
import type postgres from "postgres";
import { parseBlkFile } from "../../lib/bitcoin/blk";
import { blockHashHex, isCoinbase, parseBlock, parseTransaction, txid, txSize, txVsize, txWeight, blockSize, blockStrippedSize, blockWeight, type Block } from "../../lib/bitcoin/codec";
import { blockStats, collectPrevouts, type Prevout } from "../../lib/bitcoin/stats";
import { verifyBlock } from "../../lib/bitcoin/verify";
import { classifyScript, SCRIPT_TYPE_CODE } from "../../lib/bitcoin/script";
import { reversedHex } from "../../lib/bytes";

const DAT = path.resolve("data/bitcoin/mainnet_blocks_0_to_583.dat");
const id = (chainId: number, seq: number | bigint) => ((BigInt(chainId) << 40n) + BigInt(seq)).toString();

let cachedBlocks: Block[] | undefined;
export function mainnetBlocks(): Block[] {
  if (!cachedBlocks) {
    const file = parseBlkFile(new Uint8Array(readFileSync(DAT)), { network: "mainnet" });
    cachedBlocks = file.records.map((r) => parseBlock(r.block));
  }
  return cachedBlocks;
}

export const BTC_CHAIN = { id: 1, slug: "btc-demo", name: "Bitcoin mainnet 0–583 (bundled)" };
export const EVM_CHAIN = { id: 2, slug: "evm-test", name: "EVM test chain (synthetic)" };

async function ensureChain(sql: postgres.Sql, c: { id: number; slug: string; name: string }, family: string, network: string) {
  await sql`
    insert into chain (id, slug, family, network, name, source, status)
    values (${c.id}, ${c.slug}, ${family}, ${network}, ${c.name}, ${"test seed"}, 'following')
    on conflict (id) do nothing`;
}

/** Index mainnet heights [from, to] (from must be 0 or follow the current tip). */
export async function seedBitcoin(sql: postgres.Sql, from: number, to: number): Promise<void> {
  const chainId = BTC_CHAIN.id;
  await ensureChain(sql, BTC_CHAIN, "bitcoin", "mainnet");
  const blocks = mainnetBlocks();
  await sql.begin(async (tx) => {
    const [chain] = await tx`select next_tx_seq, next_addr_seq from chain where id = ${chainId} for update`;
    let txSeq = BigInt(chain.next_tx_seq);
    let addrSeq = BigInt(chain.next_addr_seq);
    // Prevout index from what is already stored, so later ranges resolve earlier outputs.
    const outIndex = new Map<string, { txId: string; value: bigint; script: Uint8Array; addressId: string | null }>();
    const addrByScript = new Map<string, string>();
    for (const r of await tx`select id::text as id, script from btc_address where chain_id = ${chainId}`) addrByScript.set(Buffer.from(r.script).toString("hex"), r.id);
    if (from > 0) {
      const rows = await tx`
        select t.id::text as tx_id, t.txid, o.vout, o.value::text as value, o.address_id::text as address_id, t.raw
        from btc_output o join btc_tx t on t.id = o.tx_id where o.chain_id = ${chainId} and o.spent_by_tx_id is null`;
      for (const r of rows) {
        const parsed = parseBlockTxOutputs(r.raw);
        outIndex.set(`${reversedHex(r.txid)}:${r.vout}`, { txId: r.tx_id, value: BigInt(r.value), script: parsed[r.vout], addressId: r.address_id });
      }
    }
    const addrDelta = new Map<string, { script: Uint8Array; type: number; balance: bigint; received: bigint; sent: bigint; txs: number; utxo: number; first: number; last: number }>();
    const blockRows: Record<string, unknown>[] = [];
    const btcBlockRows: Record<string, unknown>[] = [];
    const statsRows: Record<string, unknown>[] = [];
    const txRows: Record<string, unknown>[] = [];
    const inRows: Record<string, unknown>[] = [];
    const outRows: Record<string, unknown>[] = [];
    const histRows: Record<string, unknown>[] = [];
    const spends: { txId: string; vout: number; byTx: string; byVin: number; height: number }[] = [];
    let prevHash: string | undefined = from > 0 ? blockHashHex(blocks[from - 1].header) : undefined;

    const addressId = (script: Uint8Array): string | null => {
      const c = classifyScript(script);
      if (c.type === "op_return") return null;
      const key = Buffer.from(script).toString("hex");
      let a = addrByScript.get(key);
      if (!a) addrByScript.set(key, (a = id(chainId, addrSeq++)));
      return a;
    };
    const touch = (aid: string, script: Uint8Array, height: number) => {
      let d = addrDelta.get(aid);
      if (!d) addrDelta.set(aid, (d = { script, type: SCRIPT_TYPE_CODE[classifyScript(script).type], balance: 0n, received: 0n, sent: 0n, txs: 0, utxo: 0, first: height, last: height }));
      d.last = height;
      return d;
    };

    for (let height = from; height <= to; height++) {
      const block = blocks[height];
      const report = verifyBlock(block, { network: "mainnet", height, expectedPrevHash: prevHash });
      if (!report.ok) throw new Error(`seed: block ${height} failed verification: ${JSON.stringify(report.checks.filter((c) => !c.ok))}`);
      prevHash = report.hash;
      blockRows.push({ chain_id: chainId, hash: Buffer.from(report.hash, "hex").reverse(), height, parent_hash: Buffer.from(block.header.prevHash), time: block.header.time, tx_count: block.txs.length, size: blockSize(block), checks: report.checks.map((c) => c.check) });
      btcBlockRows.push({ chain_id: chainId, hash: Buffer.from(report.hash, "hex").reverse(), version: block.header.version, merkle_root: Buffer.from(block.header.merkleRoot), bits: block.header.bits | 0, nonce: block.header.nonce, stripped_size: blockStrippedSize(block), weight: blockWeight(block) });
      const prevouts = collectPrevouts(block, (t, v) => {
        const o = outIndex.get(`${t}:${v}`);
        return o ? ({ value: o.value, scriptPubKey: o.script } satisfies Prevout) : undefined;
      });
      const s = blockStats(block, { height, network: "mainnet", prevouts });
      statsRows.push({
        chain_id: chainId, height, time: block.header.time, txs: s.txs, ins: s.ins, outs: s.outs, subsidy: s.subsidy, totalfee: s.totalfee,
        total_out: s.total_out, total_size: s.total_size, total_weight: s.total_weight, swtxs: s.swtxs, swtotal_size: s.swtotal_size,
        swtotal_weight: s.swtotal_weight, avgfee: s.avgfee, avgfeerate: s.avgfeerate, avgtxsize: s.avgtxsize, maxfee: s.maxfee,
        maxfeerate: s.maxfeerate, maxtxsize: s.maxtxsize, medianfee: s.medianfee, mediantxsize: s.mediantxsize, minfee: s.minfee,
        minfeerate: s.minfeerate, mintxsize: s.mintxsize, feerate_percentiles: `{${s.feerate_percentiles.join(",")}}`,
        utxo_increase: s.utxo_increase, utxo_size_inc: s.utxo_size_inc, utxo_increase_actual: s.utxo_increase_actual, utxo_size_inc_actual: s.utxo_size_inc_actual,
      });

      block.txs.forEach((t, position) => {
        const tid = id(chainId, txSeq++);
        const cb = position === 0 && isCoinbase(t);
        const tDeltas = new Map<string, bigint>();
        let inValue = 0n;
        if (!cb) {
          t.inputs.forEach((inp, vin) => {
            const key = `${reversedHex(inp.prevTxid)}:${inp.prevVout}`;
            const o = outIndex.get(key);
            if (!o) throw new Error(`seed: missing prevout ${key}`);
            outIndex.delete(key);
            inValue += o.value;
            inRows.push({ chain_id: chainId, tx_id: tid, vin, prev_tx_id: o.txId, prev_vout: inp.prevVout, value: o.value, address_id: o.addressId });
            spends.push({ txId: o.txId, vout: inp.prevVout, byTx: tid, byVin: vin, height });
            if (o.addressId) {
              tDeltas.set(o.addressId, (tDeltas.get(o.addressId) ?? 0n) - o.value);
              const d = touch(o.addressId, o.script, height);
              d.sent += o.value;
              d.balance -= o.value;
              d.utxo -= 1;
            }
          });
        } else {
          inRows.push({ chain_id: chainId, tx_id: tid, vin: 0, prev_tx_id: null, prev_vout: null, value: 0n, address_id: null });
        }
        let outValue = 0n;
        const txidHex = reversedHex(txid(t));
        t.outputs.forEach((o, vout) => {
          const aid = addressId(o.scriptPubKey);
          outValue += o.value;
          outRows.push({ chain_id: chainId, tx_id: tid, vout, value: o.value, script_type: SCRIPT_TYPE_CODE[classifyScript(o.scriptPubKey).type], address_id: aid });
          outIndex.set(`${txidHex}:${vout}`, { txId: tid, value: o.value, script: o.scriptPubKey, addressId: aid });
          if (aid) {
            tDeltas.set(aid, (tDeltas.get(aid) ?? 0n) + o.value);
            const d = touch(aid, o.scriptPubKey, height);
            d.received += o.value;
            d.balance += o.value;
            d.utxo += 1;
          }
        });
        for (const [aid, delta] of tDeltas) {
          addrDelta.get(aid)!.txs += 1;
          histRows.push({ chain_id: chainId, address_id: aid, height, position, tx_id: tid, delta });
        }
        txRows.push({
          id: tid, chain_id: chainId, txid: Buffer.from(txid(t)), height, position, version: t.version, locktime: t.locktime, size: txSize(t),
          vsize: txVsize(t), weight: txWeight(t), is_coinbase: cb, has_witness: t.hasWitness, input_count: t.inputs.length,
          output_count: t.outputs.length, input_value: inValue, output_value: outValue, fee: cb ? 0n : inValue - outValue, raw: Buffer.from(t.raw),
        });
      });
    }

    const chunks = <T,>(rows: T[], n = 500) => Array.from({ length: Math.ceil(rows.length / n) }, (_, i) => rows.slice(i * n, i * n + n));
    for (const c of chunks(blockRows)) await tx`insert into block ${tx(c as never)}`;
    for (const c of chunks(btcBlockRows)) await tx`insert into btc_block ${tx(c as never)}`;
    for (const c of chunks(statsRows)) await tx`insert into btc_block_stats ${tx(c as never)}`;
    for (const c of chunks(txRows)) await tx`insert into btc_tx ${tx(c as never)}`;
    for (const c of chunks(inRows)) await tx`insert into btc_input ${tx(c as never)}`;
    for (const c of chunks(outRows)) await tx`insert into btc_output ${tx(c as never)}`;
    for (const c of chunks(histRows)) await tx`insert into btc_address_tx ${tx(c as never)}`;
    for (const sp of spends) {
      await tx`update btc_output set spent_by_tx_id = ${sp.byTx}, spent_by_vin = ${sp.byVin}, spent_height = ${sp.height} where tx_id = ${sp.txId} and vout = ${sp.vout}`;
    }
    for (const [aid, d] of addrDelta) {
      await tx`
        insert into btc_address (id, chain_id, script, script_type, balance, received, sent, tx_count, utxo_count, first_height, last_height)
        values (${aid}, ${chainId}, ${Buffer.from(d.script)}, ${d.type}, ${d.balance.toString()}, ${d.received.toString()}, ${d.sent.toString()}, ${d.txs}, ${d.utxo}, ${d.first}, ${d.last})
        on conflict (chain_id, script) do update set balance = btc_address.balance + excluded.balance,
          received = btc_address.received + excluded.received, sent = btc_address.sent + excluded.sent,
          tx_count = btc_address.tx_count + excluded.tx_count, utxo_count = btc_address.utxo_count + excluded.utxo_count,
          last_height = excluded.last_height`;
    }
    const tip = blocks[to];
    await tx`
      update chain set tip_height = ${to}, tip_hash = ${Buffer.from(blockHashHex(tip.header), "hex").reverse()}, node_height = 583,
        next_tx_seq = ${txSeq.toString()}, next_addr_seq = ${addrSeq.toString()}, status = 'following', blocks_per_sec = 42.5,
        tx_per_sec = 43.1, updated_at = now()
      where id = ${chainId}`;
  });
}

// Outputs' scripts of a stored raw tx (to rebuild the prevout index for later ranges).
function parseBlockTxOutputs(raw: Uint8Array): Uint8Array[] {
  return parseTransaction(raw).outputs.map((o) => o.scriptPubKey);
}

// ------------------------------------------------------------------------------------------------ EVM

const hx = (s: string) => Buffer.from(s.replace(/^0x/, ""), "hex");
const word = (n: number, len = 32) => Buffer.from(n.toString(16).padStart(len * 2, "0"), "hex");

export const EVIL_TOKEN_NAME = "<img src=x onerror=alert(1)>";
export const EVM_ADDRS = {
  alice: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
  bob: "0x70997970c51812dc3a010c7d01b50e0dec4f79c8",
  token: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
};
export const EVM_STALE_BLOCK = "0x" + "2f".repeat(32);
export const EVM_BLOCK_2 = "0x" + "12".repeat(32);
export const EVM_TXS = {
  deploy: "0x" + "a1".repeat(32),
  transfer: "0x" + "b2".repeat(32),
  send: "0x" + "c3".repeat(32),
};

/** A three-block EVM chain: a token deployment, a token transfer, a plain value transfer. */
export async function seedEvm(sql: postgres.Sql): Promise<void> {
  const chainId = EVM_CHAIN.id;
  await ensureChain(sql, EVM_CHAIN, "evm", "devnet");
  const a = (n: number) => id(chainId, n);
  const [alice, bob, token] = [a(0), a(1), a(2)];
  const t0 = 1_700_000_000;
  const blockHash = (h: number) => Buffer.from(h.toString(16).padStart(2, "0").repeat(32), "hex");
  const checks = ["headerHash", "parentHash", "transactionsRoot", "receiptsRoot", "logsBloom", "txHashes"];
  await sql.begin(async (tx) => {
    for (let h = 0; h <= 3; h++) {
      await tx`insert into block ${tx({ chain_id: chainId, hash: blockHash(h + 16), height: h, parent_hash: h === 0 ? Buffer.alloc(32) : blockHash(h + 15), time: t0 + h * 12, tx_count: h === 0 ? 0 : 1, size: 600 + h, checks } as never)}`;
      await tx`insert into evm_block ${tx({
        chain_id: chainId, hash: blockHash(h + 16), miner: hx(EVM_ADDRS.alice), gas_used: h === 0 ? 0 : 21000 * h, gas_limit: 30_000_000,
        base_fee_per_gas: "1000000000", state_root: Buffer.alloc(32, 1), transactions_root: Buffer.alloc(32, 2), receipts_root: Buffer.alloc(32, 3),
        withdrawals_root: null, extra_data: Buffer.from("chainproof test"), header: JSON.stringify({ logsBloom: "0x" + "00".repeat(256), difficulty: "0x0" }),
      } as never)}`;
    }
    // A stale block beside height 2 (a reorg replaced it), to show the stale marker and its winner.
    await tx`insert into block ${tx({ chain_id: chainId, hash: hx(EVM_STALE_BLOCK), height: 2, parent_hash: blockHash(17), time: t0 + 25, tx_count: 0, size: 590, stale: true, stale_at: new Date(), checks } as never)}`;
    await tx`insert into evm_block ${tx({
      chain_id: chainId, hash: hx(EVM_STALE_BLOCK), miner: hx(EVM_ADDRS.bob), gas_used: 0, gas_limit: 30_000_000, base_fee_per_gas: "1000000000",
      state_root: Buffer.alloc(32, 4), transactions_root: Buffer.alloc(32, 5), receipts_root: Buffer.alloc(32, 6), withdrawals_root: null,
      extra_data: Buffer.alloc(0), header: JSON.stringify({}),
    } as never)}`;
    await tx`insert into evm_address ${tx([
      { id: alice, chain_id: chainId, address: hx(EVM_ADDRS.alice), is_contract: false, balance: "9998000000000000000000", balance_height: 3, tx_count: 3, first_height: 1, last_height: 3, token_name: null, token_symbol: null, token_decimals: null },
      { id: bob, chain_id: chainId, address: hx(EVM_ADDRS.bob), is_contract: false, balance: "10001000000000000000000", balance_height: 3, tx_count: 2, first_height: 2, last_height: 3, token_name: null, token_symbol: null, token_decimals: null },
      { id: token, chain_id: chainId, address: hx(EVM_ADDRS.token), is_contract: true, balance: "0", balance_height: 3, tx_count: 2, first_height: 1, last_height: 2, token_name: EVIL_TOKEN_NAME, token_symbol: "<b>XSS</b>", token_decimals: 18 },
    ] as never)}`;
    const base = { chain_id: chainId, type: 2, nonce: 0, gas: 100000, gas_price: null, max_fee_per_gas: "2000000000", max_priority_fee_per_gas: "1000000000", status: 1, effective_gas_price: "1500000000" };
    await tx`insert into evm_tx ${tx([
      { ...base, id: a(0), hash: hx(EVM_TXS.deploy), height: 1, position: 0, from_id: alice, to_id: null, contract_created_id: token, value: "0", input: hx("0x6080604052"), gas_used: 90000, fee: (90000n * 1500000000n).toString(), log_count: 1 },
      { ...base, id: a(1), hash: hx(EVM_TXS.transfer), height: 2, position: 0, nonce: 1, from_id: alice, to_id: token, contract_created_id: null, value: "0", input: Buffer.concat([hx("0xa9059cbb"), Buffer.alloc(12), hx(EVM_ADDRS.bob), word(5)]), gas_used: 51000, fee: (51000n * 1500000000n).toString(), log_count: 1 },
      { ...base, id: a(2), hash: hx(EVM_TXS.send), height: 3, position: 0, nonce: 2, from_id: alice, to_id: bob, contract_created_id: null, value: "1000000000000000000", input: Buffer.alloc(0), gas_used: 21000, fee: (21000n * 1500000000n).toString(), log_count: 0 },
    ] as never)}`;
    const transferTopic = hx("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
    const pad = (addr: string) => Buffer.concat([Buffer.alloc(12), hx(addr)]);
    await tx`insert into evm_log ${tx([
      { chain_id: chainId, tx_id: a(0), log_index: 0, address_id: token, topic0: transferTopic, topic1: Buffer.alloc(32), topic2: pad(EVM_ADDRS.alice), topic3: null, data: word(1000) },
      { chain_id: chainId, tx_id: a(1), log_index: 0, address_id: token, topic0: transferTopic, topic1: pad(EVM_ADDRS.alice), topic2: pad(EVM_ADDRS.bob), topic3: null, data: word(5) },
    ] as never)}`;
    await tx`insert into evm_token_transfer ${tx([
      { chain_id: chainId, tx_id: a(0), log_index: 0, batch_index: 0, height: 1, standard: 20, token_address_id: token, from_id: alice, to_id: alice, nft_id: null, amount: "1000" },
      { chain_id: chainId, tx_id: a(1), log_index: 0, batch_index: 0, height: 2, standard: 20, token_address_id: token, from_id: alice, to_id: bob, nft_id: null, amount: "5" },
    ] as never)}`;
    await tx`insert into evm_address_tx ${tx([
      { chain_id: chainId, address_id: alice, height: 1, position: 0, tx_id: a(0), role: 1 | 8 },
      { chain_id: chainId, address_id: token, height: 1, position: 0, tx_id: a(0), role: 4 | 16 },
      { chain_id: chainId, address_id: alice, height: 2, position: 0, tx_id: a(1), role: 1 | 8 },
      { chain_id: chainId, address_id: token, height: 2, position: 0, tx_id: a(1), role: 2 | 16 },
      { chain_id: chainId, address_id: bob, height: 2, position: 0, tx_id: a(1), role: 8 },
      { chain_id: chainId, address_id: alice, height: 3, position: 0, tx_id: a(2), role: 1 },
      { chain_id: chainId, address_id: bob, height: 3, position: 0, tx_id: a(2), role: 2 },
    ] as never)}`;
    await tx`insert into evm_token_balance ${tx([
      { chain_id: chainId, address_id: alice, token_address_id: token, balance: "995" },
      { chain_id: chainId, address_id: bob, token_address_id: token, balance: "5" },
    ] as never)}`;
    await tx`update chain set tip_height = 3, tip_hash = ${blockHash(19)}, node_height = 3, next_tx_seq = 3, next_addr_seq = 3, status = 'following', blocks_per_sec = 0.1, tx_per_sec = 0.1, updated_at = now() where id = ${chainId}`;
  });
}
