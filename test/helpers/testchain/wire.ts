// JSON wire format of the test chain's RPC: hashes as hex, transactions as [from, to, value, nonce].
import { bytesToHex, hexToBytes } from "../../../lib/bytes";
import type { TcBlock } from "./chain";

export interface WireBlock {
  height: number;
  hash: string;
  parentHash: string;
  time: number;
  txCount: number;
  size: number;
  txRoot: string;
  txs: [number, number, number, number][];
}

export function toWire(b: TcBlock): WireBlock {
  const h = b.header;
  return {
    height: h.height, hash: bytesToHex(h.hash), parentHash: bytesToHex(h.parentHash), time: h.time, txCount: h.txCount, size: h.size,
    txRoot: bytesToHex(b.txRoot), txs: b.txs.map((t) => [t.from, t.to, t.value, t.nonce]),
  };
}

/** Decodes a block from the wire; throws on anything malformed (a truncated or garbled response is retried). */
export function fromWire(w: WireBlock): TcBlock {
  if (typeof w?.height !== "number" || !Array.isArray(w.txs)) throw new TypeError("malformed block in RPC response");
  return {
    header: { height: w.height, hash: hexToBytes(w.hash), parentHash: hexToBytes(w.parentHash), time: w.time, txCount: w.txCount, size: w.size },
    txRoot: hexToBytes(w.txRoot),
    txs: w.txs.map(([from, to, value, nonce]) => ({ from, to, value, nonce })),
  };
}
