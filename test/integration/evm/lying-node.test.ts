// A node that lies: an HTTP proxy in front of anvil changes one thing in one block's answers. The engine must
// refuse that block with a message naming the check that caught it, and write nothing of it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDb, type TestDb } from "../../helpers/db";
import { startAnvil, type Anvil } from "../../../indexer/devnet/anvil";
import { Traffic } from "../../../indexer/devnet/traffic";
import { createEvmAdapter } from "../../../indexer/sources/evm-adapter";
import type { RpcBlock, RpcReceipt, RpcTransaction } from "../../../lib/evm/types";
import { BlockVerificationError } from "../../../lib/verify";
import { dbTip, registerEvmChain, run } from "./helpers";

const TARGET = 6;

type Tamper = (method: string, params: unknown[], result: unknown) => unknown;

let db: TestDb;
let anvil: Anvil;

beforeAll(async () => {
  [db, anvil] = await Promise.all([startTestDb(), startAnvil({ blockTime: "manual" })]);
  await new Traffic({ rpcUrl: anvil.url, seed: 5 }).generate(10);
});

afterAll(async () => {
  await anvil?.stop();
  await db?.stop();
});

async function lyingProxy(target: string, tamper: Tamper): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString();
    const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
    const reqJson = JSON.parse(body);
    const resJson = await upstream.json();
    const reqs = Array.isArray(reqJson) ? reqJson : [reqJson];
    const answers = Array.isArray(resJson) ? resJson : [resJson];
    for (const a of answers) {
      const q = reqs.find((r: { id: unknown }) => r.id === a.id);
      if (q && a.result != null) a.result = tamper(q.method, q.params, a.result);
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(resJson));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

const isTarget = (method: string, params: unknown[], result: unknown) =>
  (method === "eth_getBlockByNumber" && params[1] === true && Number((result as RpcBlock).number) === TARGET) ||
  (method === "eth_getBlockReceipts" && Array.isArray(result) && result.length > 0 && Number((result as RpcReceipt[])[0].blockNumber) === TARGET);

const flipHexDigit = (h: string) => h.slice(0, -1) + (h.endsWith("0") ? "1" : "0");

const cases: { name: string; check: string; senders?: boolean; tamper: Tamper }[] = [
  {
    name: "a header field (timestamp)", check: "headerHash",
    tamper: (m, p, r) => (isTarget(m, p, r) && m === "eth_getBlockByNumber" ? { ...(r as RpcBlock), timestamp: `0x${(Number((r as RpcBlock).timestamp) + 1).toString(16)}` } : r),
  },
  {
    name: "a tx field (value)", check: "txHashes",
    tamper: (m, p, r) => {
      if (!isTarget(m, p, r) || m !== "eth_getBlockByNumber") return r;
      const b = r as RpcBlock;
      return { ...b, transactions: b.transactions.map((t, i) => (i === 0 ? { ...t, value: "0xde0b6b3a7640000" } : t)) };
    },
  },
  {
    name: "a receipt status", check: "receiptsRoot",
    tamper: (m, p, r) => (isTarget(m, p, r) && m === "eth_getBlockReceipts"
      ? (r as RpcReceipt[]).map((x) => (x.status === "0x0" ? { ...x, status: "0x1" } : x)) : r),
  },
  {
    name: "a log's data", check: "receiptsRoot",
    tamper: (m, p, r) => {
      if (!isTarget(m, p, r) || m !== "eth_getBlockReceipts") return r;
      let done = false;
      return (r as RpcReceipt[]).map((x) => ({ ...x, logs: x.logs.map((l) => {
        if (done || l.data.length < 4) return l;
        done = true;
        return { ...l, data: flipHexDigit(l.data) };
      }) }));
    },
  },
  {
    name: "a sender (tx.from and receipt.from alike)", check: "txSenders", senders: true,
    tamper: (m, p, r) => {
      if (!isTarget(m, p, r)) return r;
      const liar = "0x000000000000000000000000000000000000dead";
      if (m === "eth_getBlockByNumber") {
        const b = r as RpcBlock;
        return { ...b, transactions: (b.transactions as RpcTransaction[]).map((t, i) => (i === 1 ? { ...t, from: liar } : t)) };
      }
      return (r as RpcReceipt[]).map((x, i) => (i === 1 ? { ...x, from: liar } : x));
    },
  },
  {
    name: "a receipt's effectiveGasPrice (outside the receipts trie)", check: "receiptFields",
    tamper: (m, p, r) => (isTarget(m, p, r) && m === "eth_getBlockReceipts"
      ? (r as RpcReceipt[]).map((x, i) => (i === 0 ? { ...x, effectiveGasPrice: `0x${(BigInt(x.effectiveGasPrice!) * 2n).toString(16)}` } : x)) : r),
  },
];

describe("a lying EVM node", () => {
  cases.forEach((c, i) => {
    it(`is caught when it changes ${c.name}`, async () => {
      const chainId = 40 + i;
      await registerEvmChain(db.sql, chainId, `liar${i}`);
      const proxy = await lyingProxy(anvil.url, c.tamper);
      try {
        const adapter = createEvmAdapter({ startHeight: 0 }, { chainId, rpcUrl: proxy.url, checkSenders: c.senders ?? false });
        const err = await run({ sql: db.sql, chainId, adapter, untilHeight: 9, batchBlocks: 4 }).then(() => undefined, (e) => e);
        expect(err).toBeInstanceOf(BlockVerificationError);
        expect((err as BlockVerificationError).failed.check).toBe(c.check);
        expect((err as Error).message).toContain(`block ${TARGET} `);
        expect((err as Error).message).toContain(`failed ${c.check}`);
      } finally {
        await proxy.close();
      }
      // Everything below the lie is indexed; nothing of the lying block is.
      expect((await dbTip(db.sql, chainId))?.height).toBe(TARGET - 1);
      const [n] = await db.sql`
        select (select count(*) from block where chain_id = ${chainId} and height >= ${TARGET})::int as blocks,
          (select count(*) from evm_tx where chain_id = ${chainId} and height >= ${TARGET})::int as txs,
          (select count(*) from evm_token_transfer where chain_id = ${chainId} and height >= ${TARGET})::int as transfers,
          (select count(*) from evm_address_tx where chain_id = ${chainId} and height >= ${TARGET})::int as history,
          (select count(*) from evm_address where chain_id = ${chainId} and last_height >= ${TARGET})::int as addresses,
          (select count(*) from evm_block e where chain_id = ${chainId} and not exists (select 1 from block b where b.chain_id = e.chain_id and b.hash = e.hash))::int as orphan_headers,
          (select status from chain where id = ${chainId}) as status`;
      expect(n).toEqual({ blocks: 0, txs: 0, transfers: 0, history: 0, addresses: 0, orphan_headers: 0, status: "failed" });
    });
  });

  it("accepts the same chain through an honest proxy, senders checked", async () => {
    const chainId = 49;
    await registerEvmChain(db.sql, chainId, "honest");
    const proxy = await lyingProxy(anvil.url, (_m, _p, r) => r);
    try {
      await run({ sql: db.sql, chainId, adapter: createEvmAdapter({ startHeight: 0 }, { chainId, rpcUrl: proxy.url }), untilHeight: 10, batchBlocks: 4 });
    } finally {
      await proxy.close();
    }
    expect((await dbTip(db.sql, chainId))?.height).toBe(10);
    const [b] = await db.sql`select checks from block where chain_id = ${chainId} and height = ${TARGET}`;
    expect(b.checks).toEqual(expect.arrayContaining(["headerHash", "txHashes", "transactionsRoot", "receiptsRoot", "logsBloom", "gasUsed", "receiptFields", "txSenders", "parentHash"]));
  });
});
