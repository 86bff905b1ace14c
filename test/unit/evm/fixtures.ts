// Loads the real mainnet blocks under test/fixtures/chaindata/ethereum with their index.json record.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RpcBlock, RpcReceipt } from "../../../lib/evm/types";

export const ETH_DIR = join(import.meta.dirname, "../../fixtures/chaindata/ethereum");

export interface IndexRecord {
  file: string;
  receipts_file: string | null;
  number: number;
  hash: string;
  parentHash: string;
  fork: string;
  transactionsRoot: string;
  receiptsRoot: string;
  withdrawalsRoot: string | null;
  requestsHash: string | null;
  blobGasUsed: string | null;
  tx_count: number;
  verification: { tx_types: Record<string, number> } & Record<string, unknown>;
}

export interface Fixture {
  record: IndexRecord;
  block: RpcBlock;
  receipts?: RpcReceipt[];
}

const read = (f: string) => readFileSync(join(ETH_DIR, f), "utf8");

export const INDEX: IndexRecord[] = JSON.parse(read("index.json"));

/** Fresh objects on every call, so tests may tamper with what they get. */
export function loadFixtures(): Fixture[] {
  return INDEX.map((record) => ({
    record,
    block: JSON.parse(read(record.file)),
    receipts: record.receipts_file ? JSON.parse(read(record.receipts_file)) : undefined,
  }));
}

export function loadFixture(number: number): Fixture {
  const f = loadFixtures().find((x) => x.record.number === number);
  if (!f) throw new Error(`no fixture block ${number}`);
  return f;
}

export function readFixtureText(number: number): { block: string; receipts?: string } {
  const r = INDEX.find((x) => x.number === number)!;
  return { block: read(r.file), receipts: r.receipts_file ? read(r.receipts_file) : undefined };
}

export const withReceipts = () => loadFixtures().filter((f) => f.receipts);
