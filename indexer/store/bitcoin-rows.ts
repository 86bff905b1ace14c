// Pure mapping of a batch of parsed blocks to the rows of btc_tx, btc_input and btc_output, with every input's
// prevout resolved from the batch itself where the batch created it. Inputs funded by earlier batches are left
// `pending` for bitcoin-prevouts.ts. It needs no database, so the engine builds a batch's rows while the previous
// batch commits; tx ids are allocated when the write starts (startWrite), in chain order.
import { isCoinbase } from "../../lib/bitcoin/codec";
import { isUnspendable, SCRIPT_TYPE_CODE, scriptType } from "../../lib/bitcoin/script";
import { makeId, type IdCounters } from "../engine/adapter";
import { FatalEngineError } from "../engine/errors";
import type { BitcoinBlock } from "../sources/bitcoin-block";
import { hexOf } from "./bitcoin-sql";
import { BytesIndex } from "./bytes-index";

export interface TxRow {
  /** Allocated by startWrite. */
  id: bigint;
  block: number;
  txid: Uint8Array;
  height: number;
  position: number;
  coinbase: boolean;
  outputCount: number;
  /** What the inputs spend: the batch's own outputs, plus (once resolved) earlier batches' outputs. */
  inputValue: bigint;
  /** The part of inputValue that spends outputs of this batch. */
  batchInputValue: bigint;
  outputValue: bigint;
}

export interface OutRow {
  tx: number;
  vout: number;
  value: bigint;
  scriptType: number;
  scriptPubKey: Uint8Array;
  /** Index into BatchRows.scripts; -1 for provably unspendable outputs, which have no address. */
  script: number;
  /** Index into BatchRows.txs of the tx of this batch that spends it. */
  spentByTx: number | null;
  spentVin: number | null;
  spentHeight: number | null;
}

/** Where an input's money came from. */
export type Prevout =
  | { kind: "batch"; out: number }
  | { kind: "db"; txId: bigint; vout: number; value: bigint; addrId: bigint; scriptSize: number };

export interface InRow {
  tx: number;
  vin: number;
  /** null for the coinbase input. */
  prev: Prevout | null;
  prevTxid: Uint8Array;
  prevVout: number;
}

export interface BatchRows {
  txs: TxRow[];
  outs: OutRow[];
  ins: InRow[];
  /** Distinct address scripts in order of first appearance (the array also identifies the batch), and the height each
   * first appears at. */
  scripts: Uint8Array[];
  scriptFirstHeight: number[];
  /** Script type code per script (a function of the script). */
  scriptTypes: number[];
  /** Index into `scripts` by script bytes. */
  scriptIndex: BytesIndex;
  /** Indexes into `ins` still to be resolved from the database. */
  pending: number[];
}

/** The batch spends one outpoint twice. Retrying cannot help. */
export class DoubleSpendError extends FatalEngineError {
  override readonly name = "DoubleSpendError";
}

const SCRIPT_CODE = SCRIPT_TYPE_CODE as Record<string, number>;

/** `slug` names the chain in errors. */
export function buildRows(blocks: BitcoinBlock[], slug: string): BatchRows {
  const txs: TxRow[] = [];
  const outs: OutRow[] = [];
  const ins: InRow[] = [];
  const scripts: Uint8Array[] = [];
  const scriptFirstHeight: number[] = [];
  const scriptTypes: number[] = [];
  const scriptIndex = new BytesIndex();
  const pending: number[] = [];
  // The batch's txs by txid: an input of the batch finds its output at firstOut + vout, one lookup per input
  // instead of a key per output. A repeated txid (BIP30's two duplicate coinbases) takes over, as in Core.
  const txByTxid = new BytesIndex();
  const firstOut: number[] = [];
  // Outpoints of earlier batches spent so far (keys only for those), so a second spend is caught.
  const spentEarlier = new BytesIndex();
  const doubleSpend = (b: BitcoinBlock, position: number, vin: number, prevTxid: Uint8Array, prevVout: number) =>
    new DoubleSpendError(`${slug}: block ${b.header.height} ${hexOf(b.header.hash.slice().reverse())} tx ${hexOf(b.txids[position].slice().reverse())} input ${vin} spends ${hexOf(prevTxid.slice().reverse())}:${prevVout}, which this batch already spent (a double spend). Nothing of this batch was written.`);

  for (let bi = 0; bi < blocks.length; bi++) {
    const b = blocks[bi];
    const height = b.header.height;
    const btxs = b.block.txs;
    for (let position = 0; position < btxs.length; position++) {
      const tx = btxs[position];
      const t = txs.length;
      const coinbase = position === 0 && isCoinbase(tx);
      let inputValue = 0n;
      for (let vin = 0; vin < tx.inputs.length; vin++) {
        const input = tx.inputs[vin];
        if (coinbase) {
          ins.push({ tx: t, vin, prev: null, prevTxid: input.prevTxid, prevVout: input.prevVout });
          continue;
        }
        const ft = txByTxid.get(input.prevTxid);
        if (ft >= 0 && input.prevVout < txs[ft].outputCount) {
          const o = firstOut[ft] + input.prevVout;
          const out = outs[o];
          if (out.spentByTx !== null) throw doubleSpend(b, position, vin, input.prevTxid, input.prevVout);
          out.spentByTx = t;
          out.spentVin = vin;
          out.spentHeight = height;
          inputValue += out.value;
          ins.push({ tx: t, vin, prev: { kind: "batch", out: o }, prevTxid: input.prevTxid, prevVout: input.prevVout });
        } else {
          if (spentEarlier.get(input.prevTxid, input.prevVout) >= 0) throw doubleSpend(b, position, vin, input.prevTxid, input.prevVout);
          spentEarlier.set(input.prevTxid, ins.length, input.prevVout);
          pending.push(ins.length);
          ins.push({ tx: t, vin, prev: null, prevTxid: input.prevTxid, prevVout: input.prevVout });
        }
      }
      let outputValue = 0n;
      txByTxid.set(b.txids[position], t);
      firstOut.push(outs.length);
      for (let vout = 0; vout < tx.outputs.length; vout++) {
        const output = tx.outputs[vout];
        const spk = output.scriptPubKey;
        let script = -1;
        const type = SCRIPT_CODE[scriptType(spk)];
        if (!isUnspendable(spk)) {
          script = scriptIndex.get(spk);
          if (script < 0) {
            script = scripts.length;
            scripts.push(spk);
            scriptFirstHeight.push(height);
            scriptTypes.push(type);
            scriptIndex.set(spk, script);
          }
        }
        outputValue += output.value;
        outs.push({ tx: t, vout, value: output.value, scriptType: type, scriptPubKey: spk, script, spentByTx: null, spentVin: null, spentHeight: null });
      }
      txs.push({ id: -1n, block: bi, txid: b.txids[position], height, position, coinbase, outputCount: tx.outputs.length, inputValue, batchInputValue: inputValue, outputValue });
    }
  }
  return { txs, outs, ins, scripts, scriptFirstHeight, scriptTypes, scriptIndex, pending };
}

/**
 * Readies rows (possibly built for an earlier, failed attempt) for a write: allocates tx ids from `ids` (mutating
 * it) in block, then position order, deterministic for a given chain, and forgets prevouts resolved from the database.
 */
export function startWrite(rows: BatchRows, ids: IdCounters): void {
  for (const t of rows.txs) {
    t.id = makeId(ids.chainId, ids.nextTxSeq++);
    t.inputValue = t.batchInputValue;
  }
  for (const i of rows.pending) rows.ins[i].prev = null;
}
