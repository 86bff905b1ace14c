// Keyset pagination and query counts: pages walk forward and backward consistently, a page a million rows deep
// costs what the first page costs, and a page of 50 transactions with inputs and outputs is a handful of statements.
// Over Bitcoin mainnet 0–583 as the real indexer wrote it (harness.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { historySqlForTest } from "../../../graphql/resolvers/address";
import { encodeCursor } from "../../../graphql/pagination";
import { BTC, startApi, type Api, expectData } from "./harness";

const TX_170 = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16";
const TIP = 583;

let api: Api;
beforeAll(async () => { api = await startApi({ evm: false }); }, 120_000);
afterAll(async () => { await api?.stop(); });

const data = (query: string, variables?: Record<string, unknown>) => expectData(api, query, variables);

describe("DataLoader batching", () => {
  it("serves 50+ transactions with inputs, prevouts, outputs and spends in ≤ 10 SQL statements", async () => {
    // Blocks 170 down to 121: block 170's payment among them, with its prevout in block 9 and its outputs' spends.
    api.statements.reset();
    const d = await data(`query($after: String) { blocks(chain: "${BTC}", first: 50, after: $after) { edges { node { height transactions(first: 10) { edges { node { hash
        ... on BitcoinTransaction { fee inputs { value address addressLabel prevTxid prevTransaction { txid height } }
          outputs { value scriptType addressLabel addressSummary { balance } spentBy { vin height transaction { txid } } } } } } } } } } }`, { after: encodeCursor({ height: 171n, position: 0 }) });
    expect(d.blocks.edges.map((e: any) => e.node.height)).toEqual(Array.from({ length: 50 }, (_, i) => 170 - i));
    const txs = d.blocks.edges.flatMap((b: any) => b.node.transactions.edges.map((e: any) => e.node));
    expect(txs.length).toBeGreaterThanOrEqual(50);
    expect(txs.find((t: any) => t.hash === TX_170).inputs[0].prevTransaction.height).toBe(9);
    expect(txs.filter((t: any) => t.inputs.some((i: any) => i.prevTxid)).length).toBeGreaterThan(0);
    console.log(`statements for ${txs.length} txs: ${api.statements.count}\n  ${api.statements.log.map((q) => q.slice(0, 110)).join("\n  ")}`);
    expect(api.statements.count).toBeLessThanOrEqual(10);
  });
});

describe("a block page's statements", () => {
  it("reads the page's transactions with their rows: chain list, block, tx page, header, stats", async () => {
    api.statements.reset();
    const d = await data(`{ block(chain: "${BTC}", height: 170) { hash txCount ... on BitcoinBlock { merkleRoot stats { totalfee } }
      transactions(first: 25) { edges { node { hash position ... on BitcoinTransaction { fee vsize inputValue outputValue } } } } } }`);
    expect(d.block.transactions.edges.map((e: any) => e.node.hash)).toContain(TX_170);
    expect(api.statements.log.some((q) => /FROM btc_tx WHERE id/.test(q))).toBe(false);
    expect(api.statements.count).toBe(5);
  });
});

describe("an address page's statements", () => {
  it("reads the history page with its transactions' rows: chain list, address, history", async () => {
    // Block 9's coinbase key (pay-to-pubkey): block 170's payment spends it, so it has history both ways.
    const q = (dir: string) => `{ address(chain: "${BTC}", address: "0411db93e1dcdb8a016b49840f8c53bc1eb68a382e97b1482ecad7b148a6909a5cb2e0eaddfb84ccf9744464f82e160bfa9b8b64f9d4c03f999b8643f656b412a3") { txCount
      transactions(${dir}: 25) { edges { height delta node { hash height ... on BitcoinTransaction { fee } } } } } }`;
    for (const dir of ["first", "last"]) {
      api.statements.reset();
      const d = await data(q(dir));
      expect(d.address.transactions.edges.length).toBe(d.address.txCount);
      expect(d.address.transactions.edges.map((e: any) => e.node.hash)).toContain(TX_170);
      for (const e of d.address.transactions.edges) expect(e.node.height).toBe(e.height);
      expect(api.statements.log.some((q) => /FROM btc_tx WHERE id/.test(q))).toBe(false);
      expect(api.statements.count).toBe(3);
    }
  });
});

describe("keyset pagination", () => {
  const PAGE = `query($first: Int, $after: String, $last: Int, $before: String) {
    blocks(chain: "${BTC}", first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { height } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

  it("walks every block forward and backward in the same order", async () => {
    const forward: number[] = [];
    let after: string | null = null;
    for (;;) {
      const { blocks } = await data(PAGE, { first: 17, after });
      forward.push(...blocks.edges.map((e: any) => e.node.height));
      if (!blocks.pageInfo.hasNextPage) break;
      after = blocks.pageInfo.endCursor;
    }
    expect(forward).toEqual(Array.from({ length: TIP + 1 }, (_, i) => TIP - i));

    const backward: number[] = [];
    let before: string | null = null;
    for (;;) {
      const { blocks } = await data(PAGE, { last: 17, before });
      backward.unshift(...blocks.edges.map((e: any) => e.node.height));
      if (!blocks.pageInfo.hasPreviousPage) break;
      before = blocks.pageInfo.startCursor;
    }
    expect(backward).toEqual(forward);
  });

  it("a page after a cursor and the page before the next cursor line up", async () => {
    const p1 = (await data(PAGE, { first: 5 })).blocks;
    const p2 = (await data(PAGE, { first: 5, after: p1.pageInfo.endCursor })).blocks;
    expect(p2.edges.map((e: any) => e.node.height)).toEqual([578, 577, 576, 575, 574]);
    expect(p2.pageInfo.hasPreviousPage).toBe(true);
    const back = (await data(PAGE, { last: 5, before: p2.pageInfo.startCursor })).blocks;
    expect(back.edges).toEqual(p1.edges);
  });

  it("pages a block's transactions and an address's history with the same cursors", async () => {
    const q = `query($after: String) { block(chain: "${BTC}", height: 170) { transactions(first: 1, after: $after) { edges { node { hash } } pageInfo { endCursor hasNextPage } } } }`;
    const a = (await data(q)).block.transactions;
    const b = (await data(q, { after: a.pageInfo.endCursor })).block.transactions;
    expect([a.edges[0].node.hash, b.edges[0].node.hash]).toEqual([
      "b1fea52486ce0c62bb442b530a3f0132b826c74e473d1f2c220bfa78111c5082",
      TX_170,
    ]);
    expect(b.pageInfo.hasNextPage).toBe(false);
    const wrong = await api.gql(`{ block(chain: "${BTC}", height: 9) { transactions(after: "${a.pageInfo.endCursor}") { edges { cursor } } } }`);
    expect(wrong.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("a million history rows", () => {
  // An id past any the indexer gave out on this chain (ids are the chain id << 40 + a sequence).
  const chainId = () => api.chains.btc.id;
  const addressId = () => (BigInt(chainId()) << 40n) + 999_999n;
  beforeAll(async () => {
    const ADDRESS_ID = addressId(), BTC_CHAIN_ID = chainId();
    const [seq] = await api.db.sql`select next_addr_seq::text as n from chain where id = ${BTC_CHAIN_ID}`;
    expect(BigInt(seq.n)).toBeLessThan(999_999n);
    // One address (script OP_1, hex "51") with 1,000,000 history rows over heights 0..99,999, all pointing at
    // block 170's payment so every node resolves.
    const [tx] = await api.db.sql`select id from btc_tx where height = 170 and position = 1`;
    await api.db.sql`insert into btc_address (id, chain_id, script, script_type, tx_count, first_height, last_height) values (${ADDRESS_ID.toString()}, ${BTC_CHAIN_ID}, '\\x51', 0, 1000000, 0, 99999)`;
    await api.db.sql`insert into btc_address_tx (chain_id, address_id, height, position, tx_id, delta)
      select ${BTC_CHAIN_ID}, ${ADDRESS_ID.toString()}, g / 10, g % 10, ${tx.id}, 1 from generate_series(0, 999999) g`;
    await api.db.sql`analyze btc_address_tx`;
  }, 180_000);

  it("a deep page answers the right rows with the same statements as page one", async () => {
    const q = `query($after: String) { address(chain: "${BTC}", address: "51") { transactions(first: 3, after: $after) { edges { height position } pageInfo { hasNextPage } } } }`;
    api.statements.reset();
    const first = (await data(q)).address.transactions;
    const firstCount = api.statements.count;
    expect(first.edges).toEqual([{ height: 99999, position: 9 }, { height: 99999, position: 8 }, { height: 99999, position: 7 }]);
    api.statements.reset();
    const deep = (await data(q, { after: encodeCursor({ height: 1n, position: 1 }) })).address.transactions;
    expect(deep.edges).toEqual([{ height: 1, position: 0 }, { height: 0, position: 9 }, { height: 0, position: 8 }]);
    expect(api.statements.count).toBe(firstCount);
    const oldest = (await data(`{ address(chain: "${BTC}", address: "51") { transactions(last: 2) { edges { height position } pageInfo { hasPreviousPage } } } }`)).address.transactions;
    expect(oldest).toEqual({ edges: [{ height: 0, position: 1 }, { height: 0, position: 0 }], pageInfo: { hasPreviousPage: true } });
  });

  it("reads the same handful of index pages at any depth (EXPLAIN: index scan on the primary key, no sort)", async () => {
    const explain = async (after?: string) => {
      const q = historySqlForTest("bitcoin", chainId(), addressId(), { first: 20, after });
      const rows = await api.db.sql.unsafe(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.text}`, q.values as never[]);
      const plan = (rows[0] as Record<string, any>)["QUERY PLAN"][0].Plan;
      const text = JSON.stringify(plan);
      return { text, buffers: plan["Shared Hit Blocks"] + plan["Shared Read Blocks"] };
    };
    const top = await explain();
    const deep = await explain(encodeCursor({ height: 5n, position: 3 }));
    for (const p of [top, deep]) {
      expect(p.text).toMatch(/btc_address_tx_pkey/);
      expect(p.text).not.toMatch(/"Node Type":"Sort"/);
    }
    expect(deep.buffers).toBeLessThanOrEqual(top.buffers + 4);
    expect(deep.buffers).toBeLessThan(50);
  });
});
