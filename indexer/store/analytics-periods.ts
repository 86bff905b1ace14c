// Active addresses of UTC weeks and months (analytics_period_active). A period's count is the distinct count of its
// analytics_day_address rows; counted at request time, a weekly series over the bench chain's 362k day rows took
// 220–310 ms of PostgreSQL, and a year at 18.7k addresses a day 11.6 s. A closed period is counted once, in the batch
// that closes it; open ones are moved by each batch from the addresses held in memory (period-address-cache.ts).
// Either is kept until a batch or rollback changes one of its days' rows without counting it.
import { seqOf, type Tx } from "../engine/adapter";
import type { DayCounts } from "./analytics";
import { MAX_PERIOD_SEQ, PERIOD_UNITS, periodKey, periodsOfDay, SeqBitmap, type Period, type PeriodAddressCache } from "./period-address-cache";

/** What a batch gives to count its open periods. */
export interface OpenPeriods {
  cache: PeriodAddressCache;
  /** The batch's active addresses per UTC day. */
  active: Map<number, bigint[]>;
  /** The batch's first height: rows of lower heights are those of earlier batches. */
  fromHeight: number;
  /** The chain's next address sequence number, after the batch's new addresses. */
  nextAddrSeq: bigint;
}

/**
 * After a batch or rollback moved the day rows of `moved`'s days: drops the kept periods holding any day whose rows
 * changed, counts every closed period not kept (those the batch closed, and any dropped that are still closed), and
 * with `open`, keeps the exact count of each period the batch was active in. Returns what to record in the cache once
 * the transaction has committed.
 */
export async function keepPeriodActive(sql: Tx, chainId: number, moved: DayCounts, open?: OpenPeriods): Promise<() => void> {
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
  if (!open || open.nextAddrSeq > BigInt(MAX_PERIOD_SEQ)) return () => {};
  return countOpenPeriods(sql, chainId, open);
}

/** Each period the batch was active in: the addresses held plus the batch's new ones. */
async function countOpenPeriods(sql: Tx, chainId: number, { cache, active, fromHeight }: OpenPeriods): Promise<() => void> {
  // The batch's days by period (a batch spans a day or two: one or two periods of each unit).
  const byPeriod = new Map<string, { p: Period; days: bigint[][] }>();
  for (const [day, ids] of active) {
    for (const p of periodsOfDay(day)) {
      const key = periodKey(p);
      let e = byPeriod.get(key);
      if (!e) byPeriod.set(key, (e = { p, days: [] }));
      e.days.push(ids);
    }
  }
  const counts: { p: Period; n: number }[] = [];
  const added: { key: string; seqs: number[] }[] = [];
  for (const [key, { p, days }] of byPeriod) {
    const held = await cache.period(sql, chainId, p, fromHeight);
    const seen = new SeqBitmap();
    const fresh: number[] = [];
    for (const ids of days) {
      for (const id of ids) {
        const s = seqOf(id);
        if (held.has(s) || seen.has(s)) continue;
        seen.add(s);
        fresh.push(s);
      }
    }
    counts.push({ p, n: held.size + fresh.length });
    added.push({ key, seqs: fresh });
  }
  if (counts.length) {
    await sql`
      insert into analytics_period_active (chain_id, unit, start_day, end_day, active_addresses)
      select ${chainId}, u.unit, u.s, u.e, u.n
      from unnest(${counts.map((c) => c.p.unit)}::text[], ${counts.map((c) => c.p.startDay)}::int[], ${counts.map((c) => c.p.endDay)}::int[],
        ${counts.map((c) => c.n)}::bigint[]) as u(unit, s, e, n)
      on conflict (chain_id, unit, start_day) do update set active_addresses = excluded.active_addresses`;
  }
  return () => cache.commit(added);
}
