// UTXO lists, token balances, decoded-event signatures and types, the home page's latest lists, and how the
// list-cost rule prices them — against the harness's database indexed by the real indexer from real data, with
// EVM expectations read from the devnet node itself.
import { parse } from "graphql";
import { createPublicClient, erc20Abi, getAddress, http, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOME_QUERY } from "../../../app/_lib/home-query";
import { LIMITS, listCost } from "../../../graphql/limits";
import { utxoSql } from "../../../graphql/resolvers/holdings";
import { BTC, EVM, REORG, startApi, type Api, expectData } from "./harness";

const TX_170 = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16";
const HAL_KEY = "04ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7303b8a0626f1baded5c72a704f7e6cd84c";

let api: Api;
beforeAll(async () => { api = await startApi(); }, 180_000);
afterAll(async () => { await api?.stop(); });

const data = (query: string, variables?: Record<string, unknown>) => expectData(api, query, variables);

const UTXO_PAGE = `query($chain: ID!, $a: String!, $first: Int, $after: String) {
  address(chain: $chain, address: $a) {
    ... on BitcoinAddress {
      address balance utxoCount
      utxos(first: $first, after: $after) {
        edges { cursor node { txid vout value height scriptType transaction { txid height } } }
        pageInfo { hasNextPage hasPreviousPage endCursor }
      }
    }
  }
}`;

async function allUtxos(chain: string, address: string, first: number) {
  const out: { txid: string; vout: number; value: string; height: number; scriptType: string }[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const d = await data(UTXO_PAGE, { chain, a: address, first, after });
    const conn = d.address.utxos;
    expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
    for (const e of conn.edges) {
      expect(e.node.transaction).toEqual({ txid: e.node.txid, height: e.node.height });
      const { transaction: _, ...rest } = e.node;
      out.push(rest);
    }
    pages++;
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
    expect(pages).toBeLessThan(1000);
  }
  return { utxos: out, pages };
}

describe("BitcoinAddress.utxos", () => {
  it("Hal Finney's key from block 170 has one unspent output: the 10 BTC it received (still unspent at 583)", async () => {
    const d = await data(UTXO_PAGE, { chain: BTC, a: HAL_KEY, first: 10 });
    expect(d.address.utxoCount).toBe(1);
    expect(d.address.utxos.edges.map((e: any) => e.node)).toEqual([
      { txid: TX_170, vout: 0, value: "1000000000", height: 170, scriptType: "p2pk", transaction: { txid: TX_170, height: 170 } },
    ]);
    expect(d.address.utxos.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it("pages an address with several unspent outputs, newest first, matching its summary and btc_output", async () => {
    // Mainnet 0–583 has no address holding more than one unspent output; btcd's reorg chain has a key holding three
    // coinbases of the winning branch (the outputs the reorg rolled back must not show).
    const [row] = await api.db.sql`
      select c.slug, a.id::text as id, a.utxo_count, a.balance::text as balance, encode(a.script, 'hex') as script from btc_address a
      join chain c on c.id = a.chain_id where c.family = 'bitcoin' order by a.utxo_count desc, a.id limit 1`;
    expect(row.slug).toBe(REORG);
    expect(row.utxo_count).toBeGreaterThanOrEqual(3);
    // The p2pk script's key is the address input (script 41 <65-byte key> ac).
    const key = row.script.slice(2, -2);
    const { utxos, pages } = await allUtxos(row.slug, key, 2);
    expect(pages).toBe(Math.ceil(row.utxo_count / 2));
    expect(utxos).toHaveLength(row.utxo_count);
    // The summary the indexer keeps and the outputs agree: Σ unspent = balance.
    expect(utxos.reduce((s, u) => s + BigInt(u.value), 0n).toString()).toBe(row.balance);
    // Exactly btc_output's unspent rows of the address, newest first, no duplicates across pages.
    const truth = await api.db.sql`
      select encode(t.txid, 'hex') as txid, o.vout, o.value::text as value, t.height::int as height from btc_output o join btc_tx t on t.id = o.tx_id
      where o.address_id = ${row.id}::bigint and o.spent_by_tx_id is null order by o.tx_id desc, o.vout desc`;
    expect(utxos.map((u) => ({ txid: u.txid, vout: u.vout, value: u.value, height: u.height }))).toEqual(
      truth.map((t) => ({ txid: Buffer.from(t.txid, "hex").reverse().toString("hex"), vout: t.vout, value: t.value, height: t.height })),
    );
    for (let i = 1; i < utxos.length; i++) expect(utxos[i].height).toBeLessThanOrEqual(utxos[i - 1].height);
  });

  it("answers an empty list for an address never seen, and refuses a foreign cursor", async () => {
    const d = await data(UTXO_PAGE, { chain: BTC, a: "1BitcoinEaterAddressDontSendf59kuE", first: 5 });
    expect(d.address.utxos.edges).toEqual([]);
    const r = await api.gql(UTXO_PAGE, { chain: BTC, a: HAL_KEY, first: 5, after: "bm9wZQ" });
    expect(r.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("EXPLAIN: the page is served by the partial index btc_output_unspent_address_idx", async () => {
    const [row] = await api.db.sql`select id::text as id from btc_address where utxo_count > 1 order by utxo_count desc limit 1`;
    await api.db.sql`analyze btc_output`;
    for (const after of [null, [BigInt(2) ** 62n, 0] as [bigint, number]]) {
      const q = utxoSql(BigInt(row.id), 20, after);
      const rows = await api.db.sql.unsafe(`EXPLAIN (FORMAT JSON) ${q.text}`, q.values.map((v) => (typeof v === "bigint" ? v.toString() : v)) as never[]);
      const plan = JSON.stringify((rows[0] as Record<string, any>)["QUERY PLAN"]);
      expect(plan).toMatch(/btc_output_unspent_address_idx/);
    }
  });
});

describe("EvmAddress.tokenBalances", () => {
  const TOKENS = `query($chain: ID!, $a: String!, $first: Int, $after: String) {
    address(chain: $chain, address: $a) {
      ... on EvmAddress {
        tokenBalances(first: $first, after: $after) {
          edges { cursor node { balance name symbol decimals standard token { address tokenName tokenSymbol tokenDecimals isContract } } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }`;

  async function balancesOf(holder: string) {
    const out: any[] = [];
    let after: string | null = null;
    for (;;) {
      const d = await data(TOKENS, { chain: EVM, a: holder, first: 1, after });
      out.push(...d.address.tokenBalances.edges.map((e: any) => e.node));
      if (!d.address.tokenBalances.pageInfo.hasNextPage) return out;
      after = d.address.tokenBalances.pageInfo.endCursor;
    }
  }

  it("equal the ERC-20's balanceOf on the node for every holder, as exact strings", async () => {
    const evm = api.chains.evm!;
    const client = createPublicClient({ transport: http(evm.rpcUrl) });
    const token = getAddress(evm.contracts.token);
    const holders = await api.db.sql`
      select encode(h.address, 'hex') as holder from evm_token_balance b
      join evm_address h on h.id = b.address_id join evm_address t on t.id = b.token_address_id
      where t.address = decode(${token.slice(2).toLowerCase()}, 'hex') and b.balance <> 0`;
    expect(holders.length).toBeGreaterThanOrEqual(2);
    for (const { holder } of holders) {
      const addr = getAddress(`0x${holder}`);
      const onNode = await client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [addr as Address], blockNumber: BigInt(evm.tip) });
      const mine = (await balancesOf(addr)).find((b) => b.token.address === token);
      expect(mine, `${addr} holds the token`).toBeDefined();
      expect(mine.balance).toBe(onNode.toString());
      expect(mine).toMatchObject({ standard: 20, name: mine.token.tokenName, symbol: mine.token.tokenSymbol, decimals: mine.token.tokenDecimals });
      expect(mine.name).toBe(await client.readContract({ address: token, abi: erc20Abi, functionName: "name" }));
      expect(mine.decimals).toBe(await client.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }));
    }
  });

  it("lists NFT holdings with their standard, and pages by token", async () => {
    const [row] = await api.db.sql`
      select encode(h.address, 'hex') as holder, count(*)::int as n from evm_token_balance b join evm_address h on h.id = b.address_id
      where b.balance <> 0 group by h.address order by count(*) desc limit 1`;
    expect(row.n).toBeGreaterThanOrEqual(2);
    const list = await balancesOf(getAddress(`0x${row.holder}`));
    expect(list).toHaveLength(row.n);
    expect(new Set(list.map((b) => b.token.address)).size).toBe(row.n);
    for (const b of list) {
      expect([20, 721, 1155]).toContain(b.standard);
      expect(b.balance).toMatch(/^[1-9]\d*$/);
    }
    const evm = api.chains.evm!;
    const standards = new Map(list.map((b) => [b.token.address, b.standard]));
    if (standards.has(getAddress(evm.contracts.nft))) expect(standards.get(getAddress(evm.contracts.nft))).toBe(721);
    if (standards.has(getAddress(evm.contracts.multi))) expect(standards.get(getAddress(evm.contracts.multi))).toBe(1155);
  });
});

describe("EvmLog.decoded", () => {
  it("returns the canonical signature and every param's ABI type", async () => {
    const txs = await api.db.sql`
      select distinct on (x.standard) x.standard, encode(t.hash, 'hex') as hash from evm_token_transfer x join evm_tx t on t.id = x.tx_id
      order by x.standard, t.id`;
    expect(txs.map((t) => t.standard)).toContain(20);
    const seen = new Set<string>();
    for (const t of txs) {
      const d = await data(`query($h: String!) { transaction(chain: "${EVM}", hash: $h) { ... on EvmTransaction { logs { decoded { name signature standard params { name type value } } } } } }`, { h: `0x${t.hash}` });
      for (const l of d.transaction.logs) {
        if (!l.decoded) continue;
        const { signature, params, name } = l.decoded;
        expect(signature).toBe(`${name}(${params.map((p: any) => p.type).join(",")})`);
        for (const p of params) expect(p.type).toMatch(/^(address|bool|uint256|uint256\[\])$/);
        seen.add(signature);
      }
    }
    expect(seen).toContain("Transfer(address,address,uint256)");
    const transfer = await data(`query($h: String!) { transaction(chain: "${EVM}", hash: $h) { ... on EvmTransaction { logs { decoded { signature params { name type } } } } } }`, { h: `0x${txs.find((t) => t.standard === 20)!.hash}` });
    const erc20 = transfer.transaction.logs.map((l: any) => l.decoded).find((x: any) => x?.signature === "Transfer(address,address,uint256)");
    expect(erc20.params).toEqual([{ name: "from", type: "address" }, { name: "to", type: "address" }, { name: "value", type: "uint256" }]);
  });
});

describe("Chain.latestBlocks / latestTransactions", () => {
  it("answer the newest canonical blocks and transactions, newest first", async () => {
    const d = await data(`{ chain(id: "${BTC}") { tipHeight latestBlocks(first: 5) { height hash } latestTransactions(first: 20) { hash height position } } }`);
    expect(d.chain.latestBlocks.map((b: any) => b.height)).toEqual([583, 582, 581, 580, 579]);
    const truth = await api.db.sql`
      select t.height::int as height, t.position from btc_tx t join chain c on c.id = t.chain_id where c.slug = ${BTC}
      order by t.height desc, t.position desc limit 20`;
    expect(d.chain.latestTransactions.map((t: any) => ({ height: t.height, position: t.position }))).toEqual(truth.map((t) => ({ ...t })));
    const dflt = await data(`{ chain(id: "${EVM}") { tipHeight latestBlocks { height } latestTransactions { hash height } } }`);
    expect(dflt.chain.latestBlocks).toHaveLength(Math.min(10, dflt.chain.tipHeight + 1));
    expect(dflt.chain.latestBlocks[0].height).toBe(dflt.chain.tipHeight);
    expect(dflt.chain.latestTransactions.length).toBeGreaterThan(0);
    expect(dflt.chain.latestTransactions[0].hash).toMatch(/^0x[0-9a-f]{64}$/);
    // The reorg chain's stale blocks are not "latest".
    const reorg = await data(`{ chains { id latestBlocks(first: 20) { height stale } } }`);
    for (const c of reorg.chains) for (const b of c.latestBlocks) expect(b.stale).toBe(false);
  });

  it("the home page's single operation runs for every chain at once", async () => {
    api.statements.reset();
    const d = await data(HOME_QUERY);
    expect(d.chains.map((c: any) => c.id)).toEqual(expect.arrayContaining([BTC, EVM]));
    const btc = d.chains.find((c: any) => c.id === BTC);
    expect(btc.latestBlocks[0]).toMatchObject({ height: 583, txCount: 1 });
    expect(btc.latestTransactions[0]).toMatchObject({ height: 583, isCoinbase: true });
    expect(listCost(parse(HOME_QUERY), {})).toBeLessThan(LIMITS.maxListCost / 10);
  });

  it("refuses more than 20", async () => {
    const r = await api.gql(`{ chain(id: "${BTC}") { latestBlocks(first: 21) { height } } }`);
    expect(r.status).not.toBe(500);
    expect(r.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.body.errors?.[0].message).toMatch(/between 0 and 20/);
    const v = await api.gql(`query($n: Int) { chain(id: "${BTC}") { latestTransactions(first: $n) { hash } } }`, { n: 5000 });
    expect(v.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("list cost", () => {
  const cost = (q: string, vars: Record<string, unknown> = {}) => listCost(parse(q), vars);

  it("counts a page's edges once (node is the edge's item, pageInfo one object)", () => {
    expect(cost(`{ blocks(chain: "x", first: 10) { edges { node { hash } } } }`)).toBe(1 + 10 + 10);
    expect(cost(`{ blocks(chain: "x", first: 10) { edges { cursor node { hash height } } pageInfo { hasNextPage } } }`)).toBe(1 + 10 + 10 + 20 + 1 + 1);
    // Unset page sizes count as the field's default: latestBlocks 10, connections 20.
    expect(cost(`{ chain(id: "x") { latestBlocks { hash } } }`)).toBe(1 + 10 + 10);
    expect(cost(`{ blocks(chain: "x") { edges { node { hash } } } }`)).toBe(1 + 20 + 20);
    // A variable above the field's maximum is priced at the maximum (the resolver refuses it anyway).
    expect(cost(`query($n: Int) { chain(id: "x") { latestBlocks(first: $n) { hash } } }`, { n: 100000 })).toBe(1 + 20 + 20);
  });

  it("accepts chains { latestBlocks(first: 10) { … transactions(first: 10) … } } and the API answers it", async () => {
    const q = `{ chains { id latestBlocks(first: 10) { hash height transactions(first: 10) { edges { node { hash position } } pageInfo { hasNextPage } } } latestTransactions(first: 20) { hash } } }`;
    expect(cost(q)).toBeLessThan(LIMITS.maxListCost);
    const d = await data(q);
    const btc = d.chains.find((c: any) => c.id === BTC);
    expect(btc.latestBlocks).toHaveLength(10);
    expect(btc.latestBlocks[0].transactions.edges[0].node.position).toBe(0);
  });

  it("still refuses first: 100000 and oversized nested pages", async () => {
    const big = await api.gql(`{ chains { latestBlocks(first: 10) { transactions(first: 100000) { edges { node { hash } } } } } }`);
    expect(big.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(big.body.errors?.[0].message).toMatch(/first must be between 0 and 100/);
    const utxo = await api.gql(`{ address(chain: "${BTC}", address: "${HAL_KEY}") { ... on BitcoinAddress { utxos(first: 100000) { edges { cursor } } } } }`);
    expect(utxo.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    api.statements.reset();
    const nested = await api.gql(`{ chains { latestBlocks(first: 20) { transactions(first: 100) { edges { node { ... on BitcoinTransaction { inputs { value } outputs { value } } } } } } } }`);
    expect(nested.body.errors?.[0].extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(api.statements.count).toBe(0);
  });
});
