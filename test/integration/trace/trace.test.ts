// Trace over real mainnet blocks 0–583 indexed by the real engine, a synthetic EVM chain with a cycle, and a
// generated 1,000-input fan-in: reaches what it should, stays bounded, flags truncation, and costs one statement
// per hop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDb, type TestDb } from "../../helpers/db";
import { indexMainnet, seedEvm, startApi, type Api, type EvmSeed } from "../analytics/harness";
import { encodeAddress } from "../../../lib/bitcoin/address";
import { ADDRESS_SCAN_ROWS } from "../../../graphql/trace/bitcoin";

const BTC = 3, EVM = 4, FAN = 5, HOT = 6, SHARED = 7;
const COINBASE_9 = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9";
const TX_170 = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16";
// Block 170 pays Hal Finney by p2pk: the address row is his public key.
const HAL = "04ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7303b8a0626f1baded5c72a704f7e6cd84c";
const FAN_TXID = "ff".repeat(32);

const TRACE = /* GraphQL */ `
query T($chain: ID!, $from: String!, $direction: TraceDirection, $depth: Int, $limit: Int, $after: String) {
  trace(chain: $chain, from: $from, direction: $direction, depth: $depth, limit: $limit, after: $after) {
    root truncated cursor statements
    nodes { id kind label height value depth expandable cursor }
    edges { id from to value outputIndex height txid asset address }
  }
}`;

let db: TestDb;
let api: Api;
let evm: EvmSeed;

/** A chain with 1,000 one-output funding txs at height 1 and one tx at height 2 spending them all. */
async function seedFanIn(sql: TestDb["sql"]) {
  await sql`insert into chain (id, slug, family, network, name, tip_height) values (${FAN}, 'fan', 'bitcoin', 'regtest', 'fan-in', 2)`;
  const base = BigInt(FAN) << 40n;
  await sql`
    insert into btc_tx (id, chain_id, txid, height, position, version, locktime, size, vsize, weight, is_coinbase, has_witness, input_count, output_count, input_value, output_value, fee, raw)
    select ${base.toString()}::bigint + g, ${FAN}, decode(lpad(to_hex(g), 64, '0'), 'hex'), 1, g, 1, 0, 100, 100, 400, false, false, 1, 1, 1000, 1000, 0, '\\x00'
    from generate_series(1, 1000) g`;
  await sql`
    insert into btc_output (chain_id, tx_id, vout, value, script_type, address_id, spent_by_tx_id, spent_by_vin, spent_height)
    select ${FAN}, ${base.toString()}::bigint + g, 0, 1000, 0, null, ${(base + 5000n).toString()}::bigint, g - 1, 2 from generate_series(1, 1000) g`;
  await sql`
    insert into btc_tx (id, chain_id, txid, height, position, version, locktime, size, vsize, weight, is_coinbase, has_witness, input_count, output_count, input_value, output_value, fee, raw)
    values (${(base + 5000n).toString()}, ${FAN}, decode(${FAN_TXID}, 'hex'), 2, 0, 1, 0, 100000, 100000, 400000, false, false, 1000, 1, 1000000, 999000, 1000, '\\x00')`;
  await sql`
    insert into btc_input (chain_id, tx_id, vin, prev_tx_id, prev_vout, value, address_id)
    select ${FAN}, ${(base + 5000n).toString()}::bigint, g - 1, ${base.toString()}::bigint + g, 0, 1000, null from generate_series(1, 1000) g`;
}

/** One p2wpkh address with HOT_ROWS history rows, one per tx at heights 1..HOT_ROWS: the oldest HOT_SENT send, the rest receive. */
const HOT_ROWS = 4_600, HOT_SENT = 3;
const HOT_SCRIPT = Buffer.from(`0014${"ab".repeat(20)}`, "hex");
const HOT_ADDR = encodeAddress(HOT_SCRIPT, "regtest")!;
async function seedHotAddress(sql: TestDb["sql"]) {
  await sql`insert into chain (id, slug, family, network, name, tip_height) values (${HOT}, 'hot', 'bitcoin', 'regtest', 'hot address', ${HOT_ROWS})`;
  const base = (BigInt(HOT) << 40n).toString();
  await sql`
    insert into btc_tx (id, chain_id, txid, height, position, version, locktime, size, vsize, weight, is_coinbase, has_witness, input_count, output_count, input_value, output_value, fee, raw)
    select ${base}::bigint + g, ${HOT}, decode('cc' || lpad(to_hex(g), 62, '0'), 'hex'), g, 0, 1, 0, 100, 100, 400, false, false, 1, 1, 1000, 1000, 0, '\\x00'
    from generate_series(1, ${HOT_ROWS}) g`;
  await sql`insert into btc_address (id, chain_id, script, script_type, balance, tx_count, first_height, last_height)
    values (${base}, ${HOT}, ${HOT_SCRIPT}, 2, 0, ${HOT_ROWS}, 1, ${HOT_ROWS})`;
  await sql`
    insert into btc_address_tx (chain_id, address_id, height, position, tx_id, delta)
    select ${HOT}, ${base}, g, 0, ${base}::bigint + g, case when g <= ${HOT_SENT} then -1000 else 1000 end from generate_series(1, ${HOT_ROWS}) g`;
}

/**
 * SHARED_MIDS txs at height 2 that the root (height 3) spends, each spending SHARED_INPUTS outputs of SHARED_FUNDERS
 * coinbases at height 1 that the mids share: mid j's input v spends funder (j + v) mod SHARED_FUNDERS, output j. A
 * backward hop over the mids reads mostly funders found just before, which take no node budget. The root also spends
 * output 0 of the first SHARED_DIRECT funders, after the mids.
 */
// 39 funders: mid j's inputs reach (j + v) for j + v in 1..39, so every funder is some mid's.
const SHARED_MIDS = 30, SHARED_INPUTS = 10, SHARED_FUNDERS = 39, SHARED_DIRECT = 3;
const SHARED_ROOT = "ee".repeat(32);
async function seedSharedFunders(sql: TestDb["sql"]) {
  await sql`insert into chain (id, slug, family, network, name, tip_height) values (${SHARED}, 'shared', 'bitcoin', 'regtest', 'shared funders', 3)`;
  const base = (BigInt(SHARED) << 40n).toString();
  const tx = (id: string, txid: string, height: number, coinbase: boolean, inputs: number) => sql`
    insert into btc_tx (id, chain_id, txid, height, position, version, locktime, size, vsize, weight, is_coinbase, has_witness, input_count, output_count, input_value, output_value, fee, raw)
    values (${id}::bigint, ${SHARED}, decode(${txid}, 'hex'), ${height}, 0, 1, 0, 100, 100, 400, ${coinbase}, false, ${inputs}, 1, 1000, 1000, 0, '\\x00')`;
  for (let f = 0; f < SHARED_FUNDERS; f++) await tx(`${BigInt(base) + 1n + BigInt(f)}`, `f2${f.toString(16).padStart(62, "0")}`, 1, true, 1);
  for (let j = 1; j <= SHARED_MIDS; j++) await tx(`${BigInt(base) + 100n + BigInt(j)}`, `d2${j.toString(16).padStart(62, "0")}`, 2, false, SHARED_INPUTS);
  await tx(`${BigInt(base) + 1000n}`, SHARED_ROOT, 3, false, SHARED_MIDS + SHARED_DIRECT);
  await sql`
    insert into btc_input (chain_id, tx_id, vin, prev_tx_id, prev_vout, value, address_id)
    select ${SHARED}, ${base}::bigint + 100 + j, v, ${base}::bigint + 1 + (j + v) % ${SHARED_FUNDERS}, j, 1000, null
    from generate_series(1, ${SHARED_MIDS}) j, generate_series(0, ${SHARED_INPUTS - 1}) v`;
  await sql`
    insert into btc_input (chain_id, tx_id, vin, prev_tx_id, prev_vout, value, address_id)
    select ${SHARED}::smallint, ${base}::bigint + 1000, j - 1, ${base}::bigint + 100 + j, 0, 1000, null::bigint from generate_series(1, ${SHARED_MIDS}) j
    union all
    select ${SHARED}::smallint, ${base}::bigint + 1000, ${SHARED_MIDS} + f, ${base}::bigint + 1 + f, 0, 1000, null from generate_series(0, ${SHARED_DIRECT - 1}) f`;
}

beforeAll(async () => {
  db = await startTestDb();
  await indexMainnet(db.sql, BTC, "btc", 583);
  evm = await seedEvm(db.sql, EVM, "evm", 120);
  await seedFanIn(db.sql);
  await seedHotAddress(db.sql);
  await seedSharedFunders(db.sql);
  api = await startApi(db.url);
});
afterAll(async () => {
  await api?.stop();
  await db?.stop();
});

async function trace(vars: Record<string, unknown>) {
  const r = await api.gql(TRACE, vars);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data.trace;
}

describe("Bitcoin trace (mainnet 0–583)", () => {
  it("forward from block 9's coinbase reaches block 170's tx and its 10 BTC output to Hal Finney", async () => {
    const t = await trace({ chain: "btc", from: COINBASE_9, direction: "FORWARD", depth: 3, limit: 100 });
    expect(t.root).toBe(COINBASE_9);
    const n170 = t.nodes.find((n: any) => n.id === TX_170);
    expect(n170).toMatchObject({ kind: "TRANSACTION", height: 170, depth: 1, value: "5000000000" });
    expect(t.edges).toContainEqual(expect.objectContaining({ from: COINBASE_9, to: TX_170, value: "5000000000", outputIndex: 0, height: 170 }));
    const hal = t.edges.find((e: any) => e.from === TX_170 && e.outputIndex === 0);
    expect(hal).toMatchObject({ value: "1000000000", address: HAL });
    // Every edge joins two nodes of the graph; ids are unique.
    const ids = new Set(t.nodes.map((n: any) => n.id));
    expect(ids.size).toBe(t.nodes.length);
    for (const e of t.edges) expect(ids.has(e.from) && ids.has(e.to), e.id).toBe(true);
    expect(t.truncated).toBe(false);
  });

  it("backward from block 170's tx finds block 9's coinbase; from an outpoint and from an address too", async () => {
    const b = await trace({ chain: "btc", from: TX_170, direction: "BACKWARD", depth: 2 });
    expect(b.edges).toContainEqual(expect.objectContaining({ from: COINBASE_9, to: TX_170, outputIndex: 0 }));
    const o = await trace({ chain: "btc", from: `${TX_170}:0`, direction: "BOTH", depth: 2 });
    expect(o.nodes.find((n: any) => n.id === `${TX_170}:0`)).toMatchObject({ kind: "OUTPUT", value: "1000000000", label: HAL });
    expect(o.edges).toContainEqual(expect.objectContaining({ from: TX_170, to: `${TX_170}:0` }));
    const a = await trace({ chain: "btc", from: HAL, direction: "BACKWARD", depth: 2 });
    expect(a.nodes.find((n: any) => n.id === HAL)?.kind).toBe("ADDRESS");
    expect(a.edges).toContainEqual(expect.objectContaining({ from: TX_170, to: HAL, value: "1000000000" }));
    expect(a.nodes.some((n: any) => n.id === COINBASE_9)).toBe(true);
  });

  it("a depth-6 trace runs one statement per hop plus one to resolve the start", async () => {
    api.statements.reset();
    const t = await trace({ chain: "btc", from: COINBASE_9, direction: "BOTH", depth: 6, limit: 1000 });
    // 1 chain list (per request) + 1 start + at most 6 hops.
    expect(t.statements).toBeLessThanOrEqual(7);
    expect(api.statements.count).toBe(t.statements + 1);
    console.log(`depth-6 trace from block 9's coinbase: ${t.nodes.length} nodes, ${t.edges.length} edges, ${t.statements} trace statements, ${api.statements.count} in all`);
  });

  it("a node's cursor expands it further; unknown starts and bad bounds are refused", async () => {
    const t = await trace({ chain: "btc", from: COINBASE_9, direction: "FORWARD", depth: 1 });
    const n = t.nodes.find((x: any) => x.id === TX_170);
    expect(n.expandable).toBe(true);
    const more = await trace({ chain: "btc", from: COINBASE_9, direction: "FORWARD", depth: 1, after: n.cursor });
    expect(more.edges.some((e: any) => e.from === TX_170 && e.outputIndex === 0 && e.value === "1000000000")).toBe(true);
    for (const [vars, code] of [
      [{ from: "00".repeat(32) }, "NOT_FOUND"], [{ from: COINBASE_9, depth: 11 }, "BAD_USER_INPUT"], [{ from: COINBASE_9, limit: 1001 }, "BAD_USER_INPUT"],
      [{ from: COINBASE_9, after: "garbage" }, "BAD_USER_INPUT"], [{ from: "not an address" }, "BAD_USER_INPUT"],
    ] as const) {
      const r = await api.gql(TRACE, { chain: "btc", ...vars });
      expect(r.errors?.[0].extensions?.code, JSON.stringify(vars)).toBe(code);
    }
  });

  it("a 1,000-input fan-in is truncated at the node limit and flagged, and the cursor continues it", async () => {
    api.statements.reset();
    const t = await trace({ chain: "fan", from: FAN_TXID, direction: "BACKWARD", depth: 3, limit: 100 });
    expect(t.nodes.length).toBe(100);
    expect(t.truncated).toBe(true);
    expect(t.cursor).toBeTruthy();
    expect(t.statements).toBe(2);
    const seen = new Set(t.nodes.map((n: any) => n.id));
    // The root's own cursor resumes its inputs where the limit stopped (vin 99).
    const root = t.nodes.find((n: any) => n.id === FAN_TXID);
    expect(root.expandable).toBe(true);
    const next = await trace({ chain: "fan", from: FAN_TXID, direction: "BACKWARD", depth: 1, limit: 1000, after: root.cursor });
    const fresh = next.nodes.filter((n: any) => !seen.has(n.id));
    expect(fresh.length).toBe(1000 - 99);
    expect(next.truncated).toBe(false);
    // The whole-trace cursor continues everything left open (the root and the 99 inputs at the limit).
    const cont = await trace({ chain: "fan", from: FAN_TXID, direction: "BACKWARD", depth: 1, limit: 1000, after: t.cursor });
    expect(cont.nodes.length).toBe(1000);
    const all = await trace({ chain: "fan", from: FAN_TXID, direction: "BACKWARD", depth: 2, limit: 1000 });
    expect(all.nodes.length).toBe(1000);
    expect(all.truncated).toBe(true);
  });
});

describe("Bitcoin trace over funders its hop has already found", () => {
  it("fills the limit nearest first, and its cursor continues to exactly the edges it left", async () => {
    const limit = 60;
    const t = await trace({ chain: "shared", from: SHARED_ROOT, direction: "BACKWARD", depth: 2, limit });
    expect(t.nodes.length).toBe(limit);
    expect(t.truncated).toBe(true);
    // The root's inputs (depth 1) before any funder of theirs (depth 2); the limit is filled although most rows led to
    // funders found a moment before.
    const depth1 = t.nodes.filter((n: any) => n.depth === 1);
    expect(depth1.length).toBe(SHARED_MIDS + SHARED_DIRECT);
    expect(t.nodes.filter((n: any) => n.depth === 2).length).toBe(limit - 1 - depth1.length);
    // The funders the root spends directly come after the mids in the hop: coinbases, with nothing to expand backward
    // whatever the limit cut.
    const direct = depth1.filter((n: any) => n.id.endsWith("f2"));
    expect(direct.length).toBe(SHARED_DIRECT);
    expect(direct.every((n: any) => !n.expandable)).toBe(true);
    const ids = new Set(t.nodes.map((n: any) => n.id));
    for (const e of t.edges) expect(ids.has(e.from) && ids.has(e.to), e.id).toBe(true);
    // What the cursor continues, added to what was shown, is the whole graph: every edge once.
    const rest = await trace({ chain: "shared", from: SHARED_ROOT, direction: "BACKWARD", depth: 1, limit: 1000, after: t.cursor });
    expect(rest.truncated).toBe(false);
    const edges = new Set([...t.edges, ...rest.edges].map((e: any) => e.id));
    expect(edges.size).toBe(SHARED_MIDS + SHARED_DIRECT + SHARED_MIDS * SHARED_INPUTS);
    const nodes = new Set([...t.nodes, ...rest.nodes].map((n: any) => n.id));
    expect(nodes.size).toBe(1 + SHARED_MIDS + SHARED_FUNDERS);
    console.log(`shared funders: ${t.statements} statements for ${t.nodes.length} nodes, then ${rest.statements}`);
  });
});

describe("Bitcoin trace from an address with a long history", () => {
  /** Follows the address node's cursor until nothing is left open; every page's edges and truncation. */
  async function pages(direction: string, limit: number) {
    const out: { edges: any[]; truncated: boolean; statements: number }[] = [];
    let after: string | undefined;
    for (let i = 0; i < 20; i++) {
      const t = await trace({ chain: "hot", from: HOT_ADDR, direction, depth: 1, limit, after });
      out.push({ edges: t.edges, truncated: t.truncated, statements: t.statements });
      const self = t.nodes.find((n: any) => n.id === HOT_ADDR);
      if (!self.expandable) return out;
      after = self.cursor;
    }
    throw new Error("the address's cursor did not come to an end");
  }

  it("the rare direction is reached through truncated answers whose cursor moves down the history", async () => {
    // The sends are the oldest rows: each request reads one window of ADDRESS_SCAN_ROWS rows, says truncated while
    // the window was full, and the last window has the sends.
    const p = await pages("FORWARD", 50);
    expect(p.length).toBe(Math.ceil(HOT_ROWS / ADDRESS_SCAN_ROWS));
    expect(p.slice(0, -1).every((x) => x.truncated && x.edges.length === 0)).toBe(true);
    const last = p[p.length - 1];
    expect(last.truncated).toBe(false);
    expect(last.edges.map((e: any) => e.height)).toEqual([3, 2, 1]);
    expect(last.edges.every((e: any) => e.from === HOT_ADDR && e.value === "1000")).toBe(true);
    // Two statements per request: the start (or none when resuming) and one hop.
    expect(p.every((x) => x.statements <= 2)).toBe(true);
  });

  it("the dense direction pages by the node limit with no gap and no repeat", async () => {
    const p = await pages("BACKWARD", 1000);
    expect(p[0].truncated).toBe(true);
    expect(p[0].edges.length).toBe(999);
    const heights = p.flatMap((x) => x.edges.map((e: any) => e.height));
    expect(heights.length).toBe(HOT_ROWS - HOT_SENT);
    expect(heights).toEqual(Array.from({ length: HOT_ROWS - HOT_SENT }, (_, i) => HOT_ROWS - i));
    expect(p[p.length - 1].truncated).toBe(false);
  });

  it("BOTH from the address fills the limit from the receiving side and leaves the sending side open", async () => {
    const t = await trace({ chain: "hot", from: HOT_ADDR, direction: "BOTH", depth: 2, limit: 200 });
    expect(t.truncated).toBe(true);
    expect(t.nodes.length).toBe(200);
    expect(t.statements).toBe(2);
    const self = t.nodes.find((n: any) => n.id === HOT_ADDR);
    expect(self.expandable).toBe(true);
    expect(t.cursor).toBeTruthy();
  });
});

describe("EVM trace (synthetic chain)", () => {
  it("a cycle A→B→C→A is walked once and terminates", async () => {
    const [A, B, C] = evm.cycle;
    const t = await trace({ chain: "evm", from: A, direction: "FORWARD", depth: 10, limit: 1000 });
    const lc = (s: string) => s.toLowerCase();
    const has = (f: string, to: string) => t.edges.some((e: any) => lc(e.from) === f && lc(e.to) === to && e.asset === null);
    expect(has(A, B) && has(B, C) && has(C, A)).toBe(true);
    const ids = t.nodes.map((n: any) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(t.edges.map((e: any) => e.id)).size).toBe(t.edges.length);
    expect(t.statements).toBeLessThanOrEqual(11);
  });

  it("a contract's native edges are exactly its txs that carried value, newest first", async () => {
    // The routers are called with value half the time and without it otherwise: only the first are edges.
    const router = evm.routers[1];
    const t = await trace({ chain: "evm", from: router, direction: "BACKWARD", depth: 1, limit: 1000 });
    const native = t.edges.filter((e: any) => e.asset === null);
    const expected = await db.sql`select '0x' || encode(t.hash, 'hex') as hash from evm_tx t join evm_address a on a.id = t.to_id
      where a.address = ${Buffer.from(router.slice(2), "hex")} and t.value > 0 order by t.height desc, t.position desc`;
    const [{ valueless }] = await db.sql`select count(*)::int as valueless from evm_tx t join evm_address a on a.id = t.to_id
      where a.address = ${Buffer.from(router.slice(2), "hex")} and t.value = 0`;
    expect(valueless).toBeGreaterThan(0);
    expect(expected.length).toBeGreaterThan(0);
    expect(native.map((e: any) => e.txid)).toEqual(expected.map((r) => r.hash));
    expect(t.truncated).toBe(false);
  });

  it("follows token transfers through router contracts, and a tx hash start", async () => {
    const router = evm.routers[0];
    const t = await trace({ chain: "evm", from: router, direction: "BOTH", depth: 1, limit: 500 });
    expect(t.edges.some((e: any) => e.asset?.startsWith("TK") && e.to.toLowerCase() === router)).toBe(true);
    expect(t.edges.some((e: any) => e.asset?.startsWith("TK") && e.from.toLowerCase() === router)).toBe(true);
    const tx = t.edges.find((e: any) => e.asset)!.txid;
    const s = await trace({ chain: "evm", from: tx, direction: "BOTH", depth: 1 });
    expect(s.nodes.find((n: any) => n.id === tx)?.kind).toBe("TRANSACTION");
    expect(s.edges.length).toBeGreaterThanOrEqual(2);
  });
});
