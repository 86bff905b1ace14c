// Argument parsing and value formatting shared by the resolvers. Every malformed argument becomes a
// BAD_USER_INPUT error that names the argument and says what was expected.
import { GraphQLScalarType, Kind } from "graphql";
import { bytesToHex, reversedHex } from "../../lib/bytes";
import { badInput } from "../errors";
import type { Block } from "../../generated/prisma/client";

const HASH64 = /^[0-9a-fA-F]{64}$/;

/** A Bitcoin block hash or txid in display order → internal byte order. */
export function parseBtcHash(s: string, arg: string): Uint8Array {
  if (!HASH64.test(s)) throw badInput(`${arg}: expected 64 hex characters (a Bitcoin hash in display order), got "${s.slice(0, 80)}"`, { argument: arg });
  return Uint8Array.from(Buffer.from(s, "hex").reverse());
}

/** An EVM block or tx hash, 0x-prefixed (the prefix is optional on input). */
export function parseEvmHash(s: string, arg: string): Uint8Array {
  const h = s.startsWith("0x") || s.startsWith("0X") ? s.slice(2) : s;
  if (!HASH64.test(h)) throw badInput(`${arg}: expected a 32-byte hash as 0x + 64 hex characters, got "${s.slice(0, 80)}"`, { argument: arg });
  return Uint8Array.from(Buffer.from(h, "hex"));
}

export function parseHeight(n: number, arg = "height"): bigint {
  if (!Number.isInteger(n) || n < 0) throw badInput(`${arg} must be a non-negative integer (got ${n})`, { argument: arg });
  return BigInt(n);
}

export const btcHex = (b: Uint8Array) => reversedHex(b);
export const evmHex = (b: Uint8Array) => `0x${bytesToHex(b)}`;

/** Decimal-ish values from Prisma (bigint, Decimal, number) → exact decimal string. */
export function exact(v: unknown): string {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) throw new TypeError(`inexact integer ${v}`);
    return String(v);
  }
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && "toFixed" in v) return (v as { toFixed(): string }).toFixed();
  throw new TypeError(`not an integer value: ${String(v)}`);
}

export const BigIntScalar = new GraphQLScalarType({
  name: "BigInt",
  description: "An integer of any size as an exact decimal string.",
  serialize: (v) => exact(v),
  parseValue: (v) => {
    if (typeof v !== "string" || !/^-?\d{1,80}$/.test(v)) throw badInput("BigInt: expected a decimal string");
    return BigInt(v);
  },
  parseLiteral: (ast) => {
    if ((ast.kind === Kind.STRING || ast.kind === Kind.INT) && /^-?\d{1,80}$/.test(ast.value)) return BigInt(ast.value);
    throw badInput("BigInt: expected a decimal string");
  },
});

export const UnixTimeScalar = new GraphQLScalarType({
  name: "UnixTime",
  description: "Seconds since the Unix epoch, as a JSON number.",
  serialize: (v) => Number(v as bigint | number),
});

/** Verification flags from block.checks: true when the named check ran and passed, null when it was not run. */
export function verification(block: Pick<Block, "checks">) {
  const checks = block.checks ?? [];
  const has = (name: string) => (checks.includes(name) ? true : null);
  return {
    checks,
    headerHash: has("headerHash"),
    pow: has("pow"),
    prevHash: has("prevHash") ?? has("parentHash"),
    merkleRoot: has("merkleRoot"),
    witnessCommitment: has("witnessCommitment"),
    transactionsRoot: has("transactionsRoot"),
    receiptsRoot: has("receiptsRoot"),
    withdrawalsRoot: has("withdrawalsRoot"),
    logsBloom: has("logsBloom"),
    txHashes: has("txHashes"),
  };
}
