// Per-block statistics identical to Bitcoin Core's `getblockstats` (rpc/blockchain.cpp), computed from the
// parsed block and the outputs its inputs spend (what Core reads from the undo data).

import { reversedHex } from "../bytes";
import { type Block, blockHashHex, isCoinbase, txid, txSize, txWeight, type TxOutput, WITNESS_SCALE_FACTOR } from "./codec";
import { getNetwork, type Network, type NetworkName } from "./network";
import { compactSizeLength } from "./reader";
import { isUnspendable } from "./script";

/** An output being spent: its value (satoshis) and script, or only the script's length (all the stats need). */
export type Prevout = { value: bigint | number } & ({ scriptPubKey: Uint8Array } | { scriptSize: number });

export interface BlockStats {
  avgfee: number;
  avgfeerate: number;
  avgtxsize: number;
  blockhash: string;
  feerate_percentiles: [number, number, number, number, number];
  height: number;
  ins: number;
  maxfee: number;
  maxfeerate: number;
  maxtxsize: number;
  medianfee: number;
  /** Only when given: it needs the 11 previous headers. */
  mediantime?: number;
  mediantxsize: number;
  minfee: number;
  minfeerate: number;
  mintxsize: number;
  outs: number;
  subsidy: number;
  swtotal_size: number;
  swtotal_weight: number;
  swtxs: number;
  time: number;
  total_out: number;
  total_size: number;
  total_weight: number;
  totalfee: number;
  txs: number;
  utxo_increase: number;
  utxo_increase_actual: number;
  utxo_size_inc: number;
  utxo_size_inc_actual: number;
}

/** Core's PER_UTXO_OVERHEAD: sizeof(COutPoint) + sizeof(uint32_t) + sizeof(bool). */
export const PER_UTXO_OVERHEAD = 36 + 4 + 1;
const MAX_MONEY = 21_000_000 * 100_000_000;
const MAX_BLOCK_SERIALIZED_SIZE = 4_000_000;

export class MissingPrevoutError extends Error {
  override name = "MissingPrevoutError";
  constructor(
    readonly txid: string,
    readonly vout: number,
  ) {
    super(`prevout ${txid}:${vout} not found; stats need every spent output (index earlier blocks first, or pass them in)`);
  }
}

export function blockSubsidy(height: number, network: Network | NetworkName): number {
  const halvings = Math.floor(height / getNetwork(network).subsidyHalvingInterval);
  if (halvings >= 64) return 0;
  return Math.floor(50 * 100_000_000 / 2 ** halvings);
}

// The two mainnet blocks whose coinbase duplicated an earlier one (BIP30); Core leaves them out of UTXO counts.
const BIP30_REPEATS = new Set([
  "00000000000a4d0a398161ffc163c503763b1f4360639393e0e4c8e300e0caec",
  "00000000000743f190a18c5577a3c2d2a1f610ae9601ac046a38084ccb7cd721",
]);

function serializedOutputSize(o: { scriptPubKey: Uint8Array } | { scriptSize: number }): number {
  const n = "scriptSize" in o ? o.scriptSize : o.scriptPubKey.length;
  return 8 + compactSizeLength(n) + n;
}

/**
 * The prevouts of every input, indexed [txIndex][inputIndex] (empty for the coinbase). Outputs created earlier in
 * the same block are resolved here; `lookup` supplies the rest (txid as display hex).
 */
export function collectPrevouts(block: Block, lookup: (txid: string, vout: number) => Prevout | undefined): Prevout[][] {
  const inBlock = new Map<string, TxOutput[]>();
  return block.txs.map((tx, i) => {
    const result = i === 0 && isCoinbase(tx) ? [] : tx.inputs.map((input) => {
      const id = reversedHex(input.prevTxid);
      const out = inBlock.get(id)?.[input.prevVout] ?? lookup(id, input.prevVout);
      if (!out) throw new MissingPrevoutError(id, input.prevVout);
      return out;
    });
    inBlock.set(reversedHex(txid(tx)), tx.outputs);
    return result;
  });
}

function truncatedMedian(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 0 ? Math.trunc((values[mid - 1] + values[mid]) / 2) : values[mid];
}

/** Core's CalculatePercentilesByWeight: feerates at the 10/25/50/75/90th percentile of cumulative weight. */
function percentilesByWeight(scores: Array<[feerate: number, weight: number]>, totalWeight: number): BlockStats["feerate_percentiles"] {
  const result: BlockStats["feerate_percentiles"] = [0, 0, 0, 0, 0];
  if (scores.length === 0) return result;
  scores.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const marks = [totalWeight / 10, totalWeight / 4, totalWeight / 2, (totalWeight * 3) / 4, (totalWeight * 9) / 10];
  let next = 0;
  let cumulative = 0;
  for (const [feerate, weight] of scores) {
    cumulative += weight;
    while (next < 5 && cumulative >= marks[next]) result[next++] = feerate;
  }
  for (let i = next; i < 5; i++) result[i] = scores[scores.length - 1][0];
  return result;
}

export interface BlockStatsOptions {
  height: number;
  network: Network | NetworkName;
  /** [txIndex][inputIndex] -> the output spent (see collectPrevouts). */
  prevouts: readonly (readonly Prevout[])[];
  /** Median time past, if the caller has the previous 11 headers. */
  mediantime?: number;
}

export function blockStats(block: Block, opts: BlockStatsOptions): BlockStats {
  const hash = blockHashHex(block.header);
  const excludeFromUtxoCounts = opts.height === 0 || (getNetwork(opts.network).name === "mainnet" && BIP30_REPEATS.has(hash));
  let maxfee = 0, maxfeerate = 0, minfee = MAX_MONEY, minfeerate = MAX_MONEY;
  let totalOut = 0, totalfee = 0, inputs = 0, maxtxsize = 0, mintxsize = MAX_BLOCK_SERIALIZED_SIZE, outputs = 0;
  let swtotalSize = 0, swtotalWeight = 0, swtxs = 0, totalSize = 0, totalWeight = 0;
  let utxos = 0, utxoSizeInc = 0, utxoSizeIncActual = 0;
  const fees: number[] = [];
  const feerates: Array<[number, number]> = [];
  const sizes: number[] = [];

  block.txs.forEach((tx, i) => {
    outputs += tx.outputs.length;
    let txOut = 0;
    const coinbase = isCoinbase(tx);
    for (const out of tx.outputs) {
      txOut += Number(out.value);
      const size = serializedOutputSize(out) + PER_UTXO_OVERHEAD;
      utxoSizeInc += size;
      if (excludeFromUtxoCounts && coinbase) continue;
      if (isUnspendable(out.scriptPubKey)) continue;
      utxos++;
      utxoSizeIncActual += size;
    }
    if (coinbase) return;

    inputs += tx.inputs.length;
    totalOut += txOut;
    const size = txSize(tx);
    sizes.push(size);
    maxtxsize = Math.max(maxtxsize, size);
    mintxsize = Math.min(mintxsize, size);
    totalSize += size;
    const weight = txWeight(tx);
    totalWeight += weight;
    if (tx.hasWitness) {
      swtxs++;
      swtotalSize += size;
      swtotalWeight += weight;
    }

    const prevouts = opts.prevouts[i];
    if (!prevouts || prevouts.length !== tx.inputs.length) {
      throw new RangeError(`tx ${i} has ${tx.inputs.length} inputs but ${prevouts?.length ?? 0} prevouts were given`);
    }
    let txIn = 0;
    for (const p of prevouts) {
      txIn += Number(p.value);
      const size = serializedOutputSize(p) + PER_UTXO_OVERHEAD;
      utxoSizeInc -= size;
      utxoSizeIncActual -= size;
    }
    const fee = txIn - txOut;
    fees.push(fee);
    maxfee = Math.max(maxfee, fee);
    minfee = Math.min(minfee, fee);
    totalfee += fee;
    // sat/vbyte from weight, integer division as Core's CAmount arithmetic.
    const feerate = weight ? Math.trunc((fee * WITNESS_SCALE_FACTOR) / weight) : 0;
    feerates.push([feerate, weight]);
    maxfeerate = Math.max(maxfeerate, feerate);
    minfeerate = Math.min(minfeerate, feerate);
  });

  const nonCoinbase = block.txs.length - 1;
  const stats: BlockStats = {
    avgfee: nonCoinbase > 0 ? Math.trunc(totalfee / nonCoinbase) : 0,
    avgfeerate: totalWeight ? Math.trunc((totalfee * WITNESS_SCALE_FACTOR) / totalWeight) : 0,
    avgtxsize: nonCoinbase > 0 ? Math.trunc(totalSize / nonCoinbase) : 0,
    blockhash: hash,
    feerate_percentiles: percentilesByWeight(feerates, totalWeight),
    height: opts.height,
    ins: inputs,
    maxfee,
    maxfeerate,
    maxtxsize,
    medianfee: truncatedMedian(fees),
    mediantxsize: truncatedMedian(sizes),
    minfee: minfee === MAX_MONEY ? 0 : minfee,
    minfeerate: minfeerate === MAX_MONEY ? 0 : minfeerate,
    mintxsize: mintxsize === MAX_BLOCK_SERIALIZED_SIZE ? 0 : mintxsize,
    outs: outputs,
    subsidy: blockSubsidy(opts.height, opts.network),
    swtotal_size: swtotalSize,
    swtotal_weight: swtotalWeight,
    swtxs,
    time: block.header.time,
    total_out: totalOut,
    total_size: totalSize,
    total_weight: totalWeight,
    totalfee,
    txs: block.txs.length,
    utxo_increase: outputs - inputs,
    utxo_increase_actual: utxos - inputs,
    utxo_size_inc: utxoSizeInc,
    utxo_size_inc_actual: utxoSizeIncActual,
  };
  if (opts.mediantime !== undefined) stats.mediantime = opts.mediantime;
  return stats;
}

/** Median time past (Core's GetMedianTimePast) from up to the last 11 header times, ending with the block itself. */
export function medianTimePast(times: readonly number[]): number {
  const last = times.slice(-11).sort((a, b) => a - b);
  return last[Math.floor(last.length / 2)];
}
