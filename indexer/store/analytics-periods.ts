// Active addresses of closed UTC weeks and months (analytics_period_active). A week's or month's count is the distinct
// count of its analytics_day_address rows; counted at request time, a weekly series over the bench chain's 362k day
// rows took 220–310 ms of PostgreSQL. A period is counted once, in the batch that closes it, and kept until a batch or
// rollback changes one of its days' rows (which closing makes rare: see the schema).
import type { Tx } from "../engine/adapter";
import type { DayCounts } from "./analytics";

/** The units kept, named as date_trunc's (and the series resolver's) units. */
export const PERIOD_UNITS = ["week", "month"] as const;

/**
 * After a batch or rollback moved the day rows of `moved`'s days: drops the kept periods holding any day whose rows
 * changed, then counts every closed period not kept (those the batch closed, and any dropped that are still closed).
 */
export async function keepPeriodActive(sql: Tx, chainId: number, moved: DayCounts): Promise<void> {
  const days = [...moved].filter(([, n]) => n !== 0).map(([day]) => day);
  if (days.length) {
    await sql`
      delete from analytics_period_active p
      where p.chain_id = ${chainId} and exists (select 1 from unnest(${days}::int[]) d where d >= p.start_day and d < p.end_day)`;
  }
  await sql`
    with tip as (
      -- The median time of the last 11 blocks: every later block's time is above it (Bitcoin's median-time-past rule;
      -- EVM times increase), so a period ending at or before it gets no more blocks.
      select percentile_disc(0.5) within group (order by time) as mtp
      from (select time from analytics_block where chain_id = ${chainId} order by height desc limit 11) t),
    first as (select min(day) as day from analytics_day where chain_id = ${chainId}),
    due as (
      select u.unit, (extract(epoch from g)::bigint / 86400)::int as start_day,
        (extract(epoch from g + ('1 ' || u.unit)::interval)::bigint / 86400)::int as end_day
      from tip, first, unnest(${PERIOD_UNITS as unknown as string[]}::text[]) as u(unit),
        generate_series(date_trunc(u.unit, to_timestamp(first.day * 86400) at time zone 'UTC'), to_timestamp(tip.mtp) at time zone 'UTC',
          ('1 ' || u.unit)::interval) as g)
    insert into analytics_period_active (chain_id, unit, start_day, end_day, active_addresses)
    select ${chainId}, d.unit, d.start_day, d.end_day,
      (select count(distinct x.address_id) from analytics_day_address x where x.chain_id = ${chainId} and x.day >= d.start_day and x.day < d.end_day)
    from due d, tip
    where d.end_day::bigint * 86400 <= tip.mtp
      and not exists (select 1 from analytics_period_active p where p.chain_id = ${chainId} and p.unit = d.unit and p.start_day = d.start_day)`;
}
