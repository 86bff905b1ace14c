-- The trace field no longer walks history by direction through an index: an address step reads a bounded window of
-- the primary key and says truncated (with a cursor) when the window was full. The index cost 10 % of Bitcoin ingest
-- time and 0.9x raw bytes on disk (bench/README-figures.md).
DROP INDEX IF EXISTS "btc_address_tx_direction_idx";
