// Per-request state: DataLoaders (batch + cache for one request only, so nothing stale outlives it) and the chain
// list. Every loader is one `WHERE key IN (...)`-shaped query per tick, so a page of 50 transactions with their
// inputs, outputs, prevouts and spenders is a handful of statements however many objects it shows.
import DataLoader from "dataloader";
import type {
  Block, BtcAddress, BtcBlock, BtcBlockStats, BtcTx, Chain, EvmAddress, EvmBlock, EvmLog, EvmTokenTransfer, EvmTx,
  PrismaClient,
} from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { coalesced } from "./coalesce";
import { prisma } from "./prisma";
import { COLUMNS, keyRows, rawRows, sqlRows, type BtcTxRow } from "./sql";
import { splitTxBlock, TX_BLOCK_BY_TXID, TX_BLOCK_BY_TXID_ONE, type TxBlockRow } from "./bitcoin/tx-block";
import { ioNeighbours, ioSql, joinsAny, neighboursKey, splitIo, type IoNeighbours, type IoRow, type TxIo } from "./bitcoin/io-rows";
import { splitTxPage, txPageSql } from "./bitcoin/tx-page";
import type { PageRequest } from "./pagination";
import { notFound } from "./errors";

export type Family = "bitcoin" | "evm";
/** A shared block row plus the family, so Block's __resolveType needs no lookup. */
export type BlockRow = Block & { family: Family };

export interface Context {
  db: PrismaClient;
  loaders: Loaders;
  chains(): Promise<ChainIndex>;
}

export interface ChainIndex { all: Chain[]; byId: Map<number, Chain>; bySlug: Map<string, Chain> }

export function familyOf(chain: Chain): Family {
  return chain.family === "evm" ? "evm" : "bitcoin";
}

export async function chainById(ctx: Context, id: number): Promise<Chain> {
  const c = (await ctx.chains()).byId.get(id);
  if (!c) throw new Error(`chain id ${id} referenced by a row is missing`);
  return c;
}

export async function chainBySlug(ctx: Context, slug: string): Promise<Chain> {
  const idx = await ctx.chains();
  const c = idx.bySlug.get(slug);
  if (!c) throw notFound(`unknown chain "${slug.slice(0, 64)}"; this server indexes: ${idx.all.map((x) => x.slug).join(", ") || "(none)"}`);
  return c;
}

/** Prisma's Bytes filters want an ArrayBuffer-backed view; ours always are (never SharedArrayBuffer). */
const bytes = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;
const hexKey = (b: Uint8Array) => Buffer.from(b).toString("hex");
const pairKey = (chainId: number, x: Uint8Array | bigint) => `${chainId}:${typeof x === "bigint" ? x : hexKey(x)}`;

/** Group rows by a key, keeping the order the query returned them in. */
function groupBy<R, K>(rows: R[], key: (r: R) => K): Map<K, R[]> {
  const m = new Map<K, R[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r); else m.set(k, [r]);
  }
  return m;
}

function byId<R extends { id: bigint }>(rows: R[]): Map<bigint, R> {
  return new Map(rows.map((r) => [r.id, r]));
}

/** DataLoader keyed by (chainId, bytes|bigint); the key's string form is the cache key. */
interface ChainKey<T> { chainId: number; value: T }
const chainKeyOpts = { cacheKeyFn: (k: ChainKey<Uint8Array | bigint>) => pairKey(k.chainId, k.value) };

// A batch of one key (every lookup of a single-tx page) runs an equality statement instead of the array form, and
// every key lookup runs on keyPool() (sql.ts keyRows), whose sessions keep a prepared statement's generic plan. Why:
// PostgreSQL otherwise re-plans a statement on every run while its custom plan looks cheaper (always, for an array
// parameter), ~100–500 µs of its CPU per statement; by primary or unique key the generic plan is right. Same rows.

/** (chain_id, <bytes column>) lookups: one key by equality, several through unnest. */
function byChainBytes<R>(table: string, columns: string, column: string, keys: readonly ChainKey<Uint8Array>[], orderBy = ""): Promise<R[]> {
  return keys.length === 1
    ? keyRows<R>(`SELECT ${columns} FROM ${table} WHERE chain_id = $1::smallint AND ${column} = decode($2, 'hex')${orderBy}`, [keys[0].chainId, hexKey(keys[0].value)])
    : keyRows<R>(
      `SELECT ${columns} FROM ${table} WHERE (chain_id, ${column}) IN (SELECT c, decode(h, 'hex') FROM unnest($1::smallint[], $2::text[]) AS k(c, h))${orderBy}`,
      [keys.map((k) => k.chainId), keys.map((k) => hexKey(k.value))],
    );
}

/** (chain_id, height) lookups, `filter` ANDed in: one key by equality, several through unnest. */
function byChainHeights<R>(table: string, columns: string, keys: readonly ChainKey<bigint>[], filter = ""): Promise<R[]> {
  return keys.length === 1
    ? keyRows<R>(`SELECT ${columns} FROM ${table} WHERE ${filter}chain_id = $1::smallint AND height = $2::bigint`, [keys[0].chainId, String(keys[0].value)])
    : keyRows<R>(
      `SELECT ${columns} FROM ${table} WHERE ${filter}(chain_id, height) IN (SELECT * FROM unnest($1::smallint[], $2::bigint[]))`,
      [keys.map((k) => k.chainId), keys.map((k) => String(k.value))],
    );
}

/** Rows by bigint id: one id by equality, several with = ANY. */
function byIds<R>(table: string, columns: string, ids: readonly bigint[]): Promise<R[]> {
  return ids.length === 1
    ? keyRows<R>(`SELECT ${columns} FROM ${table} WHERE id = $1::bigint`, [String(ids[0])])
    : keyRows<R>(`SELECT ${columns} FROM ${table} WHERE id = ANY($1::bigint[])`, [ids.map(String)]);
}

/** A tx's rows (logs, transfers) in `order`: one tx by equality, several with = ANY. */
function byTxIds<R>(table: string, columns: string, txIds: readonly bigint[], order: string): Promise<R[]> {
  return txIds.length === 1
    ? keyRows<R>(`SELECT ${columns} FROM ${table} WHERE tx_id = $1::bigint ORDER BY ${order}`, [String(txIds[0])])
    : keyRows<R>(`SELECT ${columns} FROM ${table} WHERE tx_id = ANY($1::bigint[]) ORDER BY tx_id, ${order}`, [txIds.map(String)]);
}

/**
 * An evm_tx row as lists read it (a block's txs, an address's history, the latest txs): without the calldata and the
 * signed encoding, which can be tens of kilobytes a tx and which only a tx page shows (Bitcoin lists leave out raw
 * bytes likewise, see BtcTxRow). A tx read by hash comes whole; `input` loads by id where a list's tx needs it.
 */
export type EvmTxRow = Exact<Omit<EvmTx, "input" | "raw">> & { input?: Uint8Array; raw?: Uint8Array | null };

/** A model's row as raw SQL reads it (COLUMNS in sql.ts): numeric(78,0) fields as exact decimal strings. */
export type Exact<T> = { [K in keyof T]: T[K] extends Prisma.Decimal ? string : T[K] extends Prisma.Decimal | null ? string | null : T[K] };
export type EvmBlockRow = Exact<EvmBlock>;
export type EvmAddressRow = Exact<EvmAddress>;
export type EvmTransferRow = Exact<EvmTokenTransfer>;

type BlockPageKey = { chainId: number; family: Family; height: bigint; req: PageRequest };
const pageKey = (k: BlockPageKey) => `${k.chainId}:${k.height}:${k.req.direction}:${k.req.limit}:${k.req.cursor?.position ?? ""}`;

const NO_NEIGHBOURS: IoNeighbours = { addresses: false, spenders: false, funders: false, raw: false };

type Neighbours = ReturnType<typeof ioNeighbours>;

/** Inputs and outputs by tx id, with the neighbour rows `want` names handed to `prime`. */
function ioLoader(want: IoNeighbours, prime: (n: Neighbours) => void): DataLoader<bigint, TxIo> {
  return new DataLoader<bigint, TxIo>(async (txIds) => {
    const one = txIds.length === 1;
    const rows = await keyRows<IoRow>(ioSql({ one, ...want }), [one ? String(txIds[0]) : txIds.map(String)]);
    if (joinsAny(want)) prime(ioNeighbours(rows));
    return splitIo(txIds, rows);
  });
}

export function createLoaders(db: PrismaClient) {
  const loaders = {
    // ----------------------------------------------------------------------------------------- shared blocks
    blockByHash: new DataLoader<ChainKey<Uint8Array>, Block | null, string>(async (keys) => {
      const rows = await byChainBytes<Block>("block", COLUMNS.block, "hash", keys);
      const m = new Map(rows.map((r) => [pairKey(r.chainId, r.hash), r]));
      return keys.map((k) => m.get(pairKey(k.chainId, k.value)) ?? null);
    }, chainKeyOpts),
    canonicalBlockByHeight: new DataLoader<ChainKey<bigint>, Block | null, string>(async (keys) => {
      const rows = await byChainHeights<Block>("block", COLUMNS.block, keys, "NOT stale AND ");
      const m = new Map(rows.map((r) => [pairKey(r.chainId, r.height), r]));
      return keys.map((k) => m.get(pairKey(k.chainId, k.value)) ?? null);
    }, chainKeyOpts),

    /**
     * One page of transactions for each of many blocks in one statement (a `blocks` page that shows each block's
     * transactions would otherwise be one query per block). LATERAL + LIMIT walks the (chain_id, height, position)
     * index per block, so a deep page of a 3,000-tx block costs what the first page does.
     */
    blockTxPage: new DataLoader<BlockPageKey, bigint[], string>(
      async (keys) => {
        // Keys in one batch share a page shape in practice (same field arguments); group defensively anyway.
        const groups = groupBy([...keys], (k) => `${k.chainId}:${k.family}:${k.req.direction}:${k.req.limit}:${k.req.cursor?.position ?? ""}`);
        const out = new Map<string, bigint[]>();
        await Promise.all([...groups.values()].map(async (group) => {
          const { chainId, family, req } = group[0];
          const table = Prisma.raw(family === "evm" ? "evm_tx" : "btc_tx");
          const heights = group.map((k) => k.height);
          // Two static shapes (not a CASE in ORDER BY) so the planner walks the index in either direction.
          const range = req.direction === "forward"
            ? Prisma.sql`position > ${req.cursor ? req.cursor.position : -1}::int ORDER BY position ASC`
            : Prisma.sql`position < ${req.cursor ? req.cursor.position : 2 ** 31 - 1}::int ORDER BY position DESC`;
          // The page reads the tx rows too and primes the tx loader with them (one statement less per page).
          const btc = family === "bitcoin";
          const rows = await sqlRows<BtcTxRow | EvmTxRow>(Prisma.sql`
            SELECT t.* FROM unnest(${heights}::bigint[]) AS b(height)
            CROSS JOIN LATERAL (
              SELECT ${Prisma.raw(btc ? COLUMNS.btcTx : COLUMNS.evmTx)} FROM ${table}
              WHERE chain_id = ${chainId}::smallint AND height = b.height AND ${range}
              LIMIT ${req.limit + 1}
            ) t`);
          for (const r of rows) {
            if (btc) loaders.btcTx.prime(r.id, r as BtcTxRow);
            else loaders.evmTx.prime(r.id, r as EvmTxRow);
          }
          const byHeight = groupBy(rows, (r) => BigInt(r.height));
          for (const k of group) out.set(pageKey(k), (byHeight.get(k.height) ?? []).map((r) => BigInt(r.id)));
        }));
        return keys.map((k) => out.get(pageKey(k)) ?? []);
      },
      { cacheKeyFn: pageKey },
    ),

    // ----------------------------------------------------------------------------------------- Bitcoin
    btcBlock: new DataLoader<ChainKey<Uint8Array>, BtcBlock | null, string>(async (keys) => {
      const rows = await byChainBytes<BtcBlock>("btc_block", COLUMNS.btcBlock, "hash", keys);
      const m = new Map(rows.map((r) => [pairKey(r.chainId, r.hash), r]));
      return keys.map((k) => m.get(pairKey(k.chainId, k.value)) ?? null);
    }, chainKeyOpts),
    btcStats: new DataLoader<ChainKey<bigint>, BtcBlockStats | null, string>(async (keys) => {
      const rows = await byChainHeights<BtcBlockStats>("btc_block_stats", COLUMNS.btcBlockStats, keys);
      const m = new Map(rows.map((r) => [pairKey(r.chainId, r.height), r]));
      return keys.map((k) => m.get(pairKey(k.chainId, k.value)) ?? null);
    }, chainKeyOpts),
    btcTx: new DataLoader<bigint, BtcTxRow | null>(async (ids) => {
      const m = byId(await byIds<BtcTxRow>("btc_tx", COLUMNS.btcTx, ids));
      return ids.map((id) => m.get(id) ?? null);
    }),
    /** The raw bytes of txs whose rows were read without them (BtcTxRow). */
    btcTxRaw: new DataLoader<bigint, Uint8Array | null>(async (ids) => {
      const m = new Map((await byIds<{ id: bigint; raw: Uint8Array }>("btc_tx", "id, raw", ids)).map((r) => [r.id, r.raw]));
      return ids.map((id) => m.get(id) ?? null);
    }),
    /** By txid: BIP30 duplicates (mainnet 91812/91842) share a txid; the later one is the live one. */
    // Each tx comes with its canonical block (bitcoin/tx-block.ts), primed into canonicalBlockByHeight for the
    // block, verification and merkleProof fields.
    btcTxByTxid: new DataLoader<ChainKey<Uint8Array>, BtcTxRow | null, string>(async (keys) => {
      const rows = await (keys.length === 1
        ? keyRows<TxBlockRow>(TX_BLOCK_BY_TXID_ONE, [keys[0].chainId, hexKey(keys[0].value)])
        : keyRows<TxBlockRow>(TX_BLOCK_BY_TXID, [keys.map((k) => k.chainId), keys.map((k) => hexKey(k.value))]));
      const m = new Map<string, BtcTxRow>();
      for (const r of rows) {
        const { tx, block } = splitTxBlock(r);
        m.set(pairKey(tx.chainId, tx.txid), tx);
        if (block) loaders.canonicalBlockByHeight.prime({ chainId: block.chainId, value: block.height }, block);
      }
      return keys.map((k) => m.get(pairKey(k.chainId, k.value)) ?? null);
    }, chainKeyOpts),
    /**
     * Inputs and outputs of a tx together: a tx view nearly always shows both, and resolving them in one tick lets
     * the next level (prevout addresses, funding and spending txs) batch into one query per loader, not two.
     */
    btcIo: ioLoader(NO_NEIGHBOURS, () => {}),
    btcAddress: new DataLoader<bigint, BtcAddress | null>(async (ids) => {
      const m = byId(await byIds<BtcAddress>("btc_address", COLUMNS.btcAddress, ids));
      return ids.map((id) => m.get(id) ?? null);
    }),
    btcAddressByScript: new DataLoader<ChainKey<Uint8Array>, BtcAddress | null, string>(async (keys) => {
      const rows = await byChainBytes<BtcAddress>("btc_address", COLUMNS.btcAddress, "script", keys);
      const m = new Map(rows.map((r) => [pairKey(r.chainId, r.script), r]));
      return keys.map((k) => m.get(pairKey(k.chainId, k.value)) ?? null);
    }, chainKeyOpts),

    // ----------------------------------------------------------------------------------------- EVM
    evmBlock: new DataLoader<ChainKey<Uint8Array>, EvmBlockRow | null, string>(async (keys) => {
      const rows = await byChainBytes<EvmBlockRow>("evm_block", COLUMNS.evmBlock, "hash", keys);
      const m = new Map(rows.map((r) => [pairKey(r.chainId, r.hash), r]));
      return keys.map((k) => m.get(pairKey(k.chainId, k.value)) ?? null);
    }, chainKeyOpts),
    evmTx: new DataLoader<bigint, EvmTxRow | null>(async (ids) => {
      const m = byId(await byIds<EvmTxRow>("evm_tx", COLUMNS.evmTx, ids));
      return ids.map((id) => m.get(id) ?? null);
    }),
    /** The calldata of txs whose rows were read without it (EvmTxRow). */
    evmTxInput: new DataLoader<bigint, Uint8Array | null>(async (ids) => {
      const m = new Map((await byIds<{ id: bigint; input: Uint8Array }>("evm_tx", "id, input", ids)).map((r) => [r.id, r.input]));
      return ids.map((id) => m.get(id) ?? null);
    }),
    evmTxByHash: new DataLoader<ChainKey<Uint8Array>, EvmTxRow | null, string>(async (keys) => {
      const rows = await byChainBytes<EvmTxRow>("evm_tx", COLUMNS.evmTxWhole, "hash", keys);
      const m = new Map(rows.map((r) => [pairKey(r.chainId, r.hash), r]));
      return keys.map((k) => m.get(pairKey(k.chainId, k.value)) ?? null);
    }, chainKeyOpts),
    evmAddress: new DataLoader<bigint, EvmAddressRow | null>(async (ids) => {
      const m = byId(await byIds<EvmAddressRow>("evm_address", COLUMNS.evmAddress, ids));
      return ids.map((id) => m.get(id) ?? null);
    }),
    evmAddressByBytes: new DataLoader<ChainKey<Uint8Array>, EvmAddressRow | null, string>(async (keys) => {
      const rows = await byChainBytes<EvmAddressRow>("evm_address", COLUMNS.evmAddress, "address", keys);
      const m = new Map(rows.map((r) => [pairKey(r.chainId, r.address), r]));
      return keys.map((k) => m.get(pairKey(k.chainId, k.value)) ?? null);
    }, chainKeyOpts),
    evmLogs: new DataLoader<bigint, EvmLog[]>(async (txIds) => {
      const g = groupBy(await byTxIds<EvmLog>("evm_log", COLUMNS.evmLog, txIds, "log_index"), (r) => r.txId);
      return txIds.map((id) => g.get(id) ?? []);
    }),
    evmTransfers: new DataLoader<bigint, EvmTransferRow[]>(async (txIds) => {
      const g = groupBy(await byTxIds<EvmTransferRow>("evm_token_transfer", COLUMNS.evmTransfer, txIds, "log_index, batch_index"), (r) => r.txId);
      return txIds.map((id) => g.get(id) ?? []);
    }),
  };
  const primeNeighbours = (n: Neighbours) => {
    for (const a of n.addresses) loaders.btcAddress.prime(a.id, a);
    for (const t of n.txs) loaders.btcTx.prime(t.id, t);
  };
  const ioVariants = new Map<string, DataLoader<bigint, TxIo>>();
  const btcIoWith = (want: IoNeighbours): DataLoader<bigint, TxIo> => {
    if (!joinsAny(want)) return loaders.btcIo;
    const key = neighboursKey(want);
    let l = ioVariants.get(key);
    if (!l) ioVariants.set(key, (l = ioLoader(want, primeNeighbours)));
    return l;
  };
  const pageVariants = new Map<string, DataLoader<ChainKey<Uint8Array>, BtcTxRow | null, string>>();
  return Object.assign(loaders, {
    /**
     * btcIo plus the address rows of the inputs and outputs, the outputs' spending txs and/or the inputs' funding
     * txs, in the same statement, primed into btcAddress / btcTx so their resolvers find them without a statement
     * of their own. One loader per variant; a request uses one variant (graphql/bitcoin/io-wants.ts decides it per
     * query).
     */
    btcIoWith,
    /**
     * btcTxByTxid for a query that shows the tx's inputs or outputs: one txid reads the tx, its canonical block, its
     * inputs and outputs and the neighbour rows `want` names in one statement (bitcoin/tx-page.ts), primed into
     * canonicalBlockByHeight, btcIoWith(want), btcAddress and btcTx. Several txids in one tick take btcTxByTxid.
     */
    btcTxPage(want: IoNeighbours): DataLoader<ChainKey<Uint8Array>, BtcTxRow | null, string> {
      const key = neighboursKey(want);
      let l = pageVariants.get(key);
      if (!l) {
        pageVariants.set(key, (l = new DataLoader<ChainKey<Uint8Array>, BtcTxRow | null, string>(async (keys) => {
          if (keys.length !== 1) return loaders.btcTxByTxid.loadMany(keys);
          const page = splitTxPage(await keyRows(txPageSql(want), [keys[0].chainId, hexKey(keys[0].value)]));
          for (const { tx, block, io } of page.txs) {
            if (block) loaders.canonicalBlockByHeight.prime({ chainId: block.chainId, value: block.height }, block);
            btcIoWith(want).prime(tx.id, io);
          }
          primeNeighbours(page.neighbours);
          return [page.txs.at(-1)?.tx ?? null];
        }, chainKeyOpts)));
      }
      return l;
    },
  });
}

export type Loaders = ReturnType<typeof createLoaders>;

/** One chain-table reader per client, shared by concurrent requests (see coalesce.ts for why that stays exact). */
const chainReaders = new WeakMap<PrismaClient, () => Promise<ChainIndex>>();
function chainReader(db: PrismaClient): () => Promise<ChainIndex> {
  let r = chainReaders.get(db);
  if (!r) {
    // Raw SQL in the model's shape (sql.ts): Prisma's client runtime cost more than the statement for this read.
    r = coalesced(() =>
      rawRows<Chain>(`SELECT ${COLUMNS.chain} FROM chain ORDER BY id ASC`, []).then((all) => ({
        all,
        byId: new Map(all.map((c) => [c.id, c])),
        bySlug: new Map(all.map((c) => [c.slug, c])),
      })),
    );
    chainReaders.set(db, r);
  }
  return r;
}

export function createContext(): Context {
  const db = prisma();
  const read = chainReader(db);
  let chains: Promise<ChainIndex> | undefined;
  return {
    db,
    loaders: createLoaders(db),
    // The chain table is tiny and nearly every query needs it: one read per request (or fewer, shared by
    // concurrent requests), shared by every resolver.
    chains: () => (chains ??= read()),
  };
}
