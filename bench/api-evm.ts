// The API benchmark's EVM chain: devnet traffic (indexer/devnet, on anvil) indexed by the real engine into the API
// bench database as a second chain, one address topped up to ≥ 1 M history rows, and the EVM pages as the site asks
// for them (block, tx, address page 1 and 1,000, trace, a fee-rate series).
import postgres from "postgres";
import { connectPostgres } from "../indexer/db/client";
import { startAnvil } from "../indexer/devnet/anvil";
import { Traffic } from "../indexer/devnet/traffic";
import { runChain } from "../indexer/engine/engine";
import { createEvmAdapter } from "../indexer/sources/evm-adapter";
import type { Scenario } from "./api-graphql";
import { fmt } from "./gen/util";

export const EVM_CHAIN_ID = 2;
export const EVM_SLUG = "bench-evm";
const PAGE = 20;

/** Generates `blocks` blocks of devnet traffic on a fresh anvil and indexes them (senders checked, as in production). */
export async function indexEvmChain(dbUrl: string, blocks: number, log: (s: string) => void): Promise<void> {
  const anvil = await startAnvil({ blockTime: "manual" });
  const sql = connectPostgres(dbUrl, { onnotice: () => {}, max: 4 });
  try {
    const t0 = performance.now();
    const traffic = new Traffic({ rpcUrl: anvil.url, seed: 7 });
    await traffic.generate(blocks);
    log(`generated ${fmt(blocks)} EVM blocks, ${fmt(traffic.sent.total)} txs in ${fmt((performance.now() - t0) / 1000, 1)} s; indexing them`);
    await sql`insert into chain (id, slug, family, network, name) values (${EVM_CHAIN_ID}, ${EVM_SLUG}, 'evm', 'devnet', 'Bench devnet')`;
    await runChain({
      sql, chain: { id: EVM_CHAIN_ID, slug: EVM_SLUG }, adapter: createEvmAdapter({ startHeight: 0 }, { chainId: EVM_CHAIN_ID, rpcUrl: anvil.url }),
      batchBlocks: 50, concurrency: 2, pollMs: 100, onInvalid: "stop", signal: new AbortController().signal, untilHeight: blocks, log: () => {},
      progressOut: { isTTY: false, write: () => true },
    });
  } finally {
    await sql.end();
    await anvil.stop();
  }
}

/**
 * The hottest EVM address (most history rows), topped up to `history` rows like the Bitcoin one: extra rows sit above
 * the tip (height 10,000,000 +) and point at the chain's real transactions (cycled), as a recipient.
 */
export async function hotEvmAddress(sql: postgres.Sql, history: number, log: (s: string) => void): Promise<{ address: string; rows: number; cursor1000: string }> {
  const [hot] = await sql`select address_id, count(*)::int as n from evm_address_tx where chain_id = ${EVM_CHAIN_ID} group by address_id order by n desc limit 1`;
  const need = history - hot.n;
  if (need > 0) {
    log(`adding ${fmt(need)} history rows to EVM address ${hot.address_id}`);
    const [{ n: txCount }] = await sql`select count(*)::int as n from evm_tx where chain_id = ${EVM_CHAIN_ID}`;
    await sql.unsafe(`
      insert into evm_address_tx (chain_id, address_id, height, position, tx_id, role)
      select ${EVM_CHAIN_ID}, ${hot.address_id}, 10000000 + g / 2000, g % 2000, t.id, 2
      from generate_series(0, ${need - 1}) g
      join (select id, (row_number() over (order by id) - 1)::int as rn from evm_tx where chain_id = ${EVM_CHAIN_ID}) t on t.rn = g % ${txCount}`);
    await sql`update evm_address set tx_count = tx_count + ${need} where id = ${hot.address_id}`;
    await sql`vacuum analyze evm_address_tx`;
  }
  const [a] = await sql`select '0x' || encode(address, 'hex') as address from evm_address where id = ${hot.address_id}`;
  const [{ n: rows }] = await sql`select count(*)::int as n from evm_address_tx where chain_id = ${EVM_CHAIN_ID} and address_id = ${hot.address_id}`;
  const [deep] = await sql`select height::text as h, position from evm_address_tx where chain_id = ${EVM_CHAIN_ID} and address_id = ${hot.address_id}
    order by height desc, position desc offset ${999 * PAGE - 1} limit 1`;
  return { address: a.address, rows, cursor1000: Buffer.from(`k1:${deep.h}:${deep.position}`).toString("base64url") };
}

const q = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

/** The EVM scenarios, with the fields the site's pages ask for (app/[chain]/…/page.tsx), over the indexed chain. */
export async function evmScenarios(sql: postgres.Sql, history: number, log: (s: string) => void): Promise<{ scenarios: Scenario[]; hot: { address: string; rows: number }; tip: number; txs: number }> {
  const hot = await hotEvmAddress(sql, history, log);
  const [{ tip }] = await sql`select tip_height::int as tip from chain where id = ${EVM_CHAIN_ID}`;
  const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;
  // The blocks with transactions (the devnet's setup blocks aside, every block), and txs cycled or each asked once.
  const heights = (await sql`select height::int as h from evm_tx where chain_id = ${EVM_CHAIN_ID} group by height order by height`).map((r) => r.h as number);
  const txs = (await sql`select hash from evm_tx where chain_id = ${EVM_CHAIN_ID} order by md5(id::text)`).map((r) => hex(r.hash));
  const cycled = txs.slice(0, 2000);
  let next = 0;

  const blockQ = `query($h: Int!) { block(chain: "${EVM_SLUG}", height: $h) { hash height parentHash time txCount size verification { checks }
    ... on EvmBlock { miner gasUsed gasLimit baseFeePerGas stateRoot transactionsRoot receiptsRoot withdrawalsRoot extraData }
    transactions(first: ${PAGE}) { edges { cursor node { hash position ... on EvmTransaction { from { address } to { address } contractCreated { address } value fee status } } }
      pageInfo { hasNextPage endCursor } } } }`;
  const txQ = `query($t: String!) { transaction(chain: "${EVM_SLUG}", hash: $t) { hash height position block { hash time }
    ... on EvmTransaction { type nonce gas gasPrice maxFeePerGas maxPriorityFeePerGas input methodId status gasUsed effectiveGasPrice value fee
      from { address } to { address isContract tokenName tokenSymbol } contractCreated { address tokenName tokenSymbol }
      logs { logIndex address { address tokenName tokenSymbol } topics data decoded { name signature params { name type value } } }
      tokenTransfers { logIndex batchIndex standard amount nftId token { address tokenName tokenSymbol tokenDecimals } from { address } to { address } }
      merkleProof { verified } } } }`;
  const addrQ = `query($a: String!, $after: String) { address(chain: "${EVM_SLUG}", address: $a) { address balance txCount firstHeight lastHeight
    transactions(first: ${PAGE}, after: $after) { edges { cursor height position roles node { hash ... on EvmTransaction { status value from { address } to { address } } } }
      pageInfo { hasNextPage endCursor } } } }`;
  const traceQ = `query($f: String!) { trace(chain: "${EVM_SLUG}", from: $f, direction: BOTH, depth: 6, limit: 200) {
    root truncated cursor statements nodes { id kind label height value depth expandable cursor } edges { id from to value outputIndex height txid address } } }`;
  const seriesQ = `query($from: String, $to: String) { series(chain: "${EVM_SLUG}", metric: FEE_RATE_PERCENTILES, interval: BLOCK, from: $from, to: $to) {
    unit from to points { time height blocks value percentiles { p value } } } }`;
  const scenarios: Scenario[] = [
    { name: "EVM block page", body: (i) => q(blockQ, { h: heights[(i * 7919) % heights.length] }) },
    { name: "EVM tx page (2,000 txs cycled)", body: (i) => q(txQ, { t: cycled[i % cycled.length] }) },
    { name: "EVM tx page (uncached: a new tx per request)", body: () => q(txQ, { t: txs[next++ % txs.length] }) },
    { name: "EVM address page 1 (hot)", body: () => q(addrQ, { a: hot.address }) },
    { name: "EVM address page 1,000 (hot)", body: () => q(addrQ, { a: hot.address, after: hot.cursor1000 }) },
    { name: "EVM trace BOTH depth 6 limit 200 (hot address)", body: () => q(traceQ, { f: hot.address }) },
    { name: "EVM series FEE_RATE_PERCENTILES BLOCK (last 100 blocks)", body: () => q(seriesQ, { from: String(tip - 99), to: String(tip) }) },
  ];
  return { scenarios, hot, tip, txs: txs.length };
}
