// The statements that join neighbour rows in (a tx's canonical block with the tx by txid; address and spending-tx rows
// with the inputs and outputs) hand the loaders exactly the rows their own statements read, alone (equality
// statements) and batched (array statements), and a tx page reads tx, block, inputs, outputs, addresses, spenders and funders
// in one statement after the chain list.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BTC, startApi, type Api, expectData } from "./harness";

let api: Api;
beforeAll(async () => { api = await startApi({ evm: false }); }, 180_000);
afterAll(async () => { await api?.stop(); });

/** Every combination of neighbour rows to join (the joined txs' raw bytes only matter when txs are joined). */
const WANTS = [false, true].flatMap((addresses) => [false, true].flatMap((spenders) => [false, true].flatMap((funders) =>
  (spenders || funders ? [false, true] : [false]).map((raw) => ({ addresses, spenders, funders, raw })))));

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

type Loaders = Awaited<ReturnType<typeof loaders>>;
type IoRows = Awaited<ReturnType<Loaders["btcIo"]["load"]>>;
type Want = (typeof WANTS)[number];
type TxRows = Awaited<ReturnType<Loaders["btcTx"]["loadMany"]>>;

/** Rows as a read with the raw bytes has them: btcTx's rows (raw NULL) with what btcTxRaw loads for them. */
async function withRaw(l: Loaders, rows: TxRows): Promise<TxRows> {
  return Promise.all(rows.map(async (r) => (r && !(r instanceof Error) ? { ...r, raw: await l.btcTxRaw.load(r.id) } : r)));
}

/**
 * The neighbour rows `want` joins for these inputs/outputs: `joined` answers them without a statement (they were
 * primed) and with what `plain` reads fresh. Returns how many of each were checked.
 */
async function expectPrimedNeighbours(joined: Loaders, plain: Loaders, ios: IoRows[], want: Want) {
  const rows = ios.flatMap((x) => [...x.inputs, ...x.outputs]);
  const ids = (on: boolean, of: (r: (typeof rows)[number]) => bigint | null | undefined) => (on ? [...new Set(rows.flatMap((r) => of(r) ?? []))] : []);
  const addressIds = ids(want.addresses, (r) => r.addressId);
  const spenderIds = ids(want.spenders, (r) => ("spentByTxId" in r ? r.spentByTxId : null));
  const funderIds = ids(want.funders, (r) => ("prevTxId" in r ? r.prevTxId : null));
  const { onRawQuery } = await import("../../../graphql/sql");
  let statements = 0;
  const off = onRawQuery(() => { statements++; });
  const primed = [await joined.btcAddress.loadMany(addressIds), await joined.btcTx.loadMany(spenderIds), await joined.btcTx.loadMany(funderIds)];
  off();
  expect(statements).toBe(0);
  const txs = async (ids: bigint[]) => (want.raw ? withRaw(plain, await plain.btcTx.loadMany(ids)) : plain.btcTx.loadMany(ids));
  expect(primed).toEqual([await plain.btcAddress.loadMany(addressIds), await txs(spenderIds), await txs(funderIds)]);
  if (want.raw) for (const t of [...primed[1], ...primed[2]]) expect((t as { raw: unknown }).raw).toBeInstanceOf(Uint8Array);
  return { addresses: addressIds.length, spenders: spenderIds.length, funders: funderIds.length };
}

/** Adds counts up. */
const add = (a: Record<string, number>, b: Record<string, number>) => { for (const k in b) a[k] = (a[k] ?? 0) + b[k]; };

describe("joined neighbour rows", () => {
  it("inputs/outputs with addresses, spenders and funders: the same io rows, and the primed rows are what btcAddress / btcTx read", async () => {
    const txs = await sampleTxs();
    expect(txs.some((t) => t.height > 100n)).toBe(true);
    const seen: Record<string, number> = {};
    for (const want of WANTS.filter((w) => w.addresses || w.spenders || w.funders)) {
      for (const batch of [txs.map((t) => [t]), [txs]]) {
        for (const group of batch) {
          const joined = await loaders(), plain = await loaders();
          const ids = group.map((t) => t.id);
          const a = await joined.btcIoWith(want).loadMany(ids);
          const b = await plain.btcIo.loadMany(ids);
          expect(a).toEqual(b);
          add(seen, await expectPrimedNeighbours(joined, plain, b.filter((x): x is IoRows => !(x instanceof Error)), want));
        }
      }
    }
    for (const k of ["addresses", "spenders", "funders"]) expect(seen[k]).toBeGreaterThan(0);
  });

  it("a tx by txid: the same tx row as by id, and its primed canonical block is what canonicalBlockByHeight reads", async () => {
    const txs = await sampleTxs();
    for (const batch of [txs.map((t) => [t]), [txs]]) {
      for (const group of batch) {
        const joined = await loaders(), plain = await loaders();
        const got = await joined.btcTxByTxid.loadMany(group.map((t) => ({ chainId: t.chainId, value: t.txid })));
        expect(got).toEqual(await withRaw(plain, await plain.btcTx.loadMany(group.map((t) => t.id))));
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
    const seen: Record<string, number> = {};
    for (const want of WANTS) {
      for (const t of txs) {
        const joined = await loaders(), plain = await loaders();
        let statements = 0;
        const off = onRawQuery(() => { statements++; });
        const tx = await joined.btcTxPage(want).load({ chainId: t.chainId, value: t.txid });
        const block = await joined.canonicalBlockByHeight.load({ chainId: t.chainId, value: t.height });
        const io = await joined.btcIoWith(want).load(t.id);
        off();
        expect(statements).toBe(1);
        expect([tx]).toEqual(await withRaw(plain, [await plain.btcTx.load(t.id)]));
        expect(block).toEqual(await plain.canonicalBlockByHeight.load({ chainId: t.chainId, value: t.height }));
        expect(io).toEqual(await plain.btcIo.load(t.id));
        add(seen, await expectPrimedNeighbours(joined, plain, [io], want));
      }
    }
    for (const k of ["addresses", "spenders", "funders"]) expect(seen[k]).toBeGreaterThan(0);
    // An unknown txid: null, and nothing primed.
    const l = await loaders();
    expect(await l.btcTxPage({ addresses: true, spenders: true, funders: true, raw: true }).load({ chainId: txs[0].chainId, value: new Uint8Array(32) })).toBeNull();
    // Several txids in one tick: the same rows as btcTxByTxid.
    const many = await l.btcTxPage({ addresses: true, spenders: false, funders: true, raw: false }).loadMany(txs.slice(0, 5).map((t) => ({ chainId: t.chainId, value: t.txid })));
    const plain = await loaders();
    expect(many).toEqual(await withRaw(plain, await plain.btcTx.loadMany(txs.slice(0, 5).map((t) => t.id))));
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

  it("lists read no raw bytes: a block's txs show hash and fee from their rows, and hex, wtxid or inputs load the bytes of all of them in one statement", async () => {
    const [{ height, n }] = await api.db.sql<{ height: number; n: number }[]>`
      select t.height::int, count(*)::int as n from btc_tx t join chain c on c.id = t.chain_id where c.slug = ${BTC}
      group by t.height having count(*) >= 3 order by t.height limit 1`;
    const q = (fields: string) => `{ block(chain: "${BTC}", height: ${height}) { transactions(first: 25) { edges { node { hash ... on BitcoinTransaction { ${fields} } } } } } }`;
    api.statements.reset();
    await expectData(api, q("fee vsize"));
    const base = api.statements.count;
    expect(api.statements.log.some((s) => /[,\s]raw\b/.test(s.replace(/NULL::bytea AS raw/g, "")))).toBe(false);
    api.statements.reset();
    const d = await expectData(api, q("fee vsize hex wtxid txidMatchesRaw inputs { vin }"));
    expect(api.statements.count).toBe(base + 2); // the raw bytes, and the inputs' rows
    const edges = d.block.transactions.edges;
    expect(edges.length).toBe(Math.min(n, 25));
    const stored = await api.db.sql<{ txid: Uint8Array; raw: Uint8Array }[]>`
      select txid, raw from btc_tx where chain_id = (select id from chain where slug = ${BTC}) and height = ${height}`;
    const rawByHash = new Map(stored.map((r) => [Buffer.from(r.txid).reverse().toString("hex"), Buffer.from(r.raw).toString("hex")]));
    for (const { node } of edges) {
      expect(node.hex).toBe(rawByHash.get(node.hash));
      expect(node.txidMatchesRaw).toBe(true);
      expect(node.inputs.length).toBeGreaterThan(0);
    }
  });
});
