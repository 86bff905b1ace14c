-- Active addresses of closed UTC weeks and months, so WEEK and MONTH series read a row per period instead of counting
-- every day row (indexer/store/analytics-periods.ts keeps them, test/integration/analytics checks this backfill
-- against it).

-- CreateTable
CREATE TABLE "analytics_period_active" (
    "chain_id" SMALLINT NOT NULL,
    "unit" TEXT NOT NULL,
    "start_day" INTEGER NOT NULL,
    "end_day" INTEGER NOT NULL,
    "active_addresses" BIGINT NOT NULL,

    CONSTRAINT "analytics_period_active_pkey" PRIMARY KEY ("chain_id","unit","start_day")
);

-- Existing chains: every period closed by the blocks already indexed (ending at or before the median time of the
-- chain's last 11 blocks).
INSERT INTO "analytics_period_active" ("chain_id", "unit", "start_day", "end_day", "active_addresses")
WITH chains AS (SELECT DISTINCT chain_id FROM "analytics_day"),
tip AS (
  SELECT c.chain_id,
    (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY time)
     FROM (SELECT time FROM "analytics_block" b WHERE b.chain_id = c.chain_id ORDER BY height DESC LIMIT 11) t) AS mtp,
    (SELECT min(day) FROM "analytics_day" d WHERE d.chain_id = c.chain_id) AS first
  FROM chains c),
due AS (
  SELECT tip.chain_id, tip.mtp, u.unit, (extract(epoch from g)::bigint / 86400)::int AS start_day,
    (extract(epoch from g + ('1 ' || u.unit)::interval)::bigint / 86400)::int AS end_day
  FROM tip, unnest(ARRAY['week', 'month']) AS u(unit),
    generate_series(date_trunc(u.unit, to_timestamp(tip.first * 86400) at time zone 'UTC'), to_timestamp(tip.mtp) at time zone 'UTC',
      ('1 ' || u.unit)::interval) AS g)
SELECT d.chain_id, d.unit, d.start_day, d.end_day,
  (SELECT count(DISTINCT x.address_id) FROM "analytics_day_address" x WHERE x.chain_id = d.chain_id AND x.day >= d.start_day AND x.day < d.end_day)
FROM due d
WHERE d.end_day::bigint * 86400 <= d.mtp;
