-- The trace's native-value edges of an address: the txs it sent or received with value, newest first. Read through
-- its history rows, they meant scanning every row of a hot contract (a token's calls carry no value): 810 ms of
-- PostgreSQL for a 1.2 M-row address. Partial, so only txs that moved value are indexed.
CREATE INDEX "evm_tx_value_from_idx" ON "evm_tx"("from_id", "id" DESC) WHERE "value" > 0;
CREATE INDEX "evm_tx_value_to_idx" ON "evm_tx"("to_id", "id" DESC) WHERE "value" > 0;
