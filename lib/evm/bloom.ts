// 2048-bit log bloom (Yellow Paper §4.3.1): for the address and each topic of every log, take
// keccak256(item) and set the three bits named by its byte pairs 0-1, 2-3, 4-5 (mod 2048). Bit b lives
// in byte 255 - b/8 because the bloom is one big-endian number.

import { keccak256 } from "./keccak";
import { address, hash32 } from "./fields";
import type { RpcLog } from "./types";

export const BLOOM_BYTES = 256;

export function addToBloom(bloom: Uint8Array, item: Uint8Array): void {
  const h = keccak256(item);
  for (let i = 0; i < 6; i += 2) {
    const bit = ((h[i] << 8) | h[i + 1]) & 2047;
    bloom[BLOOM_BYTES - 1 - (bit >> 3)] |= 1 << (bit & 7);
  }
}

// The same few addresses and topics (Transfer, WETH, …) recur in almost every log, and keccak is the
// expensive part, so the three bit positions are memoised by hex. Bounded: cleared when full.
const MEMO_LIMIT = 65536;
const memo = new Map<string, number>();

function bloomBits(hex: string, bytes: () => Uint8Array): number {
  const key = hex.toLowerCase();
  let packed = memo.get(key);
  if (packed === undefined) {
    const h = keccak256(bytes());
    packed = 0;
    for (let i = 0; i < 6; i += 2) packed = packed * 2048 + (((h[i] << 8) | h[i + 1]) & 2047);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, packed);
  }
  return packed;
}

function setBits(bloom: Uint8Array, packed: number): void {
  for (let k = 0; k < 3; k++) {
    const bit = packed % 2048;
    packed = Math.floor(packed / 2048);
    bloom[BLOOM_BYTES - 1 - (bit >> 3)] |= 1 << (bit & 7);
  }
}

export function logsBloom(logs: readonly RpcLog[]): Uint8Array {
  const bloom = new Uint8Array(BLOOM_BYTES);
  logs.forEach((log, i) => {
    setBits(bloom, bloomBits(log.address, () => address(log.address, `logs[${i}].address`)));
    log.topics.forEach((t, j) => setBits(bloom, bloomBits(t, () => hash32(t, `logs[${i}].topics[${j}]`))));
  });
  return bloom;
}

/** The header's bloom is the OR of its receipts' blooms. */
export function orBlooms(blooms: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(BLOOM_BYTES);
  for (const b of blooms) for (let i = 0; i < BLOOM_BYTES; i++) out[i] |= b[i];
  return out;
}

/** May the bloom contain this address/topic? (false = certainly not; true = maybe). */
export function bloomMayContain(bloom: Uint8Array, item: Uint8Array): boolean {
  const probe = new Uint8Array(BLOOM_BYTES);
  addToBloom(probe, item);
  for (let i = 0; i < BLOOM_BYTES; i++) if ((probe[i] & bloom[i]) !== probe[i]) return false;
  return true;
}
