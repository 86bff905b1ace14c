// What the indexer keeps in analytics_period_active, and the check that every kept count is exact.
import type postgres from "postgres";
import { expect } from "vitest";

export interface KeptPeriod {
  unit: string;
  startDay: number;
  endDay: number;
  active: string;
  /** The start as YYYY-MM-DD. */
  start: string;
  /** Ends at or before the median time of the chain's last 11 blocks. */
  closed: boolean;
}

/** The weeks and months kept for a chain: weeks first, each oldest first. */
export async function keptPeriods(sql: postgres.Sql, chainId: number): Promise<KeptPeriod[]> {
  const [{ mtp }] = await sql`select percentile_disc(0.5) within group (order by time)::bigint::int as mtp
    from (select time from analytics_block where chain_id = ${chainId} order by height desc limit 11) t`;
  const rows = await sql`select unit, start_day, end_day, active_addresses::text as n from analytics_period_active where chain_id = ${chainId} order by unit desc, start_day`;
  return rows.map((r) => ({
    unit: r.unit as string, startDay: r.start_day as number, endDay: r.end_day as number, active: r.n as string,
    start: new Date(r.start_day * 86_400_000).toISOString().slice(0, 10), closed: r.end_day * 86400 <= mtp,
  }));
}

/** Each kept count is the distinct count of its days' rows, and every week that ends by the median time of the
 *  chain's last 11 blocks is kept. Returns the kept periods. */
export async function expectKeptExact(sql: postgres.Sql, chainId: number): Promise<KeptPeriod[]> {
  const kept = await keptPeriods(sql, chainId);
  for (const p of kept) {
    const [{ n }] = await sql`select count(distinct address_id)::text as n from analytics_day_address
      where chain_id = ${chainId} and day >= ${p.startDay} and day < ${p.endDay}`;
    expect(p.active, `${p.unit} ${p.start}`).toBe(n);
  }
  const [{ first, mtp }] = await sql`select (select min(day) from analytics_day where chain_id = ${chainId}) as first,
    (select percentile_disc(0.5) within group (order by time)::bigint::int from
      (select time from analytics_block where chain_id = ${chainId} order by height desc limit 11) t) as mtp`;
  // Mondays from the first day's week (day 0 was a Thursday) through the last week ending by the median time.
  const want: number[] = [];
  for (let monday = first - ((first + 3) % 7); (monday + 7) * 86400 <= mtp; monday += 7) want.push(monday);
  expect(kept.filter((p) => p.unit === "week" && p.closed).map((p) => p.startDay)).toEqual(want);
  return kept;
}
