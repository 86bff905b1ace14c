// Proof of work: nBits <-> target (Core's arith_uint256 SetCompact/GetCompact), the hash <= target check,
// chain work, and the every-2016-blocks retarget. No hashing here: callers pass the header hash.

import type { Network } from "./network";

export interface DecodedBits {
  /** The target with the sign bit ignored (what bitcoinjs and most explorers show). */
  target: bigint;
  /** Sign bit set on a non-zero mantissa: Core rejects such bits. */
  negative: boolean;
  /** Target does not fit in 256 bits: Core rejects such bits. */
  overflow: boolean;
}

export function decodeBits(bits: number): DecodedBits {
  const size = bits >>> 24;
  const word = bits & 0x007fffff;
  const target = size <= 3 ? BigInt(word >>> (8 * (3 - size))) : BigInt(word) << BigInt(8 * (size - 3));
  const negative = word !== 0 && (bits & 0x00800000) !== 0;
  const overflow = word !== 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
  return { target, negative, overflow };
}

export class InvalidBitsError extends Error {
  override name = "InvalidBitsError";
  constructor(
    readonly bits: number,
    readonly reason: string,
  ) {
    super(`nBits 0x${bits.toString(16).padStart(8, "0")} is invalid: ${reason}. The header is corrupt or from another network; check the --network setting.`);
  }
}

/** Why bits are unusable as a target, or undefined when they are fine. */
export function bitsProblem(bits: number, network?: Network): string | undefined {
  const d = decodeBits(bits);
  if (d.negative) return "negative target (sign bit set)";
  if (d.overflow) return "target overflows 256 bits";
  if (d.target === 0n) return "zero target";
  if (network && d.target > network.powLimit) return `target above ${network.name} powLimit`;
  return undefined;
}

/** Target for nBits; throws InvalidBitsError on negative, overflowing, zero, or (given a network) above-powLimit targets. */
export function targetFromBits(bits: number, network?: Network): bigint {
  const problem = bitsProblem(bits, network);
  if (problem) throw new InvalidBitsError(bits, problem);
  return decodeBits(bits).target;
}

/** Compact encoding of a target (Core's GetCompact). */
export function bitsFromTarget(target: bigint): number {
  let size = target === 0n ? 0 : Math.ceil(target.toString(16).length / 2);
  let compact = size <= 3 ? Number(target << BigInt(8 * (3 - size))) : Number(target >> BigInt(8 * (size - 3)));
  // The mantissa's top bit is the sign; shift into the next byte instead.
  if (compact & 0x00800000) {
    compact >>>= 8;
    size++;
  }
  return ((size << 24) | compact) >>> 0;
}

/** A hash in internal (little-endian) byte order as a number. */
export function hashToBigInt(hash: Uint8Array): bigint {
  let hex = "";
  for (let i = hash.length - 1; i >= 0; i--) hex += (hash[i] < 16 ? "0" : "") + hash[i].toString(16);
  return BigInt("0x" + (hex || "0"));
}

export interface PowResult {
  ok: boolean;
  target?: bigint;
  /** Why it failed. */
  reason?: string;
}

/** Core's CheckProofOfWork: valid bits within powLimit, and hash <= target. `hash` in internal byte order. */
export function checkProofOfWork(hash: Uint8Array, bits: number, network: Network): PowResult {
  const problem = bitsProblem(bits, network);
  if (problem) return { ok: false, reason: problem };
  const target = decodeBits(bits).target;
  if (hashToBigInt(hash) > target) return { ok: false, target, reason: "hash above target" };
  return { ok: true, target };
}

const TWO_256 = 1n << 256n;

/** Expected number of hashes to find a block at these bits (Core's GetBlockProof); 0 for invalid bits. */
export function blockWork(bits: number): bigint {
  const d = decodeBits(bits);
  if (d.negative || d.overflow || d.target === 0n) return 0n;
  return TWO_256 / (d.target + 1n);
}

export interface RetargetHeader {
  time: number;
  bits: number;
}

/**
 * nBits required at a retarget height h (h % 2016 == 0), from the first header of the closing period (h-2016)
 * and the last one (h-1). Core's CalculateNextWorkRequired, including its off-by-one (the period measured over 2015 gaps).
 */
export function expectedBits(periodStart: RetargetHeader, prev: RetargetHeader, network: Network): number {
  if (network.noRetargeting) return prev.bits;
  const span = network.targetTimespan;
  let actual = prev.time - periodStart.time;
  if (actual < span / 4) actual = span / 4;
  if (actual > span * 4) actual = span * 4;
  // BIP94 (testnet4): start from the period's first block, which cannot use the min-difficulty exception.
  let target = decodeBits(network.enforceBIP94 ? periodStart.bits : prev.bits).target;
  target = (target * BigInt(actual)) / BigInt(span);
  if (target > network.powLimit) target = network.powLimit;
  return bitsFromTarget(target);
}

export interface HeaderBitsMismatch {
  height: number;
  expected: number;
  got: number;
}

/**
 * Check nBits along consecutive headers starting at `firstHeight`: at each retarget height with the whole previous
 * period present, bits must equal expectedBits; elsewhere bits must equal the previous header's (except on testnets,
 * whose 20-minute min-difficulty rule needs more history than this and is not checked). Returns the mismatches.
 */
export function checkHeaderBits(headers: RetargetHeader[], firstHeight: number, network: Network): HeaderBitsMismatch[] {
  const bad: HeaderBitsMismatch[] = [];
  const interval = network.retargetInterval;
  for (let i = 1; i < headers.length; i++) {
    const height = firstHeight + i;
    let expected: number | undefined;
    if (height % interval === 0) {
      if (i >= interval) expected = expectedBits(headers[i - interval], headers[i - 1], network);
    } else if (!network.allowMinDifficultyBlocks) {
      expected = headers[i - 1].bits;
    }
    if (expected !== undefined && expected !== headers[i].bits) bad.push({ height, expected, got: headers[i].bits });
  }
  return bad;
}

export function bitsHex(bits: number): string {
  return "0x" + bits.toString(16).padStart(8, "0");
}
