-- Address summaries change every batch. With no index on the changing columns and free space on each page,
-- those updates are HOT (heap-only, no index writes). The balance index moves to the small btc_rich table.
DROP INDEX "btc_address_chain_id_balance_idx";
ALTER TABLE "btc_address" SET (fillfactor = 80);

-- CreateTable
CREATE TABLE "btc_rich" (
    "chain_id" SMALLINT NOT NULL,
    "address_id" BIGINT NOT NULL,
    "balance" BIGINT NOT NULL,

    CONSTRAINT "btc_rich_pkey" PRIMARY KEY ("address_id")
);

-- CreateTable
CREATE TABLE "btc_rich_floor" (
    "chain_id" SMALLINT NOT NULL,
    "floor" BIGINT NOT NULL,

    CONSTRAINT "btc_rich_floor_pkey" PRIMARY KEY ("chain_id")
);

-- CreateIndex
CREATE INDEX "btc_rich_chain_id_balance_idx" ON "btc_rich"("chain_id", "balance" DESC);

-- Existing chains: floor 0 holds every address, and the indexer raises it after its next batch.
INSERT INTO "btc_rich_floor" ("chain_id", "floor") SELECT "id", 0 FROM "chain" WHERE "family" = 'bitcoin';
INSERT INTO "btc_rich" ("chain_id", "address_id", "balance") SELECT "chain_id", "id", "balance" FROM "btc_address";
