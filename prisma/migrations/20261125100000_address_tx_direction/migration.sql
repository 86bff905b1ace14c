-- Address history by direction (received: delta >= 0, sent: delta < 0), newest first. The trace field walks one
-- direction of an address: with only the primary key, the sent side of an address that mostly receives reads its
-- whole history to find a few sends (about 0.8 s for 1.2 M rows). Prisma's schema cannot express an index on an
-- expression, so it lives here only.
CREATE INDEX "btc_address_tx_direction_idx" ON "btc_address_tx"("chain_id", "address_id", ("delta" >= 0), "height" DESC, "position" DESC);
