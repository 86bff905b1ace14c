// Bitcoin block and transaction (de)serialization, legacy and segwit (BIP144).
// Parsing keeps views into the input (scripts, witness items, each tx's raw bytes) instead of copying,
// and records where the witness section sits so txid/wtxid/weight come from byte ranges, not re-serialization.

import { reversedHex } from "../bytes";
import { BitcoinDecodeError } from "./errors";
import { sha256d, sha256dParts } from "./hash";
import { type BlockHeader, HEADER_SIZE, readHeader, serializeHeader } from "./header";
import { ByteReader, compactSizeLength, writeCompactSize } from "./reader";

export { type BlockHeader, HEADER_SIZE, parseHeader, readHeader, serializeHeader } from "./header";

export const WITNESS_SCALE_FACTOR = 4;

export interface TxInput {
  /** 32 bytes, internal byte order. */
  prevTxid: Uint8Array;
  prevVout: number;
  scriptSig: Uint8Array;
  sequence: number;
  /** Witness stack items; empty when the input has none. */
  witness: Uint8Array[];
}

export interface TxOutput {
  /** Satoshis; bigint because the wire format is 64-bit and garbage must round-trip exactly. */
  value: bigint;
  scriptPubKey: Uint8Array;
}

export interface Transaction {
  version: number;
  inputs: TxInput[];
  outputs: TxOutput[];
  locktime: number;
  /** Serialized with BIP144 marker/flag and a witness section. */
  hasWitness: boolean;
  /** The transaction's bytes as read (a view into the block). */
  raw: Uint8Array;
  /** [witnessStart, witnessEnd) offsets of the witness section within raw; both 0 when there is none. */
  witnessStart: number;
  witnessEnd: number;
}

export interface Block {
  header: BlockHeader;
  txs: Transaction[];
  /** Exactly the block's bytes (a view into the input). */
  raw: Uint8Array;
  /** Bytes that followed the block in the buffer given to parseBlock; a valid block file has none. */
  trailingBytes: number;
}

// ---------------------------------------------------------------- parsing

function readInputs(r: ByteReader): TxInput[] {
  const n = r.count("tx input count", 41);
  const inputs = new Array<TxInput>(n);
  for (let i = 0; i < n; i++) {
    const prevTxid = r.take(32, "input prevout txid");
    const prevVout = r.u32("input prevout index");
    const scriptSig = r.varBytes("input scriptSig");
    const sequence = r.u32("input sequence");
    inputs[i] = { prevTxid, prevVout, scriptSig, sequence, witness: NO_WITNESS };
  }
  return inputs;
}

function readOutputs(r: ByteReader): TxOutput[] {
  const n = r.count("tx output count", 9);
  const outputs = new Array<TxOutput>(n);
  for (let i = 0; i < n; i++) {
    const value = r.u64("output value");
    outputs[i] = { value, scriptPubKey: r.varBytes("output scriptPubKey") };
  }
  return outputs;
}

// Shared empty stack: most inputs of most blocks have none, and it is never mutated.
const NO_WITNESS: Uint8Array[] = Object.freeze([]) as unknown as Uint8Array[];

/** Read one transaction at the reader's position, following Core's UnserializeTransaction exactly. */
export function readTransaction(r: ByteReader): Transaction {
  const start = r.pos;
  const version = r.i32("tx version");
  let inputs = readInputs(r);
  let outputs: TxOutput[] = [];
  let flags = 0;
  if (inputs.length === 0) {
    // Empty vin is the BIP144 marker; the next byte is the flag.
    const flagPos = r.pos;
    flags = r.u8("segwit flag");
    if (flags !== 0) {
      inputs = readInputs(r);
      outputs = readOutputs(r);
    }
    if (flags !== 0 && (flags & 1) === 0) throw new BitcoinDecodeError("segwit flag", flagPos, `unknown optional data flag ${flags}`);
  } else {
    outputs = readOutputs(r);
  }
  let witnessStart = 0;
  let witnessEnd = 0;
  if (flags & 1) {
    witnessStart = r.pos - start;
    let any = false;
    for (const input of inputs) {
      const items = r.count("witness item count", 1);
      if (items === 0) continue;
      const stack = new Array<Uint8Array>(items);
      for (let j = 0; j < items; j++) stack[j] = r.varBytes("witness item");
      input.witness = stack;
      any = true;
    }
    witnessEnd = r.pos - start;
    if (!any) throw new BitcoinDecodeError("witness", start + witnessStart, "superfluous witness record (segwit serialization with all witnesses empty)");
    if (flags !== 1) throw new BitcoinDecodeError("segwit flag", start + 5, `unknown optional data flag ${flags}`);
  }
  const locktime = r.u32("tx locktime");
  return { version, inputs, outputs, locktime, hasWitness: witnessEnd > 0, raw: r.bytes.subarray(start, r.pos), witnessStart, witnessEnd };
}

/** Parse exactly one transaction; trailing bytes are an error. */
export function parseTransaction(bytes: Uint8Array): Transaction {
  const r = new ByteReader(bytes);
  const tx = readTransaction(r);
  if (r.remaining !== 0) throw new BitcoinDecodeError("transaction", r.pos, `${r.remaining} trailing bytes after the transaction`);
  return tx;
}

/** Read one block at the reader's position. */
export function readBlock(r: ByteReader): Block {
  const start = r.pos;
  const header = readHeader(r);
  const n = r.count("block tx count", 10);
  const txs = new Array<Transaction>(n);
  for (let i = 0; i < n; i++) txs[i] = readTransaction(r);
  return { header, txs, raw: r.bytes.subarray(start, r.pos), trailingBytes: r.bytes.length - r.pos };
}

/** Parse a serialized block. Bytes after it are not an error here: they are counted in trailingBytes (verifyBlock's `size` check fails on them). */
export function parseBlock(bytes: Uint8Array): Block {
  return readBlock(new ByteReader(bytes));
}

// ---------------------------------------------------------------- hashes and sizes

export function blockHash(header: BlockHeader): Uint8Array {
  return sha256d(header.raw);
}

/** Block hash as shown by explorers and RPC (byte-reversed hex). */
export function blockHashHex(header: BlockHeader): string {
  return reversedHex(sha256d(header.raw));
}

/** txid: hash of the serialization without marker, flag and witnesses, taken from the raw byte ranges. */
export function txid(tx: Transaction): Uint8Array {
  if (!tx.hasWitness) return sha256d(tx.raw);
  const raw = tx.raw;
  return sha256dParts(raw.subarray(0, 4), raw.subarray(6, tx.witnessStart), raw.subarray(tx.witnessEnd));
}

/** wtxid (BIP141): hash of the full serialization; equals txid for transactions without witness. */
export function wtxid(tx: Transaction): Uint8Array {
  return tx.hasWitness ? sha256d(tx.raw) : txid(tx);
}

export function txidHex(tx: Transaction): string {
  return reversedHex(txid(tx));
}

/** Total serialized size including witness (Core's GetTotalSize, `size` in RPC). */
export function txSize(tx: Transaction): number {
  return tx.raw.length;
}

/** Size without marker, flag and witnesses. */
export function txStrippedSize(tx: Transaction): number {
  return tx.hasWitness ? tx.raw.length - 2 - (tx.witnessEnd - tx.witnessStart) : tx.raw.length;
}

export function txWeight(tx: Transaction): number {
  return txStrippedSize(tx) * (WITNESS_SCALE_FACTOR - 1) + tx.raw.length;
}

export function txVsize(tx: Transaction): number {
  return Math.ceil(txWeight(tx) / WITNESS_SCALE_FACTOR);
}

export function blockSize(block: Block): number {
  return block.raw.length;
}

export function blockStrippedSize(block: Block): number {
  let witnessBytes = 0;
  for (const tx of block.txs) if (tx.hasWitness) witnessBytes += 2 + tx.witnessEnd - tx.witnessStart;
  return block.raw.length - witnessBytes;
}

export function blockWeight(block: Block): number {
  return blockStrippedSize(block) * (WITNESS_SCALE_FACTOR - 1) + block.raw.length;
}

// ---------------------------------------------------------------- coinbase

export function isCoinbase(tx: Transaction): boolean {
  if (tx.inputs.length !== 1) return false;
  const input = tx.inputs[0];
  if (input.prevVout !== 0xffffffff) return false;
  for (let i = 0; i < 32; i++) if (input.prevTxid[i] !== 0) return false;
  return true;
}

/**
 * The number the coinbase scriptSig starts with (BIP34 height). Only meaningful from the network's BIP34
 * activation height on; earlier coinbases start with arbitrary pushes. undefined when the first op is not a number.
 */
export function coinbaseHeight(tx: Transaction): number | undefined {
  const s = tx.inputs[0]?.scriptSig;
  if (!s || s.length === 0) return undefined;
  const op = s[0];
  if (op === 0x00) return 0;
  if (op >= 0x51 && op <= 0x60) return op - 0x50;
  if (op < 1 || op > 8 || s.length < 1 + op) return undefined;
  let n = 0;
  for (let i = op; i >= 1; i--) n = n * 256 + (i === op ? s[i] & 0x7f : s[i]);
  return s[op] & 0x80 ? -n : n;
}

/** The scriptSig prefix BIP34 requires: `CScript() << height` (OP_0/OP_1..OP_16 or a minimal LE push). */
export function bip34Prefix(height: number): Uint8Array {
  if (height === 0) return Uint8Array.of(0x00);
  if (height >= 1 && height <= 16) return Uint8Array.of(0x50 + height);
  const bytes: number[] = [];
  let n = Math.abs(height);
  while (n > 0) {
    bytes.push(n & 0xff);
    n = Math.floor(n / 256);
  }
  if (bytes[bytes.length - 1] & 0x80) bytes.push(height < 0 ? 0x80 : 0);
  else if (height < 0) bytes[bytes.length - 1] |= 0x80;
  return Uint8Array.from([bytes.length, ...bytes]);
}

// ---------------------------------------------------------------- serialization

function txSerializedSize(tx: Transaction, witness: boolean): number {
  const w = witness && tx.hasWitness;
  let n = 8 + compactSizeLength(tx.inputs.length) + compactSizeLength(tx.outputs.length) + (w ? 2 : 0);
  for (const i of tx.inputs) {
    n += 40 + compactSizeLength(i.scriptSig.length) + i.scriptSig.length;
    if (w) {
      n += compactSizeLength(i.witness.length);
      for (const item of i.witness) n += compactSizeLength(item.length) + item.length;
    }
  }
  for (const o of tx.outputs) n += 8 + compactSizeLength(o.scriptPubKey.length) + o.scriptPubKey.length;
  return n;
}

function writeTx(tx: Transaction, witness: boolean, out: Uint8Array, view: DataView, pos: number): number {
  const w = witness && tx.hasWitness;
  view.setInt32(pos, tx.version, true);
  pos += 4;
  if (w) {
    out[pos++] = 0x00;
    out[pos++] = 0x01;
  }
  pos = writeCompactSize(out, pos, tx.inputs.length);
  for (const i of tx.inputs) {
    out.set(i.prevTxid, pos);
    view.setUint32(pos + 32, i.prevVout, true);
    pos = writeCompactSize(out, pos + 36, i.scriptSig.length);
    out.set(i.scriptSig, pos);
    pos += i.scriptSig.length;
    view.setUint32(pos, i.sequence, true);
    pos += 4;
  }
  pos = writeCompactSize(out, pos, tx.outputs.length);
  for (const o of tx.outputs) {
    view.setBigUint64(pos, o.value, true);
    pos = writeCompactSize(out, pos + 8, o.scriptPubKey.length);
    out.set(o.scriptPubKey, pos);
    pos += o.scriptPubKey.length;
  }
  if (w) {
    for (const i of tx.inputs) {
      pos = writeCompactSize(out, pos, i.witness.length);
      for (const item of i.witness) {
        pos = writeCompactSize(out, pos, item.length);
        out.set(item, pos);
        pos += item.length;
      }
    }
  }
  view.setUint32(pos, tx.locktime, true);
  return pos + 4;
}

/** Serialize from the fields (not from raw). witness=false gives the stripped (txid) serialization. */
export function serializeTransaction(tx: Transaction, opts: { witness?: boolean } = {}): Uint8Array {
  const witness = opts.witness ?? true;
  const out = new Uint8Array(txSerializedSize(tx, witness));
  writeTx(tx, witness, out, new DataView(out.buffer), 0);
  return out;
}

/** Serialize a block from its fields. */
export function serializeBlock(block: Pick<Block, "header" | "txs">, opts: { witness?: boolean } = {}): Uint8Array {
  const witness = opts.witness ?? true;
  let size = HEADER_SIZE + compactSizeLength(block.txs.length);
  for (const tx of block.txs) size += txSerializedSize(tx, witness);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(serializeHeader(block.header), 0);
  let pos = writeCompactSize(out, HEADER_SIZE, block.txs.length);
  for (const tx of block.txs) pos = writeTx(tx, witness, out, view, pos);
  return out;
}
