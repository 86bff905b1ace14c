// Resolver map, one entry per schema type, in schema order.
import { AddressInterface } from "./address";
import { BitcoinAddress, BitcoinBlock, BitcoinInput, BitcoinOutput, BitcoinSpend, BitcoinTransaction } from "./bitcoin";
import { BlockInterface, blockFields } from "./block";
import { BigIntScalar, UnixTimeScalar } from "./common";
import { EvmAddressType, EvmBlock, EvmLogType, EvmTokenTransferType, EvmTransaction } from "./evm";
import { BitcoinUtxo, EvmTokenBalance } from "./holdings";
import { ChainType, Query } from "./query";
import { SearchItem } from "./search";

const TransactionInterface = {
  __resolveType: (t: object) => ("txid" in t ? "BitcoinTransaction" : "EvmTransaction"),
};

export const resolvers = {
  BigInt: BigIntScalar,
  UnixTime: UnixTimeScalar,
  Query,
  Chain: ChainType,
  Block: BlockInterface,
  Transaction: TransactionInterface,
  Address: AddressInterface,
  SearchItem,
  BitcoinBlock: { ...blockFields, ...BitcoinBlock },
  BitcoinTransaction,
  BitcoinInput,
  BitcoinOutput,
  BitcoinSpend,
  BitcoinAddress,
  BitcoinUtxo,
  EvmBlock: { ...blockFields, ...EvmBlock },
  EvmTransaction,
  EvmLog: EvmLogType,
  EvmTokenTransfer: EvmTokenTransferType,
  EvmAddress: EvmAddressType,
  EvmTokenBalance,
};
