// Each query answers what the chain data says. The database is indexed by the real indexer: Bitcoin mainnet 0–583
// ("btc-demo"), btcd's reorg files ("btcd-reorg", for real stale blocks) and an anvil devnet with generated traffic
// ("devnet"). Bitcoin facts are mainnet's; EVM expectations are what the devnet node itself answers.
import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abiString, EvmRpc } from "../../../indexer/sources/evm-rpc";
import type { Hex, RpcBlock, RpcReceipt, RpcTransaction } from "../../../lib/evm/types";
import { BTC, EVM, REORG, startApi, type Api, expectData } from "./harness";

const GENESIS = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
const BLOCK_170 = "00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee";
const BLOCK_583 = "000000005b30f48ef450de8ebdb8829a931e8cd86e2f11f48f381c61c845379b";
const BLOCK_9_COINBASE = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9";
const TX_170 = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16";
const HAL_KEY = "04ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7303b8a0626f1baded5c72a704f7e6cd84c";
const BLOCK_9_KEY = "0411db93e1dcdb8a016b49840f8c53bc1eb68a382e97b1482ecad7b148a6909a5cb2e0eaddfb84ccf9744464f82e160bfa9b8b64f9d4c03f999b8643f656b412a3";
// btcd's reorg files: 3 and 4 lose to the side branch 3A–5A.
const STALE_3 = "00000000bc3589303953766cc9364130cb97bc3749bae170f476d45f1e23f850";

let api: Api;
let rpc: EvmRpc;
beforeAll(async () => {
  api = await startApi();
  rpc = new EvmRpc({ url: api.chains.evm!.rpcUrl });
}, 120_000);
afterAll(async () => { await api?.stop(); });

const data = (query: string, variables?: Record<string, unknown>) => expectData(api, query, variables);

describe("chains", () => {
  it("lists the indexed chains with their sync status", async () => {
    const d = await data(`{ chains { id family network name tipHeight tipHash nodeHeight status blocksPerSec txPerSec lastError } }`);
    expect(d.chains).toEqual([
      expect.objectContaining({ id: BTC, family: "BITCOIN", network: "mainnet", name: "Bitcoin mainnet 0–583 (bundled)", tipHeight: 583, tipHash: BLOCK_583, nodeHeight: 583, status: "stopped", lastError: null }),
      expect.objectContaining({ id: REORG, family: "BITCOIN", network: "mainnet", tipHeight: 5, nodeHeight: 5, status: "stopped", lastError: null }),
      expect.objectContaining({ id: EVM, family: "EVM", network: "devnet", tipHeight: api.chains.evm!.tip, nodeHeight: api.chains.evm!.tip, status: "stopped", lastError: null }),
    ]);
    for (const c of d.chains) {
      expect(typeof c.blocksPerSec).toBe("number");
      expect(typeof c.txPerSec).toBe("number");
    }
    const nodeTip = await rpc.call<RpcBlock>("eth_getBlockByNumber", ["latest", false]);
    expect(d.chains[2].tipHash).toBe(nodeTip.hash);
    expect(Number(nodeTip.number)).toBe(api.chains.evm!.tip);
    const one = await data(`{ chain(id: "${BTC}") { id tipHash } }`);
    expect(one.chain).toEqual({ id: BTC, tipHash: BLOCK_583 });
  });

  it("has no Mutation type (read-only)", async () => {
    const d = await data(`{ __schema { mutationType { name } subscriptionType { name } } }`);
    expect(d.__schema).toEqual({ mutationType: null, subscriptionType: null });
  });
});

describe("Bitcoin blocks", () => {
  it("finds genesis by height and by hash, with header fields and verification", async () => {
    const q = `query($h: Int, $hash: String) { block(chain: "${BTC}", height: $h, hash: $hash) {
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
    // Block 170: the coinbase and the first person-to-person payment, whose 50 BTC input leaves no fee.
    const b170 = await data(q, { h: 170 });
    expect(b170.block).toMatchObject({ hash: BLOCK_170, txCount: 2, stats: { txs: 2, ins: 1, outs: 3, subsidy: "5000000000", totalfee: "0", totalOut: "5000000000" } });
  });

  it("answers null for a height that is not indexed", async () => {
    expect((await data(`{ block(chain: "${BTC}", height: 584) { hash } }`)).block).toBeNull();
  });

  it("lists blocks newest first", async () => {
    const d = await data(`{ blocks(chain: "${BTC}", first: 3) { edges { node { height } } pageInfo { hasNextPage hasPreviousPage } } }`);
    expect(d.blocks.edges.map((e: any) => e.node.height)).toEqual([583, 582, 581]);
    expect(d.blocks.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
  });

  it("shows a block a reorg left stale as stale, with the canonical block at its height and no transactions", async () => {
    expect(api.chains.reorg.stale.map((s) => s.height)).toEqual([3, 4]);
    expect(api.chains.reorg.stale[0].hash).toBe(STALE_3);
    const d = await data(`query($h: String!) { block(chain: "${REORG}", hash: $h) { hash height stale canonical { hash stale } transactions { edges { cursor } } } }`, { h: STALE_3 });
    const canonical3 = (await data(`{ block(chain: "${REORG}", height: 3) { hash stale canonical { height } } }`)).block;
    expect(canonical3.hash).not.toBe(STALE_3);
    expect(canonical3).toMatchObject({ stale: false, canonical: { height: 3 } });
    expect(d.block).toEqual({ hash: STALE_3, height: 3, stale: true, canonical: { hash: canonical3.hash, stale: false }, transactions: { edges: [] } });
    // The winning branch runs to 5 on top of the common ancestor 2.
    const tip = (await data(`{ block(chain: "${REORG}", height: 5) { hash parentHash stale } }`)).block;
    expect(tip.hash).toMatch(/^00000000195f8518/);
    expect(tip.stale).toBe(false);
  });
});

describe("Bitcoin transactions", () => {
  const TX = `query($h: String!) { transaction(chain: "${BTC}", hash: $h) {
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

  it("a tx page reads inputs and outputs in one statement, and a block's Merkle tree once (not its header again)", async () => {
    // Its own query text, so the response cache cannot answer it; block 170's tree was built by the test above.
    const q = `query($h: String!) { transaction(chain: "${BTC}", hash: $h) { hash block { hash }
      ... on BitcoinTransaction { inputs { value address } outputs { value spentBy { height } } merkleProof { root verified } } } }`;
    api.statements.reset();
    const { transaction: tx } = await data(q, { h: TX_170 });
    expect(tx.merkleProof).toEqual({ root: "7dac2c5666815c17a3b36427de37bb9d2e2c5ccec3f8633eb91a4205cb4c10ff", verified: true });
    const log = api.statements.log;
    expect(log.filter((s) => /btc_input/.test(s) && /btc_output/.test(s))).toHaveLength(1);
    expect(log.filter((s) => /btc_input|btc_output/.test(s))).toHaveLength(1);
    expect(log.filter((s) => /string_agg|btc_block/.test(s))).toHaveLength(0);
  });

  it("answers the same whether a tx is looked up alone (equality statements) or batched with another (array statements)", async () => {
    const fields = `hash height block { hash height } ... on BitcoinTransaction { fee inputs { value address prevTransaction { hash } }
      outputs { value address addressSummary { balance } spentBy { height transaction { hash } } } }`;
    const alone = async (h: string) => (await data(`query($h: String!) { t: transaction(chain: "${BTC}", hash: $h) { ${fields} } }`, { h })).t;
    api.statements.reset();
    const both = await data(`query($a: String!, $b: String!) { a: transaction(chain: "${BTC}", hash: $a) { ${fields} } b: transaction(chain: "${BTC}", hash: $b) { ${fields} } }`,
      { a: TX_170, b: BLOCK_9_COINBASE });
    expect(api.statements.log.some((s) => /unnest\(\$1::smallint\[\], \$2::text\[\]\)/.test(s) && /btc_tx/.test(s))).toBe(true);
    api.statements.reset();
    const [a, b] = [await alone(TX_170), await alone(BLOCK_9_COINBASE)];
    expect(api.statements.log.some((s) => /txid = decode\(\$2, 'hex'\)/.test(s))).toBe(true);
    expect({ a, b }).toEqual(both);
    expect(a.inputs[0].prevTransaction.hash).toBe(BLOCK_9_COINBASE);
  });

  it("answers null for an unknown txid", async () => {
    expect((await data(`{ transaction(chain: "${BTC}", hash: "${"ab".repeat(32)}") { hash } }`)).transaction).toBeNull();
  });
});

describe("Bitcoin addresses", () => {
  it("summarises Hal Finney's p2pk key", async () => {
    const d = await data(`{ address(chain: "${BTC}", address: "${HAL_KEY}") { __typename address balance txCount firstHeight lastHeight
      ... on BitcoinAddress { scriptType pubkey received sent utxoCount }
      transactions(first: 10) { edges { height position delta node { hash } } } } }`);
    expect(d.address).toEqual({
      __typename: "BitcoinAddress", address: HAL_KEY, balance: "1000000000", txCount: 1, firstHeight: 170, lastHeight: 170,
      scriptType: "p2pk", pubkey: HAL_KEY, received: "1000000000", sent: "0", utxoCount: 1,
      transactions: { edges: [{ height: 170, position: 1, delta: "1000000000", node: { hash: TX_170 } }] },
    });
  });

  it("pages block 9's key history with deltas: its coinbase, then block 170's payment, then later spends", async () => {
    const q = `query($before: String) { address(chain: "${BTC}", address: "${BLOCK_9_KEY}") { balance txCount firstHeight ... on BitcoinAddress { received sent }
      transactions(last: 100, before: $before) { edges { height delta node { hash } } pageInfo { hasPreviousPage startCursor } } } }`;
    const d = await data(q);
    const history = d.address.transactions.edges;
    expect(d.address.transactions.pageInfo.hasPreviousPage).toBe(false);
    expect(history).toHaveLength(d.address.txCount);
    // Oldest two: mined 50 BTC in block 9, then block 170 spent them (-50) and took 40 back as change: -10.
    expect(history.slice(-2)).toEqual([
      { height: 170, delta: "-1000000000", node: { hash: TX_170 } },
      { height: 9, delta: "5000000000", node: { hash: BLOCK_9_COINBASE } },
    ]);
    expect(d.address.firstHeight).toBe(9);
    // Newest first, and the summary adds up to the history.
    const heights = history.map((e: any) => e.height);
    expect(heights).toEqual([...heights].sort((x: number, y: number) => y - x));
    const sum = history.reduce((s: bigint, e: any) => s + BigInt(e.delta), 0n);
    expect(d.address.balance).toBe(sum.toString());
    expect(BigInt(d.address.received) - BigInt(d.address.sent)).toBe(sum);
    // The 40 BTC change of block 170 (vout 1) was spent again later, so the key holds less than 40 BTC at 583.
    const change = (await data(`{ transaction(chain: "${BTC}", hash: "${TX_170}") { ... on BitcoinTransaction { outputs { vout spentBy { height } } } } }`)).transaction.outputs[1];
    expect(change.spentBy.height).toBeGreaterThan(170);
    expect(BigInt(d.address.balance)).toBeLessThan(4_000_000_000n);
  });

  it("answers an empty summary for a valid address never seen", async () => {
    const d = await data(`{ address(chain: "${BTC}", address: "1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3") { address balance txCount firstHeight transactions { edges { cursor } } } }`);
    expect(d.address).toEqual({ address: "1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3", balance: "0", txCount: 0, firstHeight: null, transactions: { edges: [] } });
  });
});

describe("search", () => {
  const S = `query($q: String!) { search(query: $q) { kind chain { id } item { __typename
    ... on Block { hash height } ... on Transaction { hash } ... on Address { address } } } }`;
  it("resolves a height on every chain that has it", async () => {
    expect((await data(S, { q: "170" })).search).toEqual([{ kind: "BLOCK", chain: { id: BTC }, item: { __typename: "BitcoinBlock", hash: BLOCK_170, height: 170 } }]);
    expect((await data(S, { q: "2" })).search.map((h: any) => h.chain.id)).toEqual([BTC, REORG, EVM]);
  });
  it("resolves block hashes, txids and addresses", async () => {
    // btcd's reorg chain is built on the real mainnet genesis, so genesis is on both Bitcoin chains.
    expect((await data(S, { q: GENESIS })).search).toEqual([BTC, REORG].map((id) => ({ kind: "BLOCK", chain: { id }, item: { __typename: "BitcoinBlock", hash: GENESIS, height: 0 } })));
    expect((await data(S, { q: TX_170 })).search).toEqual([{ kind: "TRANSACTION", chain: { id: BTC }, item: { __typename: "BitcoinTransaction", hash: TX_170 } }]);
    expect((await data(S, { q: HAL_KEY })).search).toEqual([{ kind: "ADDRESS", chain: { id: BTC }, item: { __typename: "BitcoinAddress", address: HAL_KEY } }]);
    const { transfer } = await devnetTxs();
    expect((await data(S, { q: transfer.tx.hash })).search).toEqual([{ kind: "TRANSACTION", chain: { id: EVM }, item: { __typename: "EvmTransaction", hash: transfer.tx.hash } }]);
    const block1 = await rpc.call<RpcBlock>("eth_getBlockByNumber", ["0x1", false]);
    expect((await data(S, { q: block1.hash })).search).toEqual([{ kind: "BLOCK", chain: { id: EVM }, item: { __typename: "EvmBlock", hash: block1.hash, height: 1 } }]);
    const token = api.chains.evm!.contracts.token;
    expect((await data(S, { q: token.toLowerCase() })).search).toEqual([{ kind: "ADDRESS", chain: { id: EVM }, item: { __typename: "EvmAddress", address: getAddress(token) } }]);
    expect((await data(S, { q: "not-a-thing" })).search).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------- EVM

interface NodeTx { tx: RpcTransaction; receipt: RpcReceipt; block: RpcBlock }
const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
let nodeTxsCache: Promise<NodeTx[]> | undefined;

/** Every tx of the devnet as its node answers it, with receipt and block. */
function nodeTxs(): Promise<NodeTx[]> {
  return (nodeTxsCache ??= (async () => {
    const heights = Array.from({ length: api.chains.evm!.tip + 1 }, (_, h) => h);
    const blocks = await rpc.batchOrThrow<RpcBlock>(heights.map((h) => ({ method: "eth_getBlockByNumber", params: [`0x${h.toString(16)}`, true] })));
    const receipts = await rpc.batchOrThrow<RpcReceipt[]>(blocks.map((b) => ({ method: "eth_getBlockReceipts", params: [b.hash] })));
    return blocks.flatMap((block, i) => (block.transactions as RpcTransaction[]).map((tx, pos) => ({ tx, receipt: receipts[i][pos], block })));
  })());
}

/** The kinds of tx the traffic generator sends, found in what the node answers. */
async function devnetTxs() {
  const all = await nodeTxs();
  const token = api.chains.evm!.contracts.token.toLowerCase();
  const find = (what: string, f: (t: NodeTx) => boolean) => {
    const t = all.find(f);
    if (!t) throw new Error(`the devnet has no ${what}`);
    return t;
  };
  return {
    all,
    deploy: find("token deployment", (t) => t.receipt.contractAddress?.toLowerCase() === token),
    transfer: find("ERC-20 transfer", (t) => t.tx.to?.toLowerCase() === token && t.tx.input.startsWith("0xa9059cbb") && t.receipt.status === "0x1"
      && t.receipt.logs.length === 1 && t.receipt.logs[0].topics[0] === TRANSFER_TOPIC),
    ether: find("legacy ETH transfer", (t) => t.tx.input === "0x" && BigInt(t.tx.value) > 0n && Number(t.tx.type ?? "0x0") === 0),
    reverted: find("reverted call", (t) => t.receipt.status === "0x0"),
  };
}

const checksum = (a: string | null | undefined) => (a == null ? null : getAddress(a));
const dec = (q: string | null | undefined) => (q == null ? null : BigInt(q).toString());

describe("EVM", () => {
  const TX = `query($h: String!) { transaction(chain: "${EVM}", hash: $h) { __typename hash height position verification { transactionsRoot receiptsRoot pow }
    ... on EvmTransaction { type from { address } to { address } value nonce gas gasPrice maxFeePerGas maxPriorityFeePerGas input methodId status gasUsed effectiveGasPrice fee
      contractCreated { address isContract tokenSymbol }
      logs { logIndex address { address } topics data decoded { name standard params { name value } } }
      tokenTransfers { standard amount nftId token { tokenName tokenSymbol tokenDecimals } from { address } to { address } }
      merkleProof { verified root } } } }`;

  /** What the API must say about a tx: the node's transaction and receipt fields. */
  const expectedTx = ({ tx, receipt }: NodeTx) => ({
    __typename: "EvmTransaction", hash: tx.hash, height: Number(tx.blockNumber), position: Number(tx.transactionIndex), type: Number(tx.type ?? "0x0"),
    from: { address: checksum(tx.from) }, to: tx.to ? { address: checksum(tx.to) } : null, value: dec(tx.value), nonce: dec(tx.nonce), gas: dec(tx.gas),
    input: tx.input, status: Number(receipt.status), gasUsed: dec(receipt.gasUsed), effectiveGasPrice: dec(receipt.effectiveGasPrice),
    fee: (BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice!)).toString(), methodId: tx.input.length >= 10 ? tx.input.slice(0, 10) : null,
    verification: { transactionsRoot: true, receiptsRoot: true, pow: null },
  });

  it("shows an ERC-20 transfer as the node has it, with its log decoded, token metadata and a verified inclusion proof", async () => {
    const { transfer } = await devnetTxs();
    const { transaction: tx } = await data(TX, { h: transfer.tx.hash });
    expect(tx).toMatchObject({ ...expectedTx(transfer), contractCreated: null });
    expect(tx.merkleProof).toEqual({ verified: true, root: transfer.block.transactionsRoot });
    const log = transfer.receipt.logs[0];
    expect(tx.logs).toEqual([{
      logIndex: Number(log.logIndex), address: { address: checksum(log.address) }, topics: log.topics, data: log.data,
      decoded: { name: "Transfer", standard: "erc20", params: [
        { name: "from", value: `0x${log.topics[1]!.slice(26)}` }, { name: "to", value: `0x${log.topics[2]!.slice(26)}` }, { name: "value", value: BigInt(log.data).toString() },
      ] },
    }]);
    const call = (data: Hex) => rpc.call<Hex>("eth_call", [{ to: log.address, data }, "latest"]);
    const [name, symbol, decimals] = [abiString(await call("0x06fdde03")), abiString(await call("0x95d89b41")), Number(BigInt(await call("0x313ce567")))];
    expect(name).toBe("Chainproof Devnet Token");
    expect(tx.tokenTransfers).toEqual([{
      standard: 20, amount: BigInt(log.data).toString(), nftId: null, token: { tokenName: name, tokenSymbol: symbol, tokenDecimals: decimals },
      from: { address: checksum(`0x${log.topics[1]!.slice(26)}`) }, to: { address: checksum(`0x${log.topics[2]!.slice(26)}`) },
    }]);
  });

  it("keeps wei exact, reports reverts and contract creation, and proves every kind of tx", async () => {
    const { ether, reverted, deploy } = await devnetTxs();
    for (const t of [ether, reverted, deploy]) {
      const { transaction: tx } = await data(TX, { h: t.tx.hash });
      expect(tx).toMatchObject(expectedTx(t));
      expect(tx.merkleProof).toEqual({ verified: true, root: t.block.transactionsRoot });
      expect(tx.logs).toHaveLength(t.receipt.logs.length);
    }
    expect(BigInt(ether.tx.value)).toBeGreaterThan(0n);
    expect((await data(TX, { h: ether.tx.hash })).transaction).toMatchObject({ value: BigInt(ether.tx.value).toString(), input: "0x", methodId: null });
    expect((await data(TX, { h: reverted.tx.hash })).transaction).toMatchObject({ status: 0, logs: [], tokenTransfers: [] });
    expect((await data(TX, { h: deploy.tx.hash })).transaction).toMatchObject({
      to: null, contractCreated: { address: checksum(deploy.receipt.contractAddress), isContract: true, tokenSymbol: "CPT" },
    });
  });

  it("lists read no calldata: a block's txs show it when asked, loaded for all of them in one statement", async () => {
    const { all } = await devnetTxs();
    const counts = new Map<number, number>();
    for (const t of all) counts.set(Number(t.tx.blockNumber), (counts.get(Number(t.tx.blockNumber)) ?? 0) + 1);
    const [height] = [...counts].sort((a, b) => b[1] - a[1])[0];
    const q = (fields: string) => `{ block(chain: "${EVM}", height: ${height}) { transactions(first: 50) { edges { node { hash ${fields} } } } } }`;
    api.statements.reset();
    await data(q(""));
    const base = api.statements.count;
    expect(api.statements.log.filter((s) => /evm_tx/.test(s)).length).toBeGreaterThan(0);
    expect(api.statements.log.some((s) => /evm_tx/.test(s) && /"input"|"raw"/.test(s))).toBe(false);
    api.statements.reset();
    const d = await data(q("... on EvmTransaction { input methodId }"));
    expect(api.statements.count).toBe(base + 1);
    const byHash = new Map(all.map((t) => [t.tx.hash, t.tx.input]));
    expect(d.block.transactions.edges.length).toBe(counts.get(height));
    expect(d.block.transactions.edges.some((e: any) => e.node.input !== "0x")).toBe(true);
    for (const { node } of d.block.transactions.edges) {
      expect(node.input).toBe(byHash.get(node.hash));
      expect(node.methodId).toBe(node.input.length >= 10 ? node.input.slice(0, 10) : null);
    }
  });

  it("a block page and an address page read their txs' rows with the page, not by id afterwards", async () => {
    const { transfer } = await devnetTxs();
    const who = transfer.tx.from!.toLowerCase();
    const node = `node { hash ... on EvmTransaction { from { address } to { address } value fee status } }`;
    api.statements.reset();
    const b = await data(`{ block(chain: "${EVM}", height: ${Number(transfer.tx.blockNumber)}) { ... on EvmBlock { miner gasUsed } transactions(first: 25) { edges { ${node} } } } }`);
    expect(b.block.transactions.edges.map((e: any) => e.node.hash)).toContain(transfer.tx.hash);
    expect(api.statements.log.some((q) => /FROM evm_tx WHERE id/.test(q))).toBe(false);
    // Chain list, block, tx page with its rows, header, the from/to addresses.
    expect(api.statements.count).toBe(5);
    for (const dir of ["first", "last"]) {
      api.statements.reset();
      const a = await data(`{ address(chain: "${EVM}", address: "${who}") { txCount transactions(${dir}: 25) { edges { height ${node} } } } }`);
      expect(a.address.transactions.edges.map((e: any) => e.node.hash)).toContain(transfer.tx.hash);
      expect(api.statements.log.some((q) => /FROM evm_tx WHERE id/.test(q))).toBe(false);
      // Chain list, address, history with its txs, the from/to addresses.
      expect(api.statements.count).toBe(4);
    }
  });

  it("shows EVM blocks and addresses as the node has them", async () => {
    const block = await rpc.call<RpcBlock>("eth_getBlockByNumber", ["0x2", false]);
    const { transfer, all } = await devnetTxs();
    const who = transfer.tx.from!.toLowerCase();
    const d = await data(`{ block(chain: "${EVM}", height: 2) { __typename hash parentHash txCount verification { transactionsRoot receiptsRoot }
      ... on EvmBlock { miner gasUsed gasLimit baseFeePerGas transactionsRoot receiptsRoot stateRoot withdrawalsRoot extraData difficulty }
      transactions { edges { node { hash } } } }
      address(chain: "${EVM}", address: "${who}") { __typename address balance txCount transactions(first: 3) { edges { height roles node { hash } } pageInfo { hasNextPage } } } }`);
    expect(d.block).toMatchObject({
      __typename: "EvmBlock", hash: block.hash, parentHash: block.parentHash, txCount: block.transactions.length, verification: { transactionsRoot: true, receiptsRoot: true },
      miner: checksum(block.miner), gasUsed: dec(block.gasUsed), gasLimit: dec(block.gasLimit), baseFeePerGas: dec(block.baseFeePerGas),
      transactionsRoot: block.transactionsRoot, receiptsRoot: block.receiptsRoot, stateRoot: block.stateRoot, withdrawalsRoot: block.withdrawalsRoot ?? null,
      extraData: block.extraData, difficulty: dec(block.difficulty),
    });
    expect(d.block.transactions.edges.map((e: any) => e.node.hash)).toEqual(block.transactions);

    // The sender's balance is the node's at the tip; its history is newest first, every entry a tx the node
    // says touches it (as sender, recipient or in a log topic), with FROM on those it sent.
    const balance = await rpc.call<Hex>("eth_getBalance", [who, `0x${api.chains.evm!.tip.toString(16)}`]);
    const sent = Number(await rpc.call<Hex>("eth_getTransactionCount", [who, "latest"]));
    expect(d.address).toMatchObject({ __typename: "EvmAddress", address: checksum(who), balance: BigInt(balance).toString() });
    expect(d.address.txCount).toBeGreaterThanOrEqual(sent);
    const edges = d.address.transactions.edges;
    expect(edges).toHaveLength(3);
    expect(d.address.transactions.pageInfo.hasNextPage).toBe(true);
    const padded = `0x${"0".repeat(24)}${who.slice(2)}`;
    const byHash = new Map(all.map((t) => [t.tx.hash, t]));
    let last = Infinity;
    for (const e of edges) {
      const t = byHash.get(e.node.hash)!;
      const key = Number(t.tx.blockNumber) * 1e4 + Number(t.tx.transactionIndex);
      expect(key).toBeLessThan(last);
      last = key;
      expect(e.height).toBe(Number(t.tx.blockNumber));
      const touches = t.tx.from!.toLowerCase() === who || t.tx.to?.toLowerCase() === who || t.receipt.logs.some((l) => l.topics.includes(padded as Hex));
      expect(touches, e.node.hash).toBe(true);
      expect(e.roles.includes("FROM")).toBe(t.tx.from!.toLowerCase() === who);
    }
  });
});
