// Raw SQL on the pg pool that Prisma also uses (graphql/prisma.ts), for the loaders every page runs. Why: in an
// uncached request Prisma's client runtime was a quarter of the server's CPU (query building, its engine-side
// result mapping); pg with a plain SELECT costs a fraction of that. Rows come back in Prisma's shapes (camelCase
// keys, int8 as bigint, bytea as bytes), so resolvers cannot tell which path loaded a row.
import { createHash } from "node:crypto";
import pg from "pg";
import type { BtcTx } from "../generated/prisma/client";
import { keyPool, pool } from "./prisma";

const INT8 = 20, INT4_ARRAY = 1007;
/**
 * A one-dimensional int[] of numbers ("{1,-2,3}"), read digit by digit: a block's fee histogram is hundreds of
 * numbers, and pg's generic array parser was a quarter of a BLOCK fee-rate series' CPU (split and Number, 13 %).
 * Other forms (NULLs, bounds, nesting) go to pg's parser.
 */
const pgIntArray = (pg.types.getTypeParser as (oid: number, format: "text") => (s: string) => unknown)(INT4_ARRAY, "text");
export function parseInt4Array(s: string): (number | null)[] {
  if (s.charCodeAt(0) !== 123 /* { */ || s.charCodeAt(1) === 123) return pgIntArray(s) as (number | null)[];
  const out: number[] = [];
  if (s.length === 2) return out;
  let n = 0, sign = 1;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n = n * 10 + c - 48;
    else if (c === 44 /* , */ || c === 125 /* } */) {
      out.push(sign * n);
      n = 0;
      sign = 1;
    } else if (c === 45 /* - */) sign = -1;
    else return pgIntArray(s) as (number | null)[];
  }
  return out;
}
// Per query, not pg's global parsers: other users of pg in the process keep its defaults.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8 ? BigInt : oid === INT4_ARRAY && format !== "binary" ? parseInt4Array : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

type Listener = (text: string) => void;
const listeners = new Set<Listener>();
/** Called with each statement's text (tests count statements across Prisma and raw SQL). */
export function onRawQuery(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export async function rawRows<T>(text: string, values: unknown[]): Promise<T[]> {
  for (const l of listeners) l(text);
  return (await pool().query<T & pg.QueryResultRow>({ name: statementName(text), text, values, types })).rows;
}

/** rawRows for lookups by primary or unique key (and rows joined to them by key): on keyPool(), generic plans. */
export async function keyRows<T>(text: string, values: unknown[]): Promise<T[]> {
  for (const l of listeners) l(text);
  return (await keyPool().query<T & pg.QueryResultRow>({ name: statementName(text), text, values, types })).rows;
}

/** rawRows for a composed Prisma.sql (its $n text and values); the composed texts must still be a small fixed set. */
export function sqlRows<T>(q: { text: string; values: unknown[] }): Promise<T[]> {
  return rawRows<T>(q.text, q.values);
}

// Named (prepared) statements: each connection parses and plans a text once, then only binds and executes it, which
// saves PostgreSQL the parse/analyze of every page's statements. The name is a hash of the text, so one name never
// stands for two texts (pg refuses that) and the texts here are a fixed set, so the per-connection set stays small.
const names = new Map<string, string>();
function statementName(text: string): string {
  let n = names.get(text);
  if (n === undefined) names.set(text, (n = `cp_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`));
  return n;
}

/** A selected column: its SQL expression, the Prisma model's field name, its type (for a NULL of the same shape). */
export type Col = readonly [expression: string, field: string, pgType: string];

/** The tables whose rows other statements also join in (bitcoin/io-rows.ts, bitcoin/tx-block.ts), column by column. */
export const COLUMN_LISTS = {
  btcTx: [
    ["id", "id", "bigint"], ["chain_id", "chainId", "smallint"], ["txid", "txid", "bytea"], ["height", "height", "bigint"],
    ["position", "position", "int"], ["version", "version", "int"], ["locktime", "locktime", "bigint"], ["size", "size", "int"],
    ["vsize", "vsize", "int"], ["weight", "weight", "int"], ["is_coinbase", "isCoinbase", "boolean"], ["has_witness", "hasWitness", "boolean"],
    ["input_count", "inputCount", "int"], ["output_count", "outputCount", "int"], ["input_value", "inputValue", "bigint"],
    ["output_value", "outputValue", "bigint"], ["fee", "fee", "bigint"],
  ],
  btcAddress: [
    ["id", "id", "bigint"], ["chain_id", "chainId", "smallint"], ["script", "script", "bytea"], ["script_type", "scriptType", "smallint"],
    ["balance", "balance", "bigint"], ["received", "received", "bigint"], ["sent", "sent", "bigint"], ["tx_count", "txCount", "int"],
    ["utxo_count", "utxoCount", "int"], ["first_height", "firstHeight", "bigint"], ["last_height", "lastHeight", "bigint"],
  ],
  evmTx: [
    ["id", "id", "bigint"], ["chain_id", "chainId", "smallint"], ["hash", "hash", "bytea"], ["height", "height", "bigint"],
    ["position", "position", "int"], ["type", "type", "smallint"], ["from_id", "fromId", "bigint"], ["to_id", "toId", "bigint"],
    ["contract_created_id", "contractCreatedId", "bigint"], ["value::text", "value", "text"], ["nonce", "nonce", "bigint"], ["gas", "gas", "bigint"],
    ["gas_price::text", "gasPrice", "text"], ["max_fee_per_gas::text", "maxFeePerGas", "text"],
    ["max_priority_fee_per_gas::text", "maxPriorityFeePerGas", "text"], ["status", "status", "smallint"], ["gas_used", "gasUsed", "bigint"],
    ["effective_gas_price::text", "effectiveGasPrice", "text"], ["fee::text", "fee", "text"], ["log_count", "logCount", "int"],
  ],
  block: [
    ["chain_id", "chainId", "smallint"], ["hash", "hash", "bytea"], ["height", "height", "bigint"], ["parent_hash", "parentHash", "bytea"],
    ["time", "time", "bigint"], ["tx_count", "txCount", "int"], ["size", "size", "int"], ["stale", "stale", "boolean"],
    ["stale_at", "staleAt", "timestamptz"], ["coalesce(checks, '{}')", "checks", "text[]"],
  ],
} satisfies Record<string, readonly Col[]>;

const selectList = (cols: readonly Col[]) => cols.map(([e, f]) => (e === f ? e : `${e} AS "${f}"`)).join(", ");
/** A joined table's columns under `alias`, named "<alias>.<field>" (", "-prefixed, to follow other columns). */
export const joined = (alias: string, cols: readonly Col[]) => cols.map(([c, f]) => `, ${alias}.${c} AS "${alias}.${f}"`).join("");
/** Typed NULLs named like `joined`'s columns. */
export const nulls = (alias: string, cols: readonly Col[]) => cols.map(([, f, t]) => `, NULL::${t} AS "${alias}.${f}"`).join("");
/** A reader of the columns `alias.<field>` of a row, as an object of `cols`' fields (column names built once). */
export function picker<T>(alias: string, cols: readonly Col[]): (r: object) => T {
  const names = cols.map(([, f]) => [`${alias}.${f}`, f] as const);
  return (r) => {
    const o: Record<string, unknown> = {};
    for (const [column, f] of names) o[f] = (r as Record<string, unknown>)[column];
    return o as T;
  };
}

/**
 * A btc_tx row as the API reads it: `raw` is read where txs are looked up by txid (a tx page), else NULL. Lists (a
 * block's txs, an address's history, joined spenders and funders) would otherwise carry ~0.5 KB a tx that only the
 * fields parsing scripts and witnesses need; those load it by id (resolvers/bitcoin.ts). A block page of 25 txs serves
 * about 40 % more requests a second without them (bench/README-figures.md, 2026-12-03).
 */
export type BtcTxRow = Omit<BtcTx, "raw"> & { raw: Uint8Array | null };

/** Column lists in the Prisma models' field names (prisma/schema.prisma). */
export const COLUMNS = {
  chain: `id, slug, family, network, name, source, tip_height AS "tipHeight", tip_hash AS "tipHash", node_height AS "nodeHeight",
    next_tx_seq AS "nextTxSeq", next_addr_seq AS "nextAddrSeq", status, last_error AS "lastError", blocks_per_sec AS "blocksPerSec",
    tx_per_sec AS "txPerSec", updated_at AS "updatedAt"`,
  btcTx: `${selectList(COLUMN_LISTS.btcTx)}, NULL::bytea AS raw`,
  btcTxWithRaw: `${selectList(COLUMN_LISTS.btcTx)}, raw`,
  btcInput: `chain_id AS "chainId", tx_id AS "txId", vin, prev_tx_id AS "prevTxId", prev_vout AS "prevVout", value, address_id AS "addressId"`,
  btcOutput: `chain_id AS "chainId", tx_id AS "txId", vout, value, script_type AS "scriptType", address_id AS "addressId",
    spent_by_tx_id AS "spentByTxId", spent_by_vin AS "spentByVin", spent_height AS "spentHeight"`,
  block: selectList(COLUMN_LISTS.block),
  btcBlock: `chain_id AS "chainId", hash, version, merkle_root AS "merkleRoot", bits, nonce, stripped_size AS "strippedSize", weight`,
  btcAddress: selectList(COLUMN_LISTS.btcAddress),
  // EVM rows: numeric(78,0) columns as text, exact decimal strings (the Exact<> row types in context.ts).
  evmBlock: `chain_id AS "chainId", hash, miner, gas_used AS "gasUsed", gas_limit AS "gasLimit", base_fee_per_gas::text AS "baseFeePerGas",
    state_root AS "stateRoot", transactions_root AS "transactionsRoot", receipts_root AS "receiptsRoot", withdrawals_root AS "withdrawalsRoot",
    extra_data AS "extraData", header`,
  evmTx: selectList(COLUMN_LISTS.evmTx),
  evmTxWhole: `${selectList(COLUMN_LISTS.evmTx)}, input, raw`,
  evmAddress: `id, chain_id AS "chainId", address, is_contract AS "isContract", balance::text AS balance, balance_height AS "balanceHeight",
    tx_count AS "txCount", first_height AS "firstHeight", last_height AS "lastHeight", token_name AS "tokenName", token_symbol AS "tokenSymbol",
    token_decimals AS "tokenDecimals"`,
  evmLog: `chain_id AS "chainId", tx_id AS "txId", log_index AS "logIndex", address_id AS "addressId", topic0, topic1, topic2, topic3, data`,
  evmTransfer: `chain_id AS "chainId", tx_id AS "txId", log_index AS "logIndex", batch_index AS "batchIndex", height, standard,
    token_address_id AS "tokenId", from_id AS "fromId", to_id AS "toId", nft_id::text AS "nftId", amount::text AS amount`,
  btcBlockStats: `chain_id AS "chainId", height, time, txs, ins, outs, subsidy, totalfee, total_out AS "totalOut", total_size AS "totalSize",
    total_weight AS "totalWeight", swtxs, swtotal_size AS "swtotalSize", swtotal_weight AS "swtotalWeight", avgfee, avgfeerate, avgtxsize, maxfee,
    maxfeerate, maxtxsize, medianfee, mediantxsize, minfee, minfeerate, mintxsize, feerate_percentiles AS "feeratePercentiles",
    utxo_increase AS "utxoIncrease", utxo_size_inc AS "utxoSizeInc", utxo_increase_actual AS "utxoIncreaseActual", utxo_size_inc_actual AS "utxoSizeIncActual"`,
};
