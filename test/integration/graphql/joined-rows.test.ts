// The statements that join neighbour rows in (a tx's canonical block with the tx by txid; address and spending-tx rows
// with the inputs and outputs) hand the loaders exactly the rows their own statements read, alone (equality
// statements) and batched (array statements), and a tx page reads tx, block, inputs, outputs, addresses, spenders and funders
// in one statement after the chain list.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BTC, startApi, type Api, expectData } from "./harness";

let api: Api;
beforeAll(async () => { api = await startApi({ evm: false }); }, 180_000);
afterAll(async () => { await api?.stop(); });

/** Every combination of neighbour rows to join. */
const WANTS = [false, true].flatMap((addresses) => [false, true].flatMap((spenders) => [false, true].map((funders) => ({ addresses, spenders, funders }))));

const loaders = async () => {
  const { createLoaders } = await import("../../../graphql/context");
  const { prisma } = await import("../../../graphql/prisma");
  return createLoaders(prisma());
};

/** Txs of the demo chain whose inputs have addresses or whose outputs were spent, and some coinbases. */
async function sampleTxs(): Promise<{ id: bigint; chainId: number; txid: Uint8Array; height: bigint; coinbase: boolean }[]> {
  const rows = await api.db.sql<{ id: string; chain_id: number; txid: Uint8Array; height: string; is_coinbase: boolean }[]>`
    select t.id::text, t.chain_id, t.txid, t.height::text, t.is_coinbase from btc_tx t join chain c on c.id = t.chain_id
    where c.slug = ${BTC} and (not t.is_coinbase or exists (select 1 from btc_output o where o.tx_id = t.id and o.spent_by_tx_id is not null) or t.height < 5)
    order by t.height, t.position limit 60`;
  return rows.map((r) => ({ id: BigInt(r.id), chainId: r.chain_id, txid: r.txid, height: BigInt(r.height), coinbase: r.is_coinbase }));
}

describe("joined neighbour rows", () => {
  it("inputs/outputs with addresses, spenders and funders: the same io rows, and the primed rows are what btcAddress / btcTx read", async () => {
    const txs = await sampleTxs();
    expect(txs.some((t) => t.height > 100n)).toBe(true);
    let addresses = 0, spenders = 0, funders = 0;
    for (const want of WANTS.filter((w) => w.addresses || w.spenders || w.funders)) {
      for (const batch of [txs.map((t) => [t]), [txs]]) {
        for (const group of batch) {
          const joined = await loaders(), plain = await loaders();
          const ids = group.map((t) => t.id);
          const a = await joined.btcIoWith(want).loadMany(ids);
          const b = await plain.btcIo.loadMany(ids);
          expect(a).toEqual(b);
          const io = b.flatMap((x) => (x instanceof Error ? [] : [...x.inputs, ...x.outputs]));
          const addressIds = [...new Set(io.flatMap((r) => (r.addressId == null ? [] : [r.addressId])))];
          const spenderIds = [...new Set(io.flatMap((r) => ("spentByTxId" in r && r.spentByTxId != null ? [r.spentByTxId] : [])))];
          const funderIds = [...new Set(io.flatMap((r) => ("prevTxId" in r && r.prevTxId != null ? [r.prevTxId] : [])))];
          // Primed rows answer without a statement and equal a fresh read.
          const { onRawQuery } = await import("../../../graphql/sql");
          let statements = 0;
          const off = onRawQuery(() => { statements++; });
          const primedAddresses = want.addresses ? await joined.btcAddress.loadMany(addressIds) : [];
          const primedSpenders = want.spenders ? await joined.btcTx.loadMany(spenderIds) : [];
          const primedFunders = want.funders ? await joined.btcTx.loadMany(funderIds) : [];
          off();
          expect(statements).toBe(0);
          if (want.addresses) expect(primedAddresses).toEqual(await plain.btcAddress.loadMany(addressIds));
          if (want.spenders) expect(primedSpenders).toEqual(await plain.btcTx.loadMany(spenderIds));
          if (want.funders) expect(primedFunders).toEqual(await plain.btcTx.loadMany(funderIds));
          addresses += primedAddresses.length;
          spenders += primedSpenders.length;
          funders += primedFunders.length;
        }
      }
    }
    expect(addresses).toBeGreaterThan(0);
    expect(spenders).toBeGreaterThan(0);
    expect(funders).toBeGreaterThan(0);
  });

  it("a tx by txid: the same tx row as by id, and its primed canonical block is what canonicalBlockByHeight reads", async () => {
    const txs = await sampleTxs();
    for (const batch of [txs.map((t) => [t]), [txs]]) {
      for (const group of batch) {
        const joined = await loaders(), plain = await loaders();
        const got = await joined.btcTxByTxid.loadMany(group.map((t) => ({ chainId: t.chainId, value: t.txid })));
        expect(got).toEqual(await plain.btcTx.loadMany(group.map((t) => t.id)));
        const { onRawQuery } = await import("../../../graphql/sql");
        let statements = 0;
        const off = onRawQuery(() => { statements++; });
        const blocks = await joined.canonicalBlockByHeight.loadMany(group.map((t) => ({ chainId: t.chainId, value: t.height })));
        off();
        expect(statements).toBe(0);
        expect(blocks).toEqual(await plain.canonicalBlockByHeight.loadMany(group.map((t) => ({ chainId: t.chainId, value: t.height }))));
      }
    }
  });

  it("a tx page by txid: tx, canonical block, inputs/outputs, addresses, spenders and funders in one statement, each what its own loader reads", async () => {
    const { onRawQuery } = await import("../../../graphql/sql");
    const txs = await sampleTxs();
    let addresses = 0, spenders = 0, funders = 0;
    for (const want of WANTS) {
      for (const t of txs) {
        const joined = await loaders(), plain = await loaders();
        const key = { chainId: t.chainId, value: t.txid };
        let statements = 0;
        const off = onRawQuery(() => { statements++; });
        const tx = await joined.btcTxPage(want).load(key);
        expect(statements).toBe(1);
        const block = await joined.canonicalBlockByHeight.load({ chainId: t.chainId, value: t.height });
        const io = await joined.btcIoWith(want).load(t.id);
        const ioRows = [...io.inputs, ...io.outputs];
        const addressIds = want.addresses ? [...new Set(ioRows.flatMap((r) => (r.addressId == null ? [] : [r.addressId])))] : [];
        const spenderIds = want.spenders ? [...new Set(ioRows.flatMap((r) => ("spentByTxId" in r && r.spentByTxId != null ? [r.spentByTxId] : [])))] : [];
        const funderIds = want.funders ? [...new Set(ioRows.flatMap((r) => ("prevTxId" in r && r.prevTxId != null ? [r.prevTxId] : [])))] : [];
        const primedAddresses = await joined.btcAddress.loadMany(addressIds);
        const primedSpenders = await joined.btcTx.loadMany(spenderIds);
        const primedFunders = await joined.btcTx.loadMany(funderIds);
        off();
        expect(statements).toBe(1);
        expect(tx).toEqual(await plain.btcTx.load(t.id));
        expect(block).toEqual(await plain.canonicalBlockByHeight.load({ chainId: t.chainId, value: t.height }));
        expect(io).toEqual(await plain.btcIo.load(t.id));
        expect(primedAddresses).toEqual(await plain.btcAddress.loadMany(addressIds));
        expect(primedSpenders).toEqual(await plain.btcTx.loadMany(spenderIds));
        expect(primedFunders).toEqual(await plain.btcTx.loadMany(funderIds));
        addresses += addressIds.length;
        spenders += spenderIds.length;
        funders += funderIds.length;
      }
    }
    expect(addresses).toBeGreaterThan(0);
    expect(spenders).toBeGreaterThan(0);
    expect(funders).toBeGreaterThan(0);
    // An unknown txid: null, and nothing primed.
    const l = await loaders();
    expect(await l.btcTxPage({ addresses: true, spenders: true, funders: true }).load({ chainId: txs[0].chainId, value: new Uint8Array(32) })).toBeNull();
    // Several txids in one tick: the same rows as btcTxByTxid.
    const many = await l.btcTxPage({ addresses: true, spenders: false, funders: true }).loadMany(txs.slice(0, 5).map((t) => ({ chainId: t.chainId, value: t.txid })));
    expect(many).toEqual(await (await loaders()).btcTx.loadMany(txs.slice(0, 5).map((t) => t.id)));
  });

  it("a tx page (block, input and output addresses, spenders, funders) runs the chain list and one statement", async () => {
    const [tx] = (await sampleTxs()).filter((t) => !t.coinbase);
    const hash = Buffer.from(tx.txid).reverse().toString("hex");
    api.statements.reset();
    const d = await expectData(api, `query($h: String!) { transaction(chain: "${BTC}", hash: $h) { hash block { hash time }
      ... on BitcoinTransaction { fee inputs { value address addressSummary { address balance } prevTransaction { hash height } }
        outputs { value address addressSummary { address } spentBy { vin height transaction { hash fee } } } } } }`, { h: hash });
    expect(d.transaction.hash).toBe(hash);
    expect(d.transaction.inputs.some((i: any) => i.addressSummary !== null)).toBe(true);
    expect(api.statements.count).toBe(2);
  });
});
