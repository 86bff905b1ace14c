// The public API, schema-first. Read top to bottom: conventions, the Query root, chains, blocks, transactions,
// addresses, search, then the family types. Read-only by design: there is no Mutation type.
export const typeDefs = /* GraphQL */ `
"""
Conventions
- Bitcoin hashes are lowercase hex in the usual reversed display order (as Bitcoin Core prints them); EVM hashes,
  addresses and byte strings are 0x-prefixed hex.
- Amounts (satoshis, wei, gas) are BigInt: exact decimal strings, never floats.
- Lists that can grow without bound are Relay connections: first/after pages toward older items, last/before toward
  newer ones; at most 100 items per page. Cursors are opaque.
- A block or transaction that does not exist answers null; a malformed argument or an unknown chain answers an
  error with extensions.code (BAD_USER_INPUT, NOT_FOUND).
"""
schema {
  query: Query
}

"An integer of any size as an exact decimal string (satoshis, wei, gas)."
scalar BigInt

"Seconds since the Unix epoch, as a JSON number."
scalar UnixTime

type Query {
  "Every chain this server indexes."
  chains: [Chain!]!
  "One chain by its slug (e.g. \\"bitcoin\\", \\"ethereum\\")."
  chain(id: ID!): Chain!
  "A block by canonical height or by hash (hash also finds stale blocks). Give exactly one of height and hash."
  block(chain: ID!, height: Int, hash: String): Block
  "Canonical blocks, newest first."
  blocks(chain: ID!, first: Int, after: String, last: Int, before: String): BlockConnection!
  "A transaction of a canonical block by its hash (Bitcoin txid or EVM tx hash)."
  transaction(chain: ID!, hash: String!): Transaction
  "An address in any encoding the chain supports. A valid address never seen on chain answers an empty summary."
  address(chain: ID!, address: String!): Address!
  "What a height, block hash, transaction hash or address is, on every chain where it is something."
  search(query: String!): [SearchHit!]!
}

# ------------------------------------------------------------------------------------------------- chains

"A followed chain and how its indexer is doing."
type Chain {
  "The slug used as the chain argument everywhere."
  id: ID!
  family: ChainFamily!
  network: String!
  name: String!
  "Height of the last block indexed (the checkpoint); null before the first block."
  tipHeight: Int
  tipHash: String
  "The node's best height at the last poll."
  nodeHeight: Int
  "starting | syncing | following | stopped | failed"
  status: String!
  blocksPerSec: Float!
  txPerSec: Float!
  lastError: String
  updatedAt: String!
  "The newest canonical blocks, newest first: 1..20, default 10 (the home page's list; page older ones with Query.blocks)."
  latestBlocks(first: Int = 10): [Block!]!
  "The newest transactions of canonical blocks, newest first by (height, position): 1..20, default 10."
  latestTransactions(first: Int = 10): [Transaction!]!
}

enum ChainFamily {
  BITCOIN
  EVM
}

"How a block was verified before it was written. Each flag is true when the check ran and passed, null when it did not apply (a block that fails any check is never written)."
type Verification {
  "Every check the indexer ran and passed, by name."
  checks: [String!]!
  "The header hashes to the block hash."
  headerHash: Boolean
  "Proof of work meets the target of bits (Bitcoin)."
  pow: Boolean
  "The parent hash links to the previous block."
  prevHash: Boolean
  "The transactions hash to the header's Merkle root (Bitcoin)."
  merkleRoot: Boolean
  "The coinbase commits to the witnesses (Bitcoin, segwit blocks)."
  witnessCommitment: Boolean
  "The transactions rebuild the header's transactionsRoot (EVM)."
  transactionsRoot: Boolean
  "The receipts rebuild receiptsRoot (EVM)."
  receiptsRoot: Boolean
  "The withdrawals rebuild withdrawalsRoot (EVM, Shanghai and later)."
  withdrawalsRoot: Boolean
  "The receipts' logs rebuild the header's logsBloom (EVM)."
  logsBloom: Boolean
  "Every transaction hash was re-derived from its fields (EVM)."
  txHashes: Boolean
}

# ------------------------------------------------------------------------------------------------- blocks

interface Block {
  chain: Chain!
  hash: String!
  height: Int!
  parentHash: String!
  time: UnixTime!
  txCount: Int!
  size: Int!
  "A reorg replaced this block; its transactions were rolled back."
  stale: Boolean!
  "The canonical block at this height (itself when not stale; null if the chain has not re-reached the height)."
  canonical: Block
  verification: Verification!
  "The block's transactions in block order."
  transactions(first: Int, after: String, last: Int, before: String): TransactionConnection!
}

type BlockConnection {
  edges: [BlockEdge!]!
  pageInfo: PageInfo!
}

type BlockEdge {
  cursor: String!
  node: Block!
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

# ------------------------------------------------------------------------------------------------- transactions

interface Transaction {
  chain: Chain!
  hash: String!
  "The containing canonical block."
  block: Block!
  height: Int!
  "Index within the block."
  position: Int!
  "How the block holding this transaction was verified (the transaction is covered by its root)."
  verification: Verification!
}

type TransactionConnection {
  edges: [TransactionEdge!]!
  pageInfo: PageInfo!
}

type TransactionEdge {
  cursor: String!
  node: Transaction!
}

# ------------------------------------------------------------------------------------------------- addresses

interface Address {
  chain: Chain!
  "The canonical display form (Bitcoin: standard address, else the p2pk key, else the script hex; EVM: checksummed)."
  address: String!
  "Confirmed native balance (satoshis or wei)."
  balance: BigInt!
  txCount: Int!
  firstHeight: Int
  lastHeight: Int
  "Transactions touching this address, newest first."
  transactions(first: Int, after: String, last: Int, before: String): AddressTransactionConnection!
}

type AddressTransactionConnection {
  edges: [AddressTransactionEdge!]!
  pageInfo: PageInfo!
}

type AddressTransactionEdge {
  cursor: String!
  node: Transaction!
  height: Int!
  position: Int!
  "Bitcoin: satoshis received minus sent by this address in the transaction."
  delta: BigInt
  "EVM: how the address took part: FROM, TO, CREATED, TOKEN, LOG."
  roles: [String!]
}

# ------------------------------------------------------------------------------------------------- search

enum SearchKind {
  BLOCK
  TRANSACTION
  ADDRESS
}

type SearchHit {
  kind: SearchKind!
  chain: Chain!
  item: SearchItem!
}

union SearchItem = BitcoinBlock | EvmBlock | BitcoinTransaction | EvmTransaction | BitcoinAddress | EvmAddress

# ================================================================================================= Bitcoin

type BitcoinBlock implements Block {
  chain: Chain!
  hash: String!
  height: Int!
  parentHash: String!
  time: UnixTime!
  txCount: Int!
  size: Int!
  stale: Boolean!
  canonical: Block
  verification: Verification!
  transactions(first: Int, after: String, last: Int, before: String): TransactionConnection!
  version: Int!
  merkleRoot: String!
  "Compact target, as hex (e.g. 1d00ffff)."
  bits: String!
  nonce: BigInt!
  strippedSize: Int!
  weight: Int!
  "Bitcoin Core getblockstats figures; null for stale blocks."
  stats: BitcoinBlockStats
}

"Bitcoin Core getblockstats, field for field."
type BitcoinBlockStats {
  txs: Int!
  ins: Int!
  outs: Int!
  subsidy: BigInt!
  totalfee: BigInt!
  totalOut: BigInt!
  totalSize: BigInt!
  totalWeight: BigInt!
  swtxs: Int!
  swtotalSize: BigInt!
  swtotalWeight: BigInt!
  avgfee: BigInt!
  avgfeerate: BigInt!
  avgtxsize: BigInt!
  maxfee: BigInt!
  maxfeerate: BigInt!
  maxtxsize: BigInt!
  medianfee: BigInt!
  mediantxsize: BigInt!
  minfee: BigInt!
  minfeerate: BigInt!
  mintxsize: BigInt!
  feeratePercentiles: [BigInt!]!
  utxoIncrease: Int!
  utxoSizeInc: BigInt!
  utxoIncreaseActual: Int!
  utxoSizeIncActual: BigInt!
}

type BitcoinTransaction implements Transaction {
  chain: Chain!
  "The txid."
  hash: String!
  txid: String!
  "Witness txid (equals txid without witness)."
  wtxid: String!
  block: Block!
  height: Int!
  position: Int!
  verification: Verification!
  "The stored raw bytes hash to this txid (recomputed on every read)."
  txidMatchesRaw: Boolean!
  version: Int!
  locktime: BigInt!
  size: Int!
  vsize: Int!
  weight: Int!
  isCoinbase: Boolean!
  hasWitness: Boolean!
  inputValue: BigInt!
  outputValue: BigInt!
  "Satoshis; 0 for the coinbase."
  fee: BigInt!
  "Raw serialized transaction, hex."
  hex: String!
  inputs: [BitcoinInput!]!
  outputs: [BitcoinOutput!]!
  "A Merkle branch proving inclusion in the block's merkleRoot, checked on the spot."
  merkleProof: BitcoinMerkleProof!
}

type BitcoinInput {
  vin: Int!
  "Coinbase inputs have no prevout."
  isCoinbase: Boolean!
  "Txid of the funding transaction (from the raw input)."
  prevTxid: String
  prevVout: Int
  "The funding transaction, when indexed."
  prevTransaction: BitcoinTransaction
  "Value of the spent output, satoshis (0 for coinbase)."
  value: BigInt!
  "Standard address of the spent output (null when its script has none, e.g. p2pk)."
  address: String
  "How the spent output's address row is named: the standard address, else the p2pk key, else the script hex."
  addressLabel: String
  "The spent output's address summary."
  addressSummary: BitcoinAddress
  scriptSigHex: String!
  "As Bitcoin Core's decoderawtransaction prints it (signatures with their [ALL] sighash suffix); empty for coinbase."
  scriptSigAsm: String!
  "Witness stack items, hex."
  witness: [String!]!
  sequence: BigInt!
  "The coinbase's script as hex (coinbase only)."
  coinbaseHex: String
}

type BitcoinOutput {
  vout: Int!
  "Satoshis."
  value: BigInt!
  "p2pk, p2pkh, p2sh, p2wpkh, p2wsh, p2tr, witness_unknown, anchor, multisig, op_return, nonstandard"
  scriptType: String!
  scriptPubKeyHex: String!
  "As Bitcoin Core prints it."
  scriptPubKeyAsm: String!
  "Standard address (as Bitcoin Core reports it); null for p2pk, bare multisig, OP_RETURN and nonstandard scripts."
  address: String
  "The address row's name: the standard address, else the p2pk public key, else the script hex; null for OP_RETURN."
  addressLabel: String
  "p2pk only: the public key paid to, hex."
  pubkey: String
  "p2pk only: the P2PKH address of the same key, as many explorers show it (it is not this output's address)."
  p2pkhEquivalent: String
  addressSummary: BitcoinAddress
  "OP_RETURN payload, hex."
  opReturnHex: String
  "OP_RETURN payload as UTF-8 when it is printable text."
  opReturnText: String
  "Who spent this output; null while unspent."
  spentBy: BitcoinSpend
}

type BitcoinSpend {
  transaction: BitcoinTransaction!
  vin: Int!
  height: Int!
}

type BitcoinMerkleProof {
  "Sibling hashes from the leaf up, display order."
  siblings: [String!]!
  position: Int!
  "The root the branch folds to, display order."
  root: String!
  "The branch folds to the block header's merkleRoot."
  verified: Boolean!
}

type BitcoinAddress implements Address {
  chain: Chain!
  "The standard address, else the p2pk public key, else the scriptPubKey hex (every script is an address row)."
  address: String!
  "p2pk only: the public key."
  pubkey: String
  balance: BigInt!
  txCount: Int!
  firstHeight: Int
  lastHeight: Int
  transactions(first: Int, after: String, last: Int, before: String): AddressTransactionConnection!
  scriptType: String!
  scriptPubKeyHex: String!
  received: BigInt!
  sent: BigInt!
  utxoCount: Int!
  "Unspent outputs paying this address, newest first (by funding transaction, then output index). Pages forward with first/after."
  utxos(first: Int, after: String): BitcoinUtxoConnection!
}

type BitcoinUtxoConnection {
  edges: [BitcoinUtxoEdge!]!
  pageInfo: PageInfo!
}

type BitcoinUtxoEdge {
  cursor: String!
  node: BitcoinUtxo!
}

"An unspent output."
type BitcoinUtxo {
  "Txid of the transaction that created it."
  txid: String!
  vout: Int!
  "Satoshis."
  value: BigInt!
  "Height of the block holding the funding transaction."
  height: Int!
  "p2pk, p2pkh, p2sh, p2wpkh, p2wsh, p2tr, witness_unknown, anchor, multisig, nonstandard"
  scriptType: String!
  transaction: BitcoinTransaction!
}

# ================================================================================================= EVM

type EvmBlock implements Block {
  chain: Chain!
  hash: String!
  height: Int!
  parentHash: String!
  time: UnixTime!
  txCount: Int!
  size: Int!
  stale: Boolean!
  canonical: Block
  verification: Verification!
  transactions(first: Int, after: String, last: Int, before: String): TransactionConnection!
  miner: String!
  gasUsed: BigInt!
  gasLimit: BigInt!
  baseFeePerGas: BigInt
  stateRoot: String!
  transactionsRoot: String!
  receiptsRoot: String!
  withdrawalsRoot: String
  extraData: String!
  logsBloom: String
  difficulty: BigInt
  mixHash: String
  nonce: String
  blobGasUsed: BigInt
  excessBlobGas: BigInt
  parentBeaconBlockRoot: String
  requestsHash: String
}

type EvmTransaction implements Transaction {
  chain: Chain!
  hash: String!
  block: Block!
  height: Int!
  position: Int!
  verification: Verification!
  "EIP-2718 type: 0 legacy, 1 access list, 2 EIP-1559, 3 blob, 4 set-code."
  type: Int!
  from: EvmAddress!
  "null for contract creation."
  to: EvmAddress
  value: BigInt!
  nonce: BigInt!
  gas: BigInt!
  gasPrice: BigInt
  maxFeePerGas: BigInt
  maxPriorityFeePerGas: BigInt
  input: String!
  "First four bytes of input (the function selector), when present."
  methodId: String
  "Receipt status: 1 success, 0 reverted; null before Byzantium (receipts carried a state root, not a status)."
  status: Int
  gasUsed: BigInt!
  effectiveGasPrice: BigInt!
  "gasUsed × effectiveGasPrice (plus blob fees), wei."
  fee: BigInt!
  "The contract this transaction created."
  contractCreated: EvmAddress
  logs: [EvmLog!]!
  tokenTransfers: [EvmTokenTransfer!]!
  """
  Inclusion proof against the block's transactionsRoot. Null while the index does not keep the signed transaction
  bytes needed to rebuild the trie.
  """
  merkleProof: EvmTrieProof
}

type EvmLog {
  logIndex: Int!
  address: EvmAddress!
  topics: [String!]!
  data: String!
  "A well-known event (Transfer, Approval, ...) decoded; null otherwise."
  decoded: EvmDecodedEvent
}

type EvmDecodedEvent {
  name: String!
  "Canonical signature, e.g. Transfer(address,address,uint256)."
  signature: String!
  "Which ABI matched: erc20, erc721, erc1155."
  standard: String!
  params: [EvmEventParam!]!
}

type EvmEventParam {
  name: String!
  "ABI type, e.g. address, uint256, uint256[]."
  type: String!
  "Display value: decimal for integers, lowercase hex for addresses, [a, b] for arrays."
  value: String!
}

type EvmTokenTransfer {
  logIndex: Int!
  batchIndex: Int!
  "20, 721 or 1155."
  standard: Int!
  token: EvmAddress!
  from: EvmAddress!
  to: EvmAddress!
  "Raw amount (apply token.tokenDecimals to display); 1 for ERC-721."
  amount: BigInt!
  nftId: BigInt
}

type EvmTrieProof {
  "RLP of each trie node from the root down, hex."
  nodes: [String!]!
  "RLP of the transaction index (the trie key), hex."
  key: String!
  root: String!
  verified: Boolean!
}

type EvmAddress implements Address {
  chain: Chain!
  address: String!
  balance: BigInt!
  "Height the balance was read from the node at."
  balanceHeight: Int
  txCount: Int!
  firstHeight: Int
  lastHeight: Int
  transactions(first: Int, after: String, last: Int, before: String): AddressTransactionConnection!
  isContract: Boolean!
  tokenName: String
  tokenSymbol: String
  tokenDecimals: Int
  "Token holdings (ERC-20/721/1155, from decoded transfers), by token contract. Pages forward with first/after."
  tokenBalances(first: Int, after: String): EvmTokenBalanceConnection!
}

type EvmTokenBalanceConnection {
  edges: [EvmTokenBalanceEdge!]!
  pageInfo: PageInfo!
}

type EvmTokenBalanceEdge {
  cursor: String!
  node: EvmTokenBalance!
}

"What an address holds of one token contract."
type EvmTokenBalance {
  token: EvmAddress!
  "The token contract's name(), symbol() and decimals() as read when it was first seen; null when it has none."
  name: String
  symbol: String
  decimals: Int
  "20, 721 or 1155 (from the token's transfers)."
  standard: Int
  "Raw amount (apply decimals to display); ERC-721: tokens held; ERC-1155: summed over ids."
  balance: BigInt!
}
`;
