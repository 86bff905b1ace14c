// The rich list (btc_rich) stays exactly "every address whose balance is at least the floor" while real mainnet
// blocks 0–583 are indexed by the real engine, as the floor rises, after a rollback, and when it must be rebuilt.
// Limits are shrunk so that the few hundred addresses of 0–583 exercise every move.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RICH_LIMITS } from "../../../indexer/store/bitcoin-rich";
import { startTestDb, type TestDb } from "../../helpers/db";
import { indexMainnet, rollbackChain, startApi, type Api } from "../analytics/harness";

const BTC = 9;
let db: TestDb;
let api: Api;
const saved = { ...RICH_LIMITS };

beforeAll(async () => {
  db = await startTestDb();
  Object.assign(RICH_LIMITS, { min: 5, keep: 20, max: 40 });
});
afterAll(async () => {
  Object.assign(RICH_LIMITS, saved);
  await api?.stop();
  await db?.stop();
});

async function expectExact(): Promise<bigint> {
  const [{ floor }] = await db.sql`select floor::text as floor from btc_rich_floor where chain_id = ${BTC}`;
  const [{ wrong }] = await db.sql`
    select count(*)::int as wrong from (select id, balance from btc_address where chain_id = ${BTC}) a
    full join (select address_id, balance from btc_rich where chain_id = ${BTC}) r on r.address_id = a.id
    where (coalesce(a.balance, -1) >= ${floor}::bigint) is distinct from (r.address_id is not null) or r.balance <> a.balance`;
  expect(wrong).toBe(0);
  const [{ n }] = await db.sql`select count(*)::int as n from btc_rich where chain_id = ${BTC}`;
  expect(n).toBeGreaterThanOrEqual(RICH_LIMITS.min);
  return BigInt(floor);
}

async function expectTopMatches() {
  const r = await api.gql(`{ top(chain: "rich", metric: RICHEST, first: 5) { rank value address { address balance } } }`);
  expect(r.errors).toBeUndefined();
  const want = await db.sql`select balance::text as b from btc_address where chain_id = ${BTC} order by balance desc limit 5`;
  expect(r.data.top.map((t: { value: string }) => t.value)).toEqual(want.map((w) => w.b));
}

describe("btc_rich", () => {
  it("holds exactly the addresses at or above a rising floor while indexing", async () => {
    const adapter = await indexMainnet(db.sql, BTC, "rich", 300);
    const floorAt300 = await expectExact();
    expect(floorAt300).toBeGreaterThan(0n); // 40+ funded addresses by 300: the floor has risen
    await indexMainnet(db.sql, BTC, "rich", 583);
    expect(await expectExact()).toBeGreaterThanOrEqual(floorAt300);
    api = await startApi(db.url);
    await expectTopMatches();

    // A rollback changes and deletes addresses: the list follows.
    await rollbackChain(db.sql, BTC, adapter, 400);
    await expectExact();
    await expectTopMatches();
  });

  it("is rebuilt from btc_address with a lower floor when it falls below its minimum", async () => {
    Object.assign(RICH_LIMITS, { min: 1000, keep: 30, max: 4000 });
    const [{ floor: before }] = await db.sql`select floor::text as floor from btc_rich_floor where chain_id = ${BTC}`;
    // Rolling back to 150 removes the addresses funded after it: the list shrinks below `min` and is rebuilt.
    const adapter = await indexMainnet(db.sql, BTC, "rich", 400);
    await rollbackChain(db.sql, BTC, adapter, 150);
    const [{ floor: after }] = await db.sql`select floor::text as floor from btc_rich_floor where chain_id = ${BTC}`;
    expect(BigInt(after)).toBeLessThanOrEqual(BigInt(before));
    Object.assign(RICH_LIMITS, { min: 5 });
    await expectExact();
    await expectTopMatches();
  });
});
