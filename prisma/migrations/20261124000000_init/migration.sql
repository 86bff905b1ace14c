-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "chain" (
    "id" SMALLINT NOT NULL,
    "slug" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "network" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT '',
    "tip_height" BIGINT,
    "tip_hash" BYTEA,
    "node_height" BIGINT,
    "next_tx_seq" BIGINT NOT NULL DEFAULT 0,
    "next_addr_seq" BIGINT NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'starting',
    "last_error" TEXT,
    "blocks_per_sec" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "tx_per_sec" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "block" (
    "chain_id" SMALLINT NOT NULL,
    "hash" BYTEA NOT NULL,
    "height" BIGINT NOT NULL,
    "parent_hash" BYTEA NOT NULL,
    "time" BIGINT NOT NULL,
    "tx_count" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "stale" BOOLEAN NOT NULL DEFAULT false,
    "stale_at" TIMESTAMPTZ(3),
    "checks" TEXT[],

    CONSTRAINT "block_pkey" PRIMARY KEY ("chain_id","hash")
);

-- CreateTable
CREATE TABLE "btc_block" (
    "chain_id" SMALLINT NOT NULL,
    "hash" BYTEA NOT NULL,
    "version" INTEGER NOT NULL,
    "merkle_root" BYTEA NOT NULL,
    "bits" INTEGER NOT NULL,
    "nonce" BIGINT NOT NULL,
    "stripped_size" INTEGER NOT NULL,
    "weight" INTEGER NOT NULL,

    CONSTRAINT "btc_block_pkey" PRIMARY KEY ("chain_id","hash")
);

-- CreateTable
CREATE TABLE "btc_block_stats" (
    "chain_id" SMALLINT NOT NULL,
    "height" BIGINT NOT NULL,
    "time" BIGINT NOT NULL,
    "txs" INTEGER NOT NULL,
    "ins" INTEGER NOT NULL,
    "outs" INTEGER NOT NULL,
    "subsidy" BIGINT NOT NULL,
    "totalfee" BIGINT NOT NULL,
    "total_out" BIGINT NOT NULL,
    "total_size" BIGINT NOT NULL,
    "total_weight" BIGINT NOT NULL,
    "swtxs" INTEGER NOT NULL,
    "swtotal_size" BIGINT NOT NULL,
    "swtotal_weight" BIGINT NOT NULL,
    "avgfee" BIGINT NOT NULL,
    "avgfeerate" BIGINT NOT NULL,
    "avgtxsize" BIGINT NOT NULL,
    "maxfee" BIGINT NOT NULL,
    "maxfeerate" BIGINT NOT NULL,
    "maxtxsize" BIGINT NOT NULL,
    "medianfee" BIGINT NOT NULL,
    "mediantxsize" BIGINT NOT NULL,
    "minfee" BIGINT NOT NULL,
    "minfeerate" BIGINT NOT NULL,
    "mintxsize" BIGINT NOT NULL,
    "feerate_percentiles" BIGINT[],
    "utxo_increase" INTEGER NOT NULL,
    "utxo_size_inc" BIGINT NOT NULL,
    "utxo_increase_actual" INTEGER NOT NULL,
    "utxo_size_inc_actual" BIGINT NOT NULL,

    CONSTRAINT "btc_block_stats_pkey" PRIMARY KEY ("chain_id","height")
);

-- CreateTable
CREATE TABLE "btc_tx" (
    "id" BIGINT NOT NULL,
    "chain_id" SMALLINT NOT NULL,
    "txid" BYTEA NOT NULL,
    "height" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "locktime" BIGINT NOT NULL,
    "size" INTEGER NOT NULL,
    "vsize" INTEGER NOT NULL,
    "weight" INTEGER NOT NULL,
    "is_coinbase" BOOLEAN NOT NULL,
    "has_witness" BOOLEAN NOT NULL,
    "input_count" INTEGER NOT NULL,
    "output_count" INTEGER NOT NULL,
    "input_value" BIGINT NOT NULL,
    "output_value" BIGINT NOT NULL,
    "fee" BIGINT NOT NULL,
    "raw" BYTEA NOT NULL,

    CONSTRAINT "btc_tx_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "btc_input" (
    "chain_id" SMALLINT NOT NULL,
    "tx_id" BIGINT NOT NULL,
    "vin" INTEGER NOT NULL,
    "prev_tx_id" BIGINT,
    "prev_vout" INTEGER,
    "value" BIGINT NOT NULL,
    "address_id" BIGINT,

    CONSTRAINT "btc_input_pkey" PRIMARY KEY ("tx_id","vin")
);

-- CreateTable
CREATE TABLE "btc_output" (
    "chain_id" SMALLINT NOT NULL,
    "tx_id" BIGINT NOT NULL,
    "vout" INTEGER NOT NULL,
    "value" BIGINT NOT NULL,
    "script_type" SMALLINT NOT NULL,
    "address_id" BIGINT,
    "spent_by_tx_id" BIGINT,
    "spent_by_vin" INTEGER,
    "spent_height" BIGINT,

    CONSTRAINT "btc_output_pkey" PRIMARY KEY ("tx_id","vout")
);

-- CreateTable
CREATE TABLE "btc_address" (
    "id" BIGINT NOT NULL,
    "chain_id" SMALLINT NOT NULL,
    "script" BYTEA NOT NULL,
    "script_type" SMALLINT NOT NULL,
    "balance" BIGINT NOT NULL DEFAULT 0,
    "received" BIGINT NOT NULL DEFAULT 0,
    "sent" BIGINT NOT NULL DEFAULT 0,
    "tx_count" INTEGER NOT NULL DEFAULT 0,
    "utxo_count" INTEGER NOT NULL DEFAULT 0,
    "first_height" BIGINT NOT NULL,
    "last_height" BIGINT NOT NULL,

    CONSTRAINT "btc_address_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "btc_address_tx" (
    "chain_id" SMALLINT NOT NULL,
    "address_id" BIGINT NOT NULL,
    "height" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "tx_id" BIGINT NOT NULL,
    "delta" BIGINT NOT NULL,

    CONSTRAINT "btc_address_tx_pkey" PRIMARY KEY ("chain_id","address_id","height","position")
);

-- CreateTable
CREATE TABLE "evm_block" (
    "chain_id" SMALLINT NOT NULL,
    "hash" BYTEA NOT NULL,
    "miner" BYTEA NOT NULL,
    "gas_used" BIGINT NOT NULL,
    "gas_limit" BIGINT NOT NULL,
    "base_fee_per_gas" DECIMAL(78,0),
    "state_root" BYTEA NOT NULL,
    "transactions_root" BYTEA NOT NULL,
    "receipts_root" BYTEA NOT NULL,
    "withdrawals_root" BYTEA,
    "extra_data" BYTEA NOT NULL,
    "header" JSONB NOT NULL,

    CONSTRAINT "evm_block_pkey" PRIMARY KEY ("chain_id","hash")
);

-- CreateTable
CREATE TABLE "evm_tx" (
    "id" BIGINT NOT NULL,
    "chain_id" SMALLINT NOT NULL,
    "hash" BYTEA NOT NULL,
    "height" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "type" SMALLINT NOT NULL,
    "from_id" BIGINT NOT NULL,
    "to_id" BIGINT,
    "contract_created_id" BIGINT,
    "value" DECIMAL(78,0) NOT NULL,
    "nonce" BIGINT NOT NULL,
    "gas" BIGINT NOT NULL,
    "gas_price" DECIMAL(78,0),
    "max_fee_per_gas" DECIMAL(78,0),
    "max_priority_fee_per_gas" DECIMAL(78,0),
    "input" BYTEA NOT NULL,
    "raw" BYTEA,
    "status" SMALLINT,
    "gas_used" BIGINT NOT NULL,
    "effective_gas_price" DECIMAL(78,0) NOT NULL,
    "fee" DECIMAL(78,0) NOT NULL,
    "log_count" INTEGER NOT NULL,

    CONSTRAINT "evm_tx_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evm_log" (
    "chain_id" SMALLINT NOT NULL,
    "tx_id" BIGINT NOT NULL,
    "log_index" INTEGER NOT NULL,
    "address_id" BIGINT NOT NULL,
    "topic0" BYTEA,
    "topic1" BYTEA,
    "topic2" BYTEA,
    "topic3" BYTEA,
    "data" BYTEA NOT NULL,

    CONSTRAINT "evm_log_pkey" PRIMARY KEY ("tx_id","log_index")
);

-- CreateTable
CREATE TABLE "evm_token_transfer" (
    "chain_id" SMALLINT NOT NULL,
    "tx_id" BIGINT NOT NULL,
    "log_index" INTEGER NOT NULL,
    "batch_index" INTEGER NOT NULL DEFAULT 0,
    "height" BIGINT NOT NULL,
    "standard" SMALLINT NOT NULL,
    "token_address_id" BIGINT NOT NULL,
    "from_id" BIGINT NOT NULL,
    "to_id" BIGINT NOT NULL,
    "nft_id" DECIMAL(78,0),
    "amount" DECIMAL(78,0) NOT NULL,

    CONSTRAINT "evm_token_transfer_pkey" PRIMARY KEY ("tx_id","log_index","batch_index")
);

-- CreateTable
CREATE TABLE "evm_address" (
    "id" BIGINT NOT NULL,
    "chain_id" SMALLINT NOT NULL,
    "address" BYTEA NOT NULL,
    "is_contract" BOOLEAN NOT NULL DEFAULT false,
    "balance" DECIMAL(78,0) NOT NULL DEFAULT 0,
    "balance_height" BIGINT,
    "tx_count" INTEGER NOT NULL DEFAULT 0,
    "first_height" BIGINT NOT NULL,
    "last_height" BIGINT NOT NULL,
    "token_name" TEXT,
    "token_symbol" TEXT,
    "token_decimals" INTEGER,

    CONSTRAINT "evm_address_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evm_address_tx" (
    "chain_id" SMALLINT NOT NULL,
    "address_id" BIGINT NOT NULL,
    "height" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "tx_id" BIGINT NOT NULL,
    "role" SMALLINT NOT NULL,

    CONSTRAINT "evm_address_tx_pkey" PRIMARY KEY ("chain_id","address_id","height","position")
);

-- CreateTable
CREATE TABLE "evm_token_balance" (
    "chain_id" SMALLINT NOT NULL,
    "address_id" BIGINT NOT NULL,
    "token_address_id" BIGINT NOT NULL,
    "balance" DECIMAL(78,0) NOT NULL,

    CONSTRAINT "evm_token_balance_pkey" PRIMARY KEY ("address_id","token_address_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "chain_slug_key" ON "chain"("slug");

-- CreateIndex
CREATE INDEX "block_chain_id_height_idx" ON "block"("chain_id", "height" DESC);

-- CreateIndex
CREATE INDEX "block_chain_id_time_idx" ON "block"("chain_id", "time");

-- CreateIndex
CREATE INDEX "btc_tx_chain_id_txid_idx" ON "btc_tx"("chain_id", "txid");

-- CreateIndex
CREATE INDEX "btc_tx_chain_id_height_position_idx" ON "btc_tx"("chain_id", "height", "position");

-- CreateIndex
CREATE INDEX "btc_address_chain_id_balance_idx" ON "btc_address"("chain_id", "balance" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "btc_address_chain_id_script_key" ON "btc_address"("chain_id", "script");

-- CreateIndex
CREATE INDEX "evm_tx_chain_id_hash_idx" ON "evm_tx"("chain_id", "hash");

-- CreateIndex
CREATE INDEX "evm_tx_chain_id_height_position_idx" ON "evm_tx"("chain_id", "height", "position");

-- CreateIndex
CREATE INDEX "evm_log_address_id_tx_id_idx" ON "evm_log"("address_id", "tx_id");

-- CreateIndex
CREATE INDEX "evm_token_transfer_token_address_id_height_idx" ON "evm_token_transfer"("token_address_id", "height");

-- CreateIndex
CREATE INDEX "evm_token_transfer_from_id_idx" ON "evm_token_transfer"("from_id");

-- CreateIndex
CREATE INDEX "evm_token_transfer_to_id_idx" ON "evm_token_transfer"("to_id");

-- CreateIndex
CREATE INDEX "evm_address_chain_id_balance_idx" ON "evm_address"("chain_id", "balance" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "evm_address_chain_id_address_key" ON "evm_address"("chain_id", "address");

-- AddForeignKey
ALTER TABLE "block" ADD CONSTRAINT "block_chain_id_fkey" FOREIGN KEY ("chain_id") REFERENCES "chain"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: partial indexes Prisma's schema language cannot express.
-- One canonical block per height (stale blocks keep their rows beside it).
CREATE UNIQUE INDEX "block_canonical_height_key" ON "block"("chain_id", "height") WHERE NOT "stale";
-- An address's UTXO list.
CREATE INDEX "btc_output_unspent_address_idx" ON "btc_output"("address_id") WHERE "spent_by_tx_id" IS NULL;
