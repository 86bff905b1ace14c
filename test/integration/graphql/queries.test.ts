// Each query answers what the chain data says. Bitcoin facts are mainnet's (blocks 0–170), so these assertions hold
// unchanged when the seed is replaced by data the indexer wrote from the same blocks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type Api } from "./harness";

const GENESIS = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
const BLOCK_9_COINBASE = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9";
const TX_170 = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16";
const HAL_KEY = "04ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7303b8a0626f1baded5c72a704f7e6cd84c";
const BLOCK_9_KEY = "0411db93e1dcdb8a016b49840f8c53bc1eb68a382e97b1482ecad7b148a6909a5cb2e0eaddfb84ccf9744464f82e160bfa9b8b64f9d4c03f999b8643f656b412a3";

let api: Api;
beforeAll(async () => { api = await startApi(); });
afterAll(async () => { await api?.stop(); });

async function data(query: string, variables?: Record<string, unknown>) {
  const r = await api.gql(query, variables);
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  expect(r.status).toBe(200);
  return r.body.data!;
}

describe("chains", () => {
  it("lists chains with their sync status", async () => {
    const d = await data(`{ chains { id family network name tipHeight nodeHeight status blocksPerSec txPerSec lastError } }`);
    expect(d.chains).toEqual([
      { id: "bitcoin", family: "BITCOIN", network: "mainnet", name: "Bitcoin", tipHeight: 170, nodeHeight: 583, status: "syncing", blocksPerSec: 12.5, txPerSec: 30.25, lastError: null },
      { id: "evm-dev", family: "EVM", network: "devnet", name: "EVM devnet", tipHeight: 2, nodeHeight: 2, status: "following", blocksPerSec: 1, txPerSec: 2, lastError: null },
    ]);
    const one = await data(`{ chain(id: "bitcoin") { id tipHash } }`);
    expect(one.chain.tipHash).toBe("00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee");
  });

  it("has no Mutation type (read-only)", async () => {
    const d = await data(`{ __schema { mutationType { name } subscriptionType { name } } }`);
    expect(d.__schema).toEqual({ mutationType: null, subscriptionType: null });
  });
});

describe("Bitcoin blocks", () => {
  it("finds genesis by height and by hash, with header fields and verification", async () => {
    const q = `query($h: Int, $hash: String) { block(chain: "bitcoin", height: $h, hash: $hash) {
      __typename hash height parentHash time txCount stale
      verification { checks headerHash pow prevHash merkleRoot witnessCommitment transactionsRoot }
      ... on BitcoinBlock { version bits nonce merkleRoot weight stats { txs ins outs subsidy totalfee totalOut } }
    } }`;
    const byHeight = await data(q, { h: 0 });
    // Core's getblockstats total_out leaves out the coinbase, so genesis has 0.
    expect(byHeight.block).toMatchObject({
      __typename: "BitcoinBlock", hash: GENESIS, height: 0, parentHash: "0".repeat(64), time: 1231006505, txCount: 1, stale: false,
      version: 1, bits: "1d00ffff", nonce: "2083236893", merkleRoot: "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b",
      stats: { txs: 1, ins: 0, outs: 1, subsidy: "5000000000", totalfee: "0", totalOut: "0" },
    });
    expect(byHeight.block.verification).toMatchObject({ headerHash: true, pow: true, merkleRoot: true, witnessCommitment: null, transactionsRoot: null });
    expect(byHeight.block.verification.checks).toContain("merkleRoot");
    const byHash = await data(q, { hash: GENESIS });
    expect(byHash.block).toEqual(byHeight.block);
  });

  it("answers null for a height that is not indexed", async () => {
    expect((await data(`{ block(chain: "bitcoin", height: 171) { hash } }`)).block).toBeNull();
  });

  it("lists blocks newest first", async () => {
    const d = await data(`{ blocks(chain: "bitcoin", first: 3) { edges { node { height } } pageInfo { hasNextPage hasPreviousPage } } }`);
    expect(d.blocks.edges.map((e: any) => e.node.height)).toEqual([170, 169, 168]);
    expect(d.blocks.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
  });

  it("shows a stale block as stale, with the canonical block at its height and no transactions", async () => {
    const d = await data(`query($h: String!) { block(chain: "bitcoin", hash: $h) { hash height stale canonical { hash stale } transactions { edges { cursor } } } }`, { h: api.seed.btcStaleHash });
    expect(d.block).toMatchObject({ height: 170, stale: true, canonical: { hash: "00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee", stale: false } });
    expect(d.block.transactions.edges).toEqual([]);
    const canon = await data(`{ block(chain: "bitcoin", height: 170) { stale canonical { height } } }`);
    expect(canon.block).toEqual({ stale: false, canonical: { height: 170 } });
  });
});

describe("Bitcoin transactions", () => {
  const TX = `query($h: String!) { transaction(chain: "bitcoin", hash: $h) {
    __typename hash height position block { height }
    verification { merkleRoot pow }
    ... on BitcoinTransaction {
      txid wtxid txidMatchesRaw isCoinbase hasWitness size vsize weight version locktime inputValue outputValue fee
      inputs { vin isCoinbase prevTxid prevVout value address addressLabel scriptSigAsm witness sequence coinbaseHex
               prevTransaction { txid height } addressSummary { address } }
      outputs { vout value scriptType address addressLabel pubkey p2pkhEquivalent scriptPubKeyAsm opReturnHex opReturnText
                spentBy { vin height transaction { hash } } }
      merkleProof { siblings position root verified }
    } } }`;

  it("block 170's payment spends block 9's coinbase output 0 and pays Hal Finney 10 BTC", async () => {
    const { transaction: tx } = await data(TX, { h: TX_170 });
    expect(tx).toMatchObject({
      __typename: "BitcoinTransaction", hash: TX_170, txid: TX_170, wtxid: TX_170, txidMatchesRaw: true, height: 170, position: 1, block: { height: 170 },
      isCoinbase: false, hasWitness: false, size: 275, vsize: 275, weight: 1100, version: 1, locktime: "0",
      inputValue: "5000000000", outputValue: "5000000000", fee: "0", verification: { merkleRoot: true, pow: true },
    });
    expect(tx.inputs).toHaveLength(1);
    expect(tx.inputs[0]).toMatchObject({
      vin: 0, isCoinbase: false, prevTxid: BLOCK_9_COINBASE, prevVout: 0, value: "5000000000", address: null, addressLabel: BLOCK_9_KEY,
      witness: [], sequence: "4294967295", coinbaseHex: null, prevTransaction: { txid: BLOCK_9_COINBASE, height: 9 }, addressSummary: { address: BLOCK_9_KEY },
    });
    expect(tx.inputs[0].scriptSigAsm).toMatch(/^304402204e45e16932b8af514961a1d3a1a25fdf3f4f7732e9d624c6c61548ab5fb8cd41.*\[ALL\]$/);
    expect(tx.outputs).toEqual([
      expect.objectContaining({ vout: 0, value: "1000000000", scriptType: "p2pk", address: null, addressLabel: HAL_KEY, pubkey: HAL_KEY, scriptPubKeyAsm: `${HAL_KEY} OP_CHECKSIG`, opReturnHex: null, spentBy: null }),
      expect.objectContaining({ vout: 1, value: "4000000000", scriptType: "p2pk", addressLabel: BLOCK_9_KEY, pubkey: BLOCK_9_KEY }),
    ]);
    expect(tx.outputs[0].p2pkhEquivalent).toBe("1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3");
    expect(tx.merkleProof).toMatchObject({ position: 1, root: "7dac2c5666815c17a3b36427de37bb9d2e2c5ccec3f8633eb91a4205cb4c10ff", verified: true });
    expect(tx.merkleProof.siblings).toEqual(["b1fea52486ce0c62bb442b530a3f0132b826c74e473d1f2c220bfa78111c5082"]);
  });

  it("block 9's coinbase output 0 is spent by block 170's tx, vin 0", async () => {
    const { transaction: tx } = await data(TX, { h: BLOCK_9_COINBASE });
    expect(tx).toMatchObject({ isCoinbase: true, height: 9, position: 0, fee: "0", merkleProof: { verified: true, siblings: [] } });
    expect(tx.inputs[0]).toMatchObject({ isCoinbase: true, prevTxid: null, prevTransaction: null, value: "0", scriptSigAsm: "", coinbaseHex: "04ffff001d0134" });
    expect(tx.outputs[0]).toMatchObject({ value: "5000000000", pubkey: BLOCK_9_KEY, spentBy: { vin: 0, height: 170, transaction: { hash: TX_170 } } });
  });

  it("answers null for an unknown txid", async () => {
    expect((await data(`{ transaction(chain: "bitcoin", hash: "${"ab".repeat(32)}") { hash } }`)).transaction).toBeNull();
  });
});

describe("Bitcoin addresses", () => {
  it("summarises Hal Finney's p2pk key", async () => {
    const d = await data(`{ address(chain: "bitcoin", address: "${HAL_KEY}") { __typename address balance txCount firstHeight lastHeight
      ... on BitcoinAddress { scriptType pubkey received sent utxoCount }
      transactions(first: 10) { edges { height position delta node { hash } } } } }`);
    expect(d.address).toEqual({
      __typename: "BitcoinAddress", address: HAL_KEY, balance: "1000000000", txCount: 1, firstHeight: 170, lastHeight: 170,
      scriptType: "p2pk", pubkey: HAL_KEY, received: "1000000000", sent: "0", utxoCount: 1,
      transactions: { edges: [{ height: 170, position: 1, delta: "1000000000", node: { hash: TX_170 } }] },
    });
  });

  it("pages block 9's key history newest first with deltas", async () => {
    const d = await data(`{ address(chain: "bitcoin", address: "${BLOCK_9_KEY}") { balance txCount
      transactions { edges { height delta node { hash } } } } }`);
    expect(d.address.balance).toBe("4000000000");
    expect(d.address.transactions.edges).toEqual([
      { height: 170, delta: "-1000000000", node: { hash: TX_170 } },
      { height: 9, delta: "5000000000", node: { hash: BLOCK_9_COINBASE } },
    ]);
  });

  it("answers an empty summary for a valid address never seen", async () => {
    const d = await data(`{ address(chain: "bitcoin", address: "1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3") { address balance txCount firstHeight transactions { edges { cursor } } } }`);
    expect(d.address).toEqual({ address: "1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3", balance: "0", txCount: 0, firstHeight: null, transactions: { edges: [] } });
  });
});

describe("search", () => {
  const S = `query($q: String!) { search(query: $q) { kind chain { id } item { __typename
    ... on Block { hash height } ... on Transaction { hash } ... on Address { address } } } }`;
  it("resolves a height on every chain that has it", async () => {
    expect((await data(S, { q: "170" })).search).toEqual([{ kind: "BLOCK", chain: { id: "bitcoin" }, item: { __typename: "BitcoinBlock", hash: "00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee", height: 170 } }]);
    expect((await data(S, { q: "2" })).search.map((h: any) => h.chain.id)).toEqual(["bitcoin", "evm-dev"]);
  });
  it("resolves block hashes, txids and addresses", async () => {
    expect((await data(S, { q: GENESIS })).search).toEqual([{ kind: "BLOCK", chain: { id: "bitcoin" }, item: { __typename: "BitcoinBlock", hash: GENESIS, height: 0 } }]);
    expect((await data(S, { q: TX_170 })).search).toEqual([{ kind: "TRANSACTION", chain: { id: "bitcoin" }, item: { __typename: "BitcoinTransaction", hash: TX_170 } }]);
    expect((await data(S, { q: HAL_KEY })).search).toEqual([{ kind: "ADDRESS", chain: { id: "bitcoin" }, item: { __typename: "BitcoinAddress", address: HAL_KEY } }]);
    expect((await data(S, { q: api.seed.evm.transferTx })).search).toEqual([{ kind: "TRANSACTION", chain: { id: "evm-dev" }, item: { __typename: "EvmTransaction", hash: api.seed.evm.transferTx } }]);
    expect((await data(S, { q: api.seed.evm.blockHashes[1] })).search[0]).toMatchObject({ kind: "BLOCK", item: { __typename: "EvmBlock", height: 1 } });
    expect((await data(S, { q: api.seed.evm.token })).search).toEqual([{ kind: "ADDRESS", chain: { id: "evm-dev" }, item: { __typename: "EvmAddress", address: "0x5FbDB2315678afecb367f032d93F642f64180aa3" } }]);
    expect((await data(S, { q: "not-a-thing" })).search).toEqual([]);
  });
});

describe("EVM", () => {
  const TX = `query($h: String!) { transaction(chain: "evm-dev", hash: $h) { __typename hash height position verification { transactionsRoot receiptsRoot pow }
    ... on EvmTransaction { type from { address } to { address } value nonce gas gasPrice maxFeePerGas maxPriorityFeePerGas input methodId status gasUsed effectiveGasPrice fee
      contractCreated { address isContract tokenSymbol }
      logs { logIndex address { address } topics data decoded { name standard params { name value } } }
      tokenTransfers { standard amount nftId token { tokenName tokenSymbol tokenDecimals } from { address } to { address } }
      merkleProof { verified } } } }`;

  it("shows an ERC-20 transfer with receipt, decoded log and token metadata", async () => {
    const { transaction: tx } = await data(TX, { h: api.seed.evm.transferTx });
    expect(tx).toMatchObject({
      __typename: "EvmTransaction", hash: api.seed.evm.transferTx, height: 2, position: 0, type: 2, status: 1, gasUsed: "51000", effectiveGasPrice: "1500000000",
      fee: "76500000000000", value: "0", methodId: "0xa9059cbb", contractCreated: null, merkleProof: null,
      verification: { transactionsRoot: true, receiptsRoot: true, pow: null },
      from: { address: "0x00000000000000000000000000000000000A11cE" }, to: { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
    });
    expect(tx.logs).toHaveLength(1);
    expect(tx.logs[0].decoded).toEqual({
      name: "Transfer", standard: "erc20",
      params: [{ name: "from", value: api.seed.evm.alice }, { name: "to", value: api.seed.evm.bob }, { name: "value", value: "1000000000000000000000" }],
    });
    expect(tx.tokenTransfers).toEqual([{ standard: 20, amount: "1000000000000000000000", nftId: null, token: { tokenName: "Test Token", tokenSymbol: "TT", tokenDecimals: 18 }, from: { address: "0x00000000000000000000000000000000000A11cE" }, to: { address: "0x0000000000000000000000000000000000000B0b" } }]);
  });

  it("keeps wei exact, reports reverts and contract creation", async () => {
    expect((await data(TX, { h: api.seed.evm.bigValueTx })).transaction.value).toBe("123456789012345678901234567890");
    expect((await data(TX, { h: api.seed.evm.revertedTx })).transaction).toMatchObject({ status: 0, gasUsed: "48000", methodId: "0xdeadbeef" });
    expect((await data(TX, { h: api.seed.evm.deployTx })).transaction).toMatchObject({ to: null, contractCreated: { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", isContract: true, tokenSymbol: "TT" } });
  });

  it("shows EVM blocks and addresses", async () => {
    const d = await data(`{ block(chain: "evm-dev", height: 2) { __typename hash txCount verification { receiptsRoot }
      ... on EvmBlock { miner gasUsed gasLimit baseFeePerGas transactionsRoot withdrawalsRoot extraData difficulty }
      transactions { edges { node { hash } } } }
      address(chain: "evm-dev", address: "${api.seed.evm.alice}") { __typename balance txCount transactions(first: 2) { edges { roles node { hash } } pageInfo { hasNextPage } } } }`);
    expect(d.block).toMatchObject({ __typename: "EvmBlock", hash: api.seed.evm.blockHashes[2], txCount: 3, miner: "0x000000000000000000000000000000000000c0DE", gasLimit: "30000000", baseFeePerGas: "1000000000", withdrawalsRoot: null, extraData: "0x6465766e6574", difficulty: "0" });
    expect(d.block.transactions.edges.map((e: any) => e.node.hash)).toEqual([api.seed.evm.transferTx, api.seed.evm.bigValueTx, api.seed.evm.revertedTx]);
    expect(d.address).toEqual({
      __typename: "EvmAddress", balance: "876543210987654321098765432110", txCount: 4,
      transactions: { edges: [{ roles: ["FROM"], node: { hash: api.seed.evm.revertedTx } }, { roles: ["TO"], node: { hash: api.seed.evm.bigValueTx } }], pageInfo: { hasNextPage: true } },
    });
  });
});
