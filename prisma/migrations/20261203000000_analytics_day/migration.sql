-- Per-day sums of analytics_block, so DAY, WEEK and MONTH series read one row per day instead of every block's
-- histogram (indexer/store/analytics.ts addBlocksToDays keeps them, test/integration/analytics checks this backfill
-- against it).

-- CreateTable
CREATE TABLE "analytics_day" (
    "chain_id" SMALLINT NOT NULL,
    "day" INTEGER NOT NULL,
    "blocks" INTEGER NOT NULL,
    "tx_count" BIGINT NOT NULL,
    "fees_total" DECIMAL(78,0) NOT NULL,
    "fee_buckets" INTEGER[],
    "fee_counts" BIGINT[],
    "size" BIGINT NOT NULL,
    "weight" BIGINT,
    "gas_used" BIGINT,
    "active_addresses" BIGINT NOT NULL DEFAULT 0,
    "new_addresses" BIGINT NOT NULL,
    "script_codes" INTEGER[],
    "script_counts" BIGINT[],
    "token_transfers" BIGINT NOT NULL,

    CONSTRAINT "analytics_day_pkey" PRIMARY KEY ("chain_id","day")
);

-- Existing chains: every day of the blocks already indexed.
INSERT INTO "analytics_day" ("chain_id", "day", "blocks", "tx_count", "fees_total", "fee_buckets", "fee_counts", "size", "weight", "gas_used",
  "active_addresses", "new_addresses", "script_codes", "script_counts", "token_transfers")
WITH b AS (SELECT (time / 86400)::int AS day, * FROM "analytics_block"),
sums AS (
  SELECT chain_id, day, count(*)::int AS blocks, sum(tx_count) AS txs, sum(fees_total) AS fees, sum(size) AS size, sum(weight) AS weight,
    sum(gas_used) AS gas, sum(new_addresses) AS fresh, sum(token_transfers) AS transfers
  FROM b GROUP BY chain_id, day),
fee AS (
  SELECT chain_id, day, array_agg(code ORDER BY code) AS codes, array_agg(n ORDER BY code) AS ns
  FROM (SELECT chain_id, day, u.code, sum(u.n)::bigint AS n FROM b CROSS JOIN LATERAL unnest(b.fee_buckets, b.fee_counts) AS u(code, n) GROUP BY 1, 2, 3) x
  GROUP BY chain_id, day),
mix AS (
  SELECT chain_id, day, array_agg(code ORDER BY code) AS codes, array_agg(n ORDER BY code) AS ns
  FROM (SELECT chain_id, day, u.code, sum(u.n)::bigint AS n FROM b CROSS JOIN LATERAL unnest(b.script_codes, b.script_counts) AS u(code, n) GROUP BY 1, 2, 3) x
  GROUP BY chain_id, day),
act AS (SELECT chain_id, day, count(*) AS n FROM "analytics_day_address" GROUP BY chain_id, day)
SELECT s.chain_id, s.day, s.blocks, s.txs, s.fees, coalesce(fee.codes, '{}'), coalesce(fee.ns, '{}'), s.size, s.weight, s.gas, coalesce(act.n, 0),
  s.fresh, coalesce(mix.codes, '{}'), coalesce(mix.ns, '{}'), s.transfers
FROM sums s LEFT JOIN fee USING (chain_id, day) LEFT JOIN mix USING (chain_id, day) LEFT JOIN act USING (chain_id, day);
