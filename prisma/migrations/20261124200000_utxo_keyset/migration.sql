-- UTXO pages walk (tx_id, vout) newest first, so the partial index carries that order: a deep page is an index walk, not a sort.
DROP INDEX "btc_output_unspent_address_idx";
CREATE INDEX "btc_output_unspent_address_idx" ON "btc_output"("address_id", "tx_id" DESC, "vout" DESC) WHERE "spent_by_tx_id" IS NULL;
