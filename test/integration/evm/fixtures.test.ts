// Real mainnet blocks (test/fixtures/chaindata/ethereum) served by a tiny fake JSON-RPC, fetched, verified
// (senders recovered too) and written through the store: row mapping for every fork's tx types (legacy, 2930,
// 1559, blob, 7702, pre-Byzantium receipts) and hostile token metadata.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDb, type TestDb } from "../../helpers/db";
import type { IdCounters } from "../../../indexer/engine/adapter";
import { createEvmAdapter, type EvmSourceBlock } from "../../../indexer/sources/evm-adapter";
import { abiString } from "../../../indexer/sources/evm-rpc";
import { writeEvmBlocks } from "../../../indexer/store/evm";
import { blobFee, contractAddressFor } from "../../../lib/evm/outcome";
import { decodeTransfers } from "../../../lib/evm/transfers";
import type { Hex, RpcBlock, RpcReceipt, RpcTransaction } from "../../../lib/evm/types";
import { hexToBytes } from "../../../lib/bytes";

const DIR = join(import.meta.dirname, "../../fixtures/chaindata/ethereum");
interface Rec { file: string; receipts_file: string | null; number: number; fork: string }
const INDEX: Rec[] = JSON.parse(readFileSync(join(DIR, "index.json"), "utf8"));
const load = (f: string) => JSON.parse(readFileSync(join(DIR, f), "utf8"));
const withReceipts = INDEX.filter((r) => r.receipts_file).sort((a, b) => a.number - b.number);
const withoutReceipts = INDEX.filter((r) => !r.receipts_file).sort((a, b) => a.number - b.number);

const CHAIN = 50;
/** Token name the fake node answers: NULs, markup, and far longer than the store keeps. */
const HOSTILE_NAME = `<script>alert(1)</script>\u0000${"x".repeat(500)}`;
const abiEncodeString = (s: string): Hex => {
  const b = Buffer.from(s, "utf8");
  const word = (n: number) => n.toString(16).padStart(64, "0");
  return `0x${word(32)}${word(b.length)}${b.toString("hex").padEnd(Math.ceil(b.length / 32) * 64, "0")}`;
};
const balanceOf = (a: string) => `0x${a.slice(-6)}`;

let db: TestDb;
let server: http.Server;
let url: string;

beforeAll(async () => {
  db = await startTestDb();
  const blocks = new Map<number, RpcBlock>();
  const receipts = new Map<string, RpcReceipt[]>();
  for (const r of withReceipts) {
    const b = load(r.file) as RpcBlock;
    blocks.set(r.number, b);
    receipts.set(b.hash.toLowerCase(), load(r.receipts_file!));
  }
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const q = JSON.parse(Buffer.concat(chunks).toString());
    const answer = (x: { id: number; method: string; params: unknown[] }) => {
      const ok = (result: unknown) => ({ jsonrpc: "2.0", id: x.id, result });
      switch (x.method) {
        case "eth_getBlockByNumber": return ok(blocks.get(Number(x.params[0])) ?? null);
        case "eth_getBlockReceipts": return ok(receipts.get(String(x.params[0]).toLowerCase()) ?? null);
        case "eth_getBalance": return ok(balanceOf(String(x.params[0])));
        case "eth_call": {
          const data = (x.params[0] as { data: string }).data;
          if (data === "0x06fdde03") return ok(abiEncodeString(HOSTILE_NAME));
          if (data === "0x95d89b41") return ok(`0x${Buffer.from("MKR").toString("hex").padEnd(64, "0")}`); // bytes32 symbol
          if (data === "0x313ce567") return ok(`0x${"12".padStart(64, "0")}`);
          return { jsonrpc: "2.0", id: x.id, error: { code: 3, message: "execution reverted" } };
        }
        default: return { jsonrpc: "2.0", id: x.id, error: { code: -32601, message: `the method ${x.method} does not exist/is not available` } };
      }
    };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(Array.isArray(q) ? q.map(answer) : answer(q)));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await db?.stop();
});

async function writeAll(chainId: number, blocks: EvmSourceBlock[]): Promise<IdCounters> {
  const ids: IdCounters = { chainId, nextTxSeq: 0n, nextAddrSeq: 0n };
  for (const b of blocks) await db.sql.begin((tx) => writeEvmBlocks(tx, ids, [b]));
  return ids;
}

async function txRows(chainId: number) {
  return db.sql`
    select t.height::text as height, t.position, encode(t.hash, 'hex') as hash, t.type, encode(f.address, 'hex') as "from", encode(o.address, 'hex') as "to",
      encode(c.address, 'hex') as created, t.value::text as value, t.nonce::text as nonce, t.gas::text as gas, t.gas_price::text as gas_price,
      t.max_fee_per_gas::text as max_fee, t.max_priority_fee_per_gas::text as max_prio, length(t.input) as input_len, t.status, t.gas_used::text as gas_used,
      t.effective_gas_price::text as egp, t.fee::text as fee, t.log_count
    from evm_tx t join evm_address f on f.id = t.from_id left join evm_address o on o.id = t.to_id left join evm_address c on c.id = t.contract_created_id
    where t.chain_id = ${chainId} order by t.height, t.position`;
}

function expectedTx(b: RpcBlock, t: RpcTransaction, pos: number, r: RpcReceipt) {
  const dyn = "maxFeePerGas" in t;
  const price = BigInt(r.effectiveGasPrice ?? t.gasPrice!);
  const dec = (q: string | undefined | null) => (q == null ? null : BigInt(q).toString());
  return {
    height: String(Number(b.number)), position: pos, hash: t.hash.slice(2), type: Number(t.type ?? "0x0"), from: t.from!.slice(2).toLowerCase(),
    to: t.to == null ? null : t.to.slice(2).toLowerCase(), created: t.to == null ? contractAddressFor(t.from!, t.nonce).slice(2) : null, value: dec(t.value),
    nonce: dec(t.nonce), gas: dec(t.gas), gas_price: dyn ? null : dec(t.gasPrice), max_fee: dyn ? dec((t as { maxFeePerGas: Hex }).maxFeePerGas) : null,
    max_prio: dyn ? dec((t as { maxPriorityFeePerGas: Hex }).maxPriorityFeePerGas) : null, input_len: (t.input.length - 2) / 2,
    status: r.status == null ? null : Number(r.status), gas_used: dec(r.gasUsed), egp: price.toString(), fee: (BigInt(r.gasUsed) * price + blobFee(r)).toString(),
    log_count: r.logs.length,
  };
}

describe("mainnet fixtures through the EVM adapter and store", () => {
  it("fetches, verifies (senders too) and maps every row of the blocks with receipts", async () => {
    await db.sql`insert into chain (id, slug, family, network, name) values (${CHAIN}, 'fixtures', 'evm', 'mainnet', 'fixtures')`;
    const adapter = createEvmAdapter({ startHeight: 0 }, { chainId: CHAIN, rpcUrl: url, checkSenders: true });
    const blocks: EvmSourceBlock[] = [];
    for (const r of withReceipts) {
      const [b] = await adapter.fetch(r.number, r.number);
      const report = adapter.verify(b, undefined);
      const failed = report.checks.filter((c) => !c.ok).map((c) => c.check);
      // The fake node has no uncle headers: a block that lists uncles is refused for exactly that.
      expect(failed, `${r.fork} ${r.number}`).toEqual(b.block.uncles.length ? ["unclesHash"] : []);
      expect(report.checks.find((c) => c.check === "txSenders")?.ok).toBe(true);
      blocks.push(b);
    }
    await writeAll(CHAIN, blocks);

    const rows = await txRows(CHAIN);
    const expected = blocks.flatMap((b) => (b.block.transactions as RpcTransaction[]).map((t, i) => expectedTx(b.block, t, i, b.receipts[i])));
    expect(rows.map((r) => ({ ...r }))).toEqual(expected);
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set([0, 1, 2, 3]));

    // Blocks: header extras and the node's JSON (every fork's fields), withdrawals root where present.
    const hdr = await db.sql`select encode(hash, 'hex') as h, encode(withdrawals_root, 'hex') as wr, base_fee_per_gas::text as bf, header from evm_block where chain_id = ${CHAIN}`;
    for (const b of blocks) {
      const row = hdr.find((x) => `0x${x.h}` === b.block.hash)!;
      expect(row.wr === null ? null : `0x${row.wr}`).toBe(b.block.withdrawalsRoot ?? null);
      expect(row.bf).toBe(b.block.baseFeePerGas ? BigInt(b.block.baseFeePerGas).toString() : null);
      expect(row.header.requestsHash ?? null).toBe(b.block.requestsHash ?? null);
      expect(row.header.transactions).toBeUndefined();
    }

    // Logs and transfers.
    const [n] = await db.sql`
      select (select count(*) from evm_log where chain_id = ${CHAIN})::int as logs, (select count(*) from evm_token_transfer where chain_id = ${CHAIN})::int as transfers`;
    expect(n.logs).toBe(blocks.reduce((k, b) => k + b.receipts.reduce((m, r) => m + r.logs.length, 0), 0));
    expect(n.transfers).toBe(blocks.reduce((k, b) => k + decodeTransfers(b.receipts.flatMap((r) => r.logs)).length, 0));
    expect(n.transfers).toBeGreaterThan(100);

    // Summaries: history-consistent; balances as the node answered; hostile token strings stored bounded, no NULs.
    const bad = await db.sql`
      select a.id from evm_address a
      left join (select address_id, count(*)::int n, min(height) lo, max(height) hi from evm_address_tx where chain_id = ${CHAIN} group by address_id) h on h.address_id = a.id
      where a.chain_id = ${CHAIN} and (h.n is null or h.n <> a.tx_count or h.lo <> a.first_height or h.hi <> a.last_height)`;
    expect(bad).toEqual([]);
    const addrs = await db.sql`select encode(address, 'hex') as a, balance::text as b, token_name, token_symbol, token_decimals from evm_address where chain_id = ${CHAIN}`;
    for (const a of addrs) expect(a.b).toBe(BigInt(balanceOf(a.a)).toString());
    const tokens = addrs.filter((a) => a.token_name !== null);
    expect(tokens.length).toBeGreaterThan(5);
    const stored = abiString(abiEncodeString(HOSTILE_NAME))!;
    expect(stored.startsWith("<script>alert(1)</script>x")).toBe(true);
    expect(stored.length).toBe(200);
    for (const t of tokens) expect([t.token_name, t.token_symbol]).toEqual([stored, "MKR"]);
  });

  it("maps tx types 0-4 and pre-Byzantium receipts of the blocks without receipt files", async () => {
    const chainId = CHAIN + 1;
    // No receipts in these fixtures: give each tx a minimal one (status, or a state root before Byzantium) so the
    // tx rows of Homestead, London and Prague (blob and EIP-7702) blocks go through the store.
    const blocks: EvmSourceBlock[] = withoutReceipts.map((r) => {
      const block = load(r.file) as RpcBlock;
      const preByzantium = Number(block.number) < 4_370_000;
      const receipts = (block.transactions as RpcTransaction[]).map((t, i): RpcReceipt => ({
        ...(preByzantium ? { root: `0x${"11".repeat(32)}` as Hex } : { status: i % 2 ? "0x0" : "0x1" }),
        cumulativeGasUsed: "0x0", logsBloom: `0x${"00".repeat(256)}`, logs: [], transactionHash: t.hash, transactionIndex: `0x${i.toString(16)}`,
        blockHash: block.hash, blockNumber: block.number, gasUsed: "0x5208", effectiveGasPrice: t.gasPrice, contractAddress: t.to == null ? contractAddressFor(t.from!, t.nonce) : null,
      }));
      return {
        header: { height: Number(block.number), hash: hexToBytes(block.hash), parentHash: hexToBytes(block.parentHash), time: Number(block.timestamp), txCount: block.transactions.length, size: Number(block.size ?? 0) },
        block, receipts, uncles: [], transfers: [], balances: new Map(), tokens: new Map(),
      };
    });
    await writeAll(chainId, blocks);
    const rows = await txRows(chainId);
    const expected = blocks.flatMap((b) => (b.block.transactions as RpcTransaction[]).map((t, i) => expectedTx(b.block, t, i, b.receipts[i])));
    expect(rows.map((r) => ({ ...r }))).toEqual(expected);
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set([0, 2, 3, 4]));
    expect(rows.filter((r) => Number(r.height) < 4_370_000).every((r) => r.status === null)).toBe(true);
  });
});
