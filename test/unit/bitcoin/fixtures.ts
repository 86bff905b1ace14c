// Loads test/fixtures/chaindata/bitcoin: every block listed in index.json, with its bytes and expected values.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { blockHashHex, parseBlock } from "../../../lib/bitcoin/codec";
import type { NetworkName } from "../../../lib/bitcoin/network";
import { hexToBytes } from "../../../lib/bytes";

export const FIXTURE_DIR = fileURLToPath(new URL("../../fixtures/chaindata/bitcoin/", import.meta.url));

export function readFixture(rel: string): Uint8Array {
  const b = readFileSync(FIXTURE_DIR + rel);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function readFixtureText(rel: string): string {
  return readFileSync(FIXTURE_DIR + rel, "utf8");
}

export function readFixtureJson<T = any>(rel: string): T {
  return JSON.parse(readFixtureText(rel)) as T;
}

export interface IndexRecord {
  file: string;
  offset: number | null;
  network?: string;
  hash: string;
  prev: string;
  merkle_root: string;
  bip34_height: number | null;
  time: number;
  bits: string;
  tx_count: number;
  segwit_tx_count: number;
  size: number;
  pow_ok: boolean;
  merkle_ok: boolean;
  witness_commitment: boolean | null;
  note: string;
}

export interface FixtureBlock {
  record: IndexRecord;
  bytes: Uint8Array;
  network: NetworkName;
}

export const index: IndexRecord[] = readFixtureJson<IndexRecord[]>("index.json");

/** Synthetic btcd blocks are mined at mainnet's powLimit, so they verify as mainnet. */
function networkOf(r: IndexRecord): NetworkName {
  return r.network === "testnet3" ? "testnet3" : r.network === "regtest" ? "regtest" : "mainnet";
}

let cache: FixtureBlock[] | undefined;

/** Every block in index.json (1,533), with the exact bytes of that block. */
export function allFixtureBlocks(): FixtureBlock[] {
  if (cache) return cache;
  const jsonBlocks = new Map<string, Uint8Array>();
  const core = readFixtureJson<{ blocks: string[] }>("bitcoin-core/rpc_getblockstats.json");
  const js = readFixtureJson<{ valid: Array<{ hex: string }> }>("bitcoinjs-lib/block.json");
  for (const hex of [...core.blocks, ...js.valid.map((v) => v.hex)]) {
    const bytes = hexToBytes(hex);
    if (bytes.length <= 80) continue; // headers-only fixtures
    const b = parseBlock(bytes);
    if (b.trailingBytes === 0 && b.txs.length > 0) jsonBlocks.set(blockHashHex(b.header), bytes);
  }
  const files = new Map<string, Uint8Array>();
  const file = (rel: string) => {
    let b = files.get(rel);
    if (!b) {
      b = rel.endsWith(".hex") ? hexToBytes(readFixtureText(rel).trim()) : readFixture(rel);
      files.set(rel, b);
    }
    return b;
  };
  cache = index
    .filter((r) => r.network !== undefined)
    .map((record) => {
      let bytes: Uint8Array;
      if (record.file.endsWith(".json")) bytes = jsonBlocks.get(record.hash)!;
      else if (record.offset !== null) bytes = file(record.file).subarray(record.offset + 8, record.offset + 8 + record.size);
      else bytes = file(record.file);
      if (!bytes) throw new Error(`fixture bytes for ${record.file} ${record.hash} not found`);
      return { record, bytes, network: networkOf(record) };
    });
  return cache;
}

export function fixtureBlock(hash: string): FixtureBlock {
  const b = allFixtureBlocks().find((x) => x.record.hash === hash);
  if (!b) throw new Error(`no fixture block ${hash}`);
  return b;
}

export const HASH_702861 = "000000000000000000000c835b2adcaedc20fdf6ee440009c249452c726dafae";
export const HASH_574200 = "0000000000000000001602407ac49862a7bca9d00f7f402db20b7be2f5de59d2";
export const HASH_831332 = "00000000000000000000a4c01889bd8c5aeb480a3ab3a2174efa8ba2520a7657";
export const HASH_13B8A = "0000000000013b8ab2cd513b0261a14096412195a72a0c4827d229dcc7e0f7af";
export const HASH_300025 = "0000000000000000821c4e0acc40f88bedbce3b73ba2358b5ade58a9022cc78c";
export const HASH_542213 = "000000000000000000143a2c56c0214236dadfd30df41d4a0345492ad6d861ec";
export const GENESIS = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
