// JSON-RPC shapes as geth, reth, Besu, Nethermind and anvil return them: every number is a hex quantity
// ("0x0", no leading zeros), every byte string 0x-prefixed hex. Fields that only some forks or clients
// emit are optional; the encoders decide from presence, never from a fork table.

export type Hex = `0x${string}`;
/** A hex quantity: "0x0", "0x1b" (big-endian, minimal). */
export type Quantity = Hex;
export type Address = Hex;
export type Hash = Hex;

export interface RpcAccessListEntry {
  address: Address;
  storageKeys: Hash[];
}

/** EIP-7702 signed authorization tuple. */
export interface RpcAuthorization {
  chainId: Quantity;
  address: Address;
  nonce: Quantity;
  yParity: Quantity;
  r: Quantity;
  s: Quantity;
}

interface RpcTransactionBase {
  hash: Hash;
  blockHash?: Hash | null;
  blockNumber?: Quantity | null;
  transactionIndex?: Quantity | null;
  from?: Address;
  nonce: Quantity;
  gas: Quantity;
  /** null for contract creation. */
  to: Address | null;
  value: Quantity;
  /** geth calls it `input`; a few older clients said `data`. */
  input: Hex;
  data?: Hex;
  v?: Quantity;
  r: Quantity;
  s: Quantity;
  /** Effective price for typed txs once mined; the signed field for legacy/2930. */
  gasPrice?: Quantity;
  chainId?: Quantity;
}

export interface RpcLegacyTransaction extends RpcTransactionBase {
  /** Absent on pre-Berlin clients; "0x0" otherwise. */
  type?: "0x0";
  gasPrice: Quantity;
  v: Quantity;
}

export interface RpcAccessListTransaction extends RpcTransactionBase {
  type: "0x1";
  chainId: Quantity;
  gasPrice: Quantity;
  accessList: RpcAccessListEntry[];
  yParity?: Quantity;
}

export interface RpcDynamicFeeTransaction extends RpcTransactionBase {
  type: "0x2";
  chainId: Quantity;
  maxPriorityFeePerGas: Quantity;
  maxFeePerGas: Quantity;
  accessList: RpcAccessListEntry[];
  yParity?: Quantity;
}

export interface RpcBlobTransaction extends RpcTransactionBase {
  type: "0x3";
  chainId: Quantity;
  maxPriorityFeePerGas: Quantity;
  maxFeePerGas: Quantity;
  accessList: RpcAccessListEntry[];
  maxFeePerBlobGas: Quantity;
  blobVersionedHashes: Hash[];
  yParity?: Quantity;
}

export interface RpcSetCodeTransaction extends RpcTransactionBase {
  type: "0x4";
  chainId: Quantity;
  maxPriorityFeePerGas: Quantity;
  maxFeePerGas: Quantity;
  accessList: RpcAccessListEntry[];
  authorizationList: RpcAuthorization[];
  yParity?: Quantity;
}

export type RpcTransaction =
  | RpcLegacyTransaction
  | RpcAccessListTransaction
  | RpcDynamicFeeTransaction
  | RpcBlobTransaction
  | RpcSetCodeTransaction;

export interface RpcWithdrawal {
  index: Quantity;
  validatorIndex: Quantity;
  address: Address;
  /** In gwei. */
  amount: Quantity;
}

/** Header fields as they appear on an `eth_getBlockByNumber` answer. */
export interface RpcHeader {
  hash: Hash;
  parentHash: Hash;
  sha3Uncles: Hash;
  miner: Address;
  stateRoot: Hash;
  transactionsRoot: Hash;
  receiptsRoot: Hash;
  logsBloom: Hex;
  difficulty: Quantity;
  number: Quantity;
  gasLimit: Quantity;
  gasUsed: Quantity;
  timestamp: Quantity;
  extraData: Hex;
  mixHash: Hash;
  nonce: Hex;
  baseFeePerGas?: Quantity;
  withdrawalsRoot?: Hash;
  blobGasUsed?: Quantity;
  excessBlobGas?: Quantity;
  parentBeaconBlockRoot?: Hash;
  requestsHash?: Hash;
  totalDifficulty?: Quantity;
  size?: Quantity;
}

export interface RpcBlock<TTx = RpcTransaction> extends RpcHeader {
  /** Full objects with `eth_getBlockByNumber(n, true)`, hashes with `false`. */
  transactions: TTx[];
  uncles: Hash[];
  withdrawals?: RpcWithdrawal[];
}

export interface RpcLog {
  address: Address;
  topics: Hash[];
  data: Hex;
  blockHash?: Hash;
  blockNumber?: Quantity;
  transactionHash?: Hash;
  transactionIndex?: Quantity;
  logIndex?: Quantity;
  removed?: boolean;
}

export interface RpcReceipt {
  type?: Quantity;
  /** Byzantium and later: "0x1" success, "0x0" failure. */
  status?: Quantity;
  /** Before Byzantium: the post-transaction state root, in place of status. */
  root?: Hash;
  cumulativeGasUsed: Quantity;
  logsBloom: Hex;
  logs: RpcLog[];
  transactionHash: Hash;
  transactionIndex: Quantity;
  blockHash: Hash;
  blockNumber: Quantity;
  gasUsed: Quantity;
  /** Absent on some pre-London archive answers. */
  effectiveGasPrice?: Quantity;
  from?: Address;
  to?: Address | null;
  contractAddress?: Address | null;
  blobGasUsed?: Quantity;
  blobGasPrice?: Quantity;
}
