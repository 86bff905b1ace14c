// The Bitcoin store: write (bitcoin-write.ts) and rollback (bitcoin-rollback.ts) of the btc_* tables.
export { prepareBitcoinBlocks, writeBitcoinBlocks, writeCpu, writeTimings, type WriteContext, type WriteResult } from "./bitcoin-write";
export { rollbackBitcoin } from "./bitcoin-rollback";
export { PrevoutError } from "./bitcoin-prevouts";
export { DoubleSpendError } from "./bitcoin-rows";
