// The rich list. btc_rich holds exactly the addresses of a chain whose balance is at least the chain's floor
// (btc_rich_floor), so a top-N read walks a small index while btc_address's summary updates stay HOT (no index on
// balance there). The writer keeps it exact as balances change; the floor moves only to keep the list small.
import type { Tx } from "../engine/adapter";
import { pgArray } from "./bitcoin-sql";

/** How big the list may get: rebuilt with a lower floor below `min` rows (the API's largest page), the floor raised
 *  to keep `keep` rows above `max`. A plain object so tests can shrink it to exercise both moves. */
export const RICH_LIMITS = { min: 100, keep: 1000, max: 4000 };

/** The chain's floor (a chain with no addresses yet gets 0, which lists everything). */
export async function richFloor(sql: Tx, chainId: number): Promise<bigint> {
  const [r] = await sql`select floor::text as floor from btc_rich_floor where chain_id = ${chainId}`;
  if (r) return BigInt(r.floor);
  await sql`insert into btc_rich_floor (chain_id, floor) values (${chainId}, 0)`;
  return 0n;
}

/** Addresses created by this batch with their balances (the list only grows from these). */
export async function addRichAddresses(sql: Tx, chainId: number, floor: bigint, ids: bigint[], balances: bigint[]): Promise<void> {
  const keep = ids.map((_, i) => i).filter((i) => balances[i] >= floor);
  if (!keep.length) return;
  await sql`
    insert into btc_rich (chain_id, address_id, balance)
    select ${chainId}, u.id, u.balance from unnest(${pgArray(keep.map((i) => ids[i]))}::bigint[], ${pgArray(keep.map((i) => balances[i]))}::bigint[]) as u(id, balance)`;
}

/** Re-reads the listed addresses' balances into the list (after a rollback changed or deleted them). */
export async function resyncRichAddresses(sql: Tx, chainId: number, ids: string[]): Promise<void> {
  const floor = await richFloor(sql, chainId);
  await sql`delete from btc_rich r using unnest(${ids}::bigint[]) as t(id) where r.address_id = t.id`;
  await sql`
    insert into btc_rich (chain_id, address_id, balance)
    select a.chain_id, a.id, a.balance from btc_address a join unnest(${ids}::bigint[]) as t(id) on a.id = t.id
    where a.balance >= ${floor.toString()}::bigint`;
  await resizeRichList(sql, chainId, floor);
}

/** Raises the floor when the list passed RICH_LIMITS.max rows; rebuilds it from btc_address below RICH_LIMITS.min. */
export async function resizeRichList(sql: Tx, chainId: number, floor: bigint): Promise<void> {
  const [{ n }] = await sql`select count(*)::int as n from btc_rich where chain_id = ${chainId}`;
  if (n > RICH_LIMITS.max) {
    const [r] = await sql`select balance::text as b from btc_rich where chain_id = ${chainId} order by balance desc offset ${RICH_LIMITS.keep - 1} limit 1`;
    const raised = BigInt(r.b);
    // Ties at the floor cannot be split: then the list simply stays larger.
    if (raised <= floor) return;
    await sql`update btc_rich_floor set floor = ${raised.toString()}::bigint where chain_id = ${chainId}`;
    await sql`delete from btc_rich where chain_id = ${chainId} and balance < ${raised.toString()}::bigint`;
  } else if (n < RICH_LIMITS.min && floor > 0n) {
    // Most of the top moved below the floor (spends, a rollback): one scan of btc_address finds the new top.
    const [r] = await sql`select balance::text as b from btc_address where chain_id = ${chainId} order by balance desc offset ${RICH_LIMITS.keep - 1} limit 1`;
    const lowered = r ? BigInt(r.b) : 0n;
    await sql`update btc_rich_floor set floor = ${lowered.toString()}::bigint where chain_id = ${chainId}`;
    await sql`delete from btc_rich where chain_id = ${chainId}`;
    await sql`insert into btc_rich (chain_id, address_id, balance) select chain_id, id, balance from btc_address where chain_id = ${chainId} and balance >= ${lowered.toString()}::bigint`;
  }
}
