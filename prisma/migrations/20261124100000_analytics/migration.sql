-- Analytics aggregates maintained by the indexer (indexer/store/analytics.ts), see prisma/schema.prisma.

-- CreateTable
CREATE TABLE "analytics_block" (
    "chain_id" SMALLINT NOT NULL,
    "height" BIGINT NOT NULL,
    "time" BIGINT NOT NULL,
    "tx_count" INTEGER NOT NULL,
    "fees_total" DECIMAL(78,0) NOT NULL,
    "fee_rate_median" DECIMAL(78,0),
    "fee_buckets" INTEGER[],
    "fee_counts" INTEGER[],
    "size" BIGINT NOT NULL,
    "weight" BIGINT,
    "gas_used" BIGINT,
    "active_addresses" INTEGER NOT NULL,
    "new_addresses" INTEGER NOT NULL,
    "script_codes" INTEGER[],
    "script_counts" INTEGER[],
    "token_transfers" INTEGER NOT NULL,

    CONSTRAINT "analytics_block_pkey" PRIMARY KEY ("chain_id","height")
);

-- CreateTable
CREATE TABLE "analytics_day_address" (
    "chain_id" SMALLINT NOT NULL,
    "day" INTEGER NOT NULL,
    "address_id" BIGINT NOT NULL,
    "first_height" BIGINT NOT NULL,

    CONSTRAINT "analytics_day_address_pkey" PRIMARY KEY ("chain_id","day","address_id")
);

-- CreateTable
CREATE TABLE "analytics_counter" (
    "chain_id" SMALLINT NOT NULL,
    "kind" SMALLINT NOT NULL,
    "address_id" BIGINT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "analytics_counter_pkey" PRIMARY KEY ("chain_id","kind","address_id")
);

-- CreateIndex
CREATE INDEX "analytics_block_chain_id_time_idx" ON "analytics_block"("chain_id", "time");

-- CreateIndex
CREATE INDEX "analytics_counter_chain_id_kind_count_idx" ON "analytics_counter"("chain_id", "kind", "count" DESC);
