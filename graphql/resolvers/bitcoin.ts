// Bitcoin family types. Scripts, witnesses and sequences are parsed from the stored raw tx bytes (the rows keep
// only what queries filter or sum on); prevout values and addresses come from btc_input, spends from btc_output.
import type { BtcAddress, BtcInput, BtcOutput } from "../../generated/prisma/client";
import { parseTransaction, txid as txidOf, wtxid as wtxidOf, type Transaction as RawTx, type TxInput, type TxOutput } from "../../lib/bitcoin/codec";
import { bytesEqual, bytesToHex } from "../../lib/bytes";
import { hashPair, verifyMerkleProof } from "../../lib/bitcoin/merkle";
import type { GraphQLResolveInfo } from "graphql";
import { BlockTrees } from "../bitcoin/block-trees";
import { ioNeighboursWanted } from "../bitcoin/io-wants";
import { treeProof, treeRoot } from "../bitcoin/merkle-tree";
import { classifyScript, scriptToAsm } from "../../lib/bitcoin/script";
import { p2pkAddressEquivalent } from "../../lib/bitcoin/address";
import { addressLabel, network as networkParams, standardAddress } from "../bitcoin/script";
import { chainById, type BlockRow, type Context } from "../context";
import type { BtcTxRow as BtcTx } from "../sql";
import type { PageArgs } from "../pagination";
import { addressHistory } from "./address";
import { btcUtxos } from "./holdings";
import { txBlock } from "./block";
import { btcHex, verification } from "./common";

/** The tx's raw bytes: on its row when it was read by txid, else loaded by id (lists read rows without them). */
async function rawOf(ctx: Context, tx: BtcTx): Promise<Uint8Array> {
  const raw = tx.raw ?? (await ctx.loaders.btcTxRaw.load(tx.id));
  if (!raw) throw new Error(`btc_tx ${tx.id}: no raw bytes`);
  return raw;
}

// Parsing is cheap but a tx is touched by many field resolvers; rows are per-request objects, so a WeakMap
// caches for exactly one request.
const parsedCache = new WeakMap<BtcTx, Promise<RawTx>>();
function parsed(ctx: Context, tx: BtcTx): Promise<RawTx> {
  let p = parsedCache.get(tx);
  if (!p) parsedCache.set(tx, (p = rawOf(ctx, tx).then(parseTransaction)));
  return p;
}

const network = async (ctx: Context, chainId: number) => (await chainById(ctx, chainId)).network;

export const BitcoinBlock = {
  version: async (b: BlockRow, _: unknown, ctx: Context) => (await header(ctx, b)).version,
  merkleRoot: async (b: BlockRow, _: unknown, ctx: Context) => btcHex((await header(ctx, b)).merkleRoot),
  bits: async (b: BlockRow, _: unknown, ctx: Context) => ((await header(ctx, b)).bits >>> 0).toString(16).padStart(8, "0"),
  nonce: async (b: BlockRow, _: unknown, ctx: Context) => (await header(ctx, b)).nonce,
  strippedSize: async (b: BlockRow, _: unknown, ctx: Context) => (await header(ctx, b)).strippedSize,
  weight: async (b: BlockRow, _: unknown, ctx: Context) => (await header(ctx, b)).weight,
  // Core computes getblockstats for the active chain only; a stale block has none.
  stats: (b: BlockRow, _: unknown, ctx: Context) => (b.stale ? null : ctx.loaders.btcStats.load({ chainId: b.chainId, value: b.height })),
};

async function header(ctx: Context, b: BlockRow) {
  const h = await ctx.loaders.btcBlock.load({ chainId: b.chainId, value: b.hash });
  if (!h) throw new Error("btc_block row missing for a block");
  return h;
}

export const BitcoinTransaction = {
  chain: (t: BtcTx, _: unknown, ctx: Context) => chainById(ctx, t.chainId),
  hash: (t: BtcTx) => btcHex(t.txid),
  txid: (t: BtcTx) => btcHex(t.txid),
  wtxid: async (t: BtcTx, _: unknown, ctx: Context) => btcHex(wtxidOf(await parsed(ctx, t))),
  block: (t: BtcTx, _: unknown, ctx: Context) => txBlock(ctx, t, "bitcoin"),
  height: (t: BtcTx) => Number(t.height),
  verification: async (t: BtcTx, _: unknown, ctx: Context) => verification(await txBlock(ctx, t, "bitcoin")),
  txidMatchesRaw: async (t: BtcTx, _: unknown, ctx: Context) => bytesEqual(txidOf(await parsed(ctx, t)), t.txid),
  hex: async (t: BtcTx, _: unknown, ctx: Context) => bytesToHex(await rawOf(ctx, t)),
  inputs: async (t: BtcTx, _: unknown, ctx: Context, info: GraphQLResolveInfo): Promise<InputParent[]> => {
    const [{ inputs }, p] = await Promise.all([io(ctx, info).load(t.id), parsed(ctx, t)]);
    const rows = new Map(inputs.map((r) => [r.vin, r]));
    return p.inputs.map((p, vin) => ({ tx: t, vin, p, r: rows.get(vin) }));
  },
  outputs: async (t: BtcTx, _: unknown, ctx: Context, info: GraphQLResolveInfo): Promise<OutputParent[]> => {
    const [{ outputs }, p] = await Promise.all([io(ctx, info).load(t.id), parsed(ctx, t)]);
    const rows = new Map(outputs.map((r) => [r.vout, r]));
    return p.outputs.map((p, vout) => ({ tx: t, vout, p, r: rows.get(vout) }));
  },
  merkleProof: async (t: BtcTx, _: unknown, ctx: Context) => {
    const block = await txBlock(ctx, t, "bitcoin");
    const { tree, headerRoot, matches } = await blockTrees.get(t.chainId, block.hash);
    const proof = treeProof(tree, t.position);
    return {
      siblings: proof.siblings.map(btcHex),
      position: t.position,
      root: btcHex(treeRoot(tree)),
      // Fold from this tx's own txid (not the tree's leaf) up to the header's root, checking the tree's shape.
      verified: matches && verifyMerkleProof(t.txid, proof, headerRoot, { txCount: tree.leaves, hashPair }),
    };
  },
};

/** The inputs/outputs loader for this query: with the neighbour rows it will read joined in (bitcoin/io-wants.ts). */
const io = (ctx: Context, info: GraphQLResolveInfo) => ctx.loaders.btcIoWith(ioNeighboursWanted(info.operation, info.fragments));

/** Process-wide: a block's tree is built once, then a proof is log2(n) lookups (see bitcoin/block-trees.ts). */
const blockTrees = new BlockTrees();

interface InputParent { tx: BtcTx; vin: number; p: TxInput; r?: BtcInput }
interface OutputParent { tx: BtcTx; vout: number; p: TxOutput; r?: BtcOutput }

async function addressRow(ctx: Context, id: bigint | null | undefined) {
  return id == null ? null : ctx.loaders.btcAddress.load(id);
}

export const BitcoinInput = {
  isCoinbase: (i: InputParent) => i.tx.isCoinbase,
  prevTxid: (i: InputParent) => (i.tx.isCoinbase ? null : btcHex(i.p.prevTxid)),
  prevVout: (i: InputParent) => (i.tx.isCoinbase ? null : i.p.prevVout),
  prevTransaction: (i: InputParent, _: unknown, ctx: Context) => (i.r?.prevTxId != null ? ctx.loaders.btcTx.load(i.r.prevTxId) : null),
  value: (i: InputParent) => i.r?.value ?? 0n,
  address: async (i: InputParent, _: unknown, ctx: Context) => {
    const a = await addressRow(ctx, i.r?.addressId);
    return a ? standardAddress(a.script, await network(ctx, a.chainId)) : null;
  },
  addressLabel: async (i: InputParent, _: unknown, ctx: Context) => {
    const a = await addressRow(ctx, i.r?.addressId);
    return a ? addressLabel(a.script, await network(ctx, a.chainId)) : null;
  },
  addressSummary: (i: InputParent, _: unknown, ctx: Context) => addressRow(ctx, i.r?.addressId),
  scriptSigHex: (i: InputParent) => bytesToHex(i.p.scriptSig),
  // The coinbase "script" is arbitrary data, so Core shows it as hex only.
  scriptSigAsm: (i: InputParent) => (i.tx.isCoinbase ? "" : scriptToAsm(i.p.scriptSig, { sighashDecode: true })),
  witness: (i: InputParent) => i.p.witness.map(bytesToHex),
  sequence: (i: InputParent) => BigInt(i.p.sequence >>> 0),
  coinbaseHex: (i: InputParent) => (i.tx.isCoinbase ? bytesToHex(i.p.scriptSig) : null),
};

/** OP_RETURN payload as text when it is valid UTF-8 without control characters (other than whitespace). */
function printable(data: Uint8Array): string | null {
  if (data.length === 0) return null;
  try {
    const s = new TextDecoder("utf-8", { fatal: true }).decode(data);
    return /^[^\p{Cc}\p{Cn}\p{Co}]*$/u.test(s.replace(/[\n\r\t]/g, "")) ? s : null;
  } catch {
    return null;
  }
}

export const BitcoinOutput = {
  value: (o: OutputParent) => o.p.value,
  scriptType: (o: OutputParent) => classifyScript(o.p.scriptPubKey).type,
  scriptPubKeyHex: (o: OutputParent) => bytesToHex(o.p.scriptPubKey),
  scriptPubKeyAsm: (o: OutputParent) => scriptToAsm(o.p.scriptPubKey),
  address: async (o: OutputParent, _: unknown, ctx: Context) => standardAddress(o.p.scriptPubKey, await network(ctx, o.tx.chainId)),
  addressLabel: async (o: OutputParent, _: unknown, ctx: Context) =>
    classifyScript(o.p.scriptPubKey).type === "op_return" ? null : addressLabel(o.p.scriptPubKey, await network(ctx, o.tx.chainId)),
  pubkey: (o: OutputParent) => pubkeyOf(o.p.scriptPubKey),
  p2pkhEquivalent: async (o: OutputParent, _: unknown, ctx: Context) =>
    p2pkAddressEquivalent(o.p.scriptPubKey, networkParams(await network(ctx, o.tx.chainId))) ?? null,
  addressSummary: (o: OutputParent, _: unknown, ctx: Context) => addressRow(ctx, o.r?.addressId),
  opReturnHex: (o: OutputParent) => {
    const c = classifyScript(o.p.scriptPubKey);
    return c.type === "op_return" ? bytesToHex(c.data) : null;
  },
  opReturnText: (o: OutputParent) => {
    const c = classifyScript(o.p.scriptPubKey);
    return c.type === "op_return" ? printable(c.data) : null;
  },
  spentBy: (o: OutputParent): SpendParent | null =>
    o.r?.spentByTxId != null ? { txId: o.r.spentByTxId, vin: o.r.spentByVin!, height: Number(o.r.spentHeight) } : null,
};

interface SpendParent { txId: bigint; vin: number; height: number }

export const BitcoinSpend = {
  // A resolver of its own, not a promise in a property: the JIT executor reads plain properties as they are.
  transaction: (s: SpendParent, _: unknown, ctx: Context) => ctx.loaders.btcTx.load(s.txId),
};

/** An address row, or a zero summary for a valid address never seen on chain (id -1). */
export function emptyBtcAddress(chainId: number, script: Uint8Array): BtcAddress {
  return { id: -1n, chainId, script: script as Uint8Array<ArrayBuffer>, scriptType: 0, balance: 0n, received: 0n, sent: 0n, txCount: 0, utxoCount: 0, firstHeight: -1n, lastHeight: -1n };
}

function pubkeyOf(script: Uint8Array): string | null {
  const c = classifyScript(script);
  return c.type === "p2pk" ? bytesToHex(c.pubkey) : null;
}

export const BitcoinAddress = {
  chain: (a: BtcAddress, _: unknown, ctx: Context) => chainById(ctx, a.chainId),
  address: async (a: BtcAddress, _: unknown, ctx: Context) => addressLabel(a.script, await network(ctx, a.chainId)),
  pubkey: (a: BtcAddress) => pubkeyOf(a.script),
  scriptType: (a: BtcAddress) => classifyScript(a.script).type,
  scriptPubKeyHex: (a: BtcAddress) => bytesToHex(a.script),
  firstHeight: (a: BtcAddress) => (a.id < 0n ? null : Number(a.firstHeight)),
  lastHeight: (a: BtcAddress) => (a.id < 0n ? null : Number(a.lastHeight)),
  transactions: (a: BtcAddress, args: PageArgs, ctx: Context) => addressHistory(ctx, "bitcoin", a, args),
  utxos: (a: BtcAddress, args: { first?: number | null; after?: string | null }, ctx: Context) => btcUtxos(ctx, a, args),
};
