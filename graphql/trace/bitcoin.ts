// Bitcoin trace: the UTXO graph. Backward from a tx: its inputs to the funding txs (btc_input.prev_tx_id);
// forward: its outputs to the spending txs (btc_output.spent_by_tx_id), unspent outputs as OUTPUT leaves. An edge is
// an outpoint (funding txid:vout), so walking it from either side gives the same edge. From an address: its history
// (btc_address_tx), received → backward, sent → forward. One statement resolves the start, then one statement per
// hop for the whole frontier (every direction at once), each side a LATERAL walk of a primary key capped at the
// remaining node budget + 1 per item and a little more for the side, so a 1,000-input tx costs budget + 1 rows and is
// flagged, not loaded. A side that hits its cap with budget left (neighbours already in the graph) is read on in
// one more statement, so the limit is still filled nearest first.
// An address step reads at most ADDRESS_SCAN_ROWS history rows, newest first, through the history's primary key and
// keeps those of its direction. An index by direction would find a rare direction at once, but it cost 10 % of
// ingest time and 0.9× raw bytes on disk; instead, when the bound is hit, the answer is truncated and the address's
// resume offsets are the (height, position) key of the last row read, so the cursor continues below it.
import { Prisma, type Chain } from "../../generated/prisma/client";
import { btcHex } from "../resolvers/common";
import { parseBtcAddress } from "../resolvers/address";
import { addressLabel } from "../bitcoin/script";
import type { Context } from "../context";
import { sqlRows } from "../sql";
import { notFound } from "../errors";
import { Graph, type Dir, type FrontierItem, type TraceNode } from "./types";

export interface WalkArgs { from: string; dirs: Dir[]; depth: number; limit: number; after: FrontierItem[] | null }

/**
 * History rows one address step reads at most. Above MAX_NODES + 1, so an address whose rows are all of the wanted
 * direction can fill any node limit in one step; small enough that a hop stays a few ms (index range, heap rows
 * mostly adjacent).
 */
export const ADDRESS_SCAN_ROWS = 2_000;

/** An address's resume offsets: [] or [0] = from its newest row, [height, position] = the rows older than that key. */
const addressBound = (o: number[]): [string, number] => (o.length === 2 ? [String(o[0]), o[1]] : ["9223372036854775807", 0]);

const short = (h: string) => `${h.slice(0, 8)}…${h.slice(-6)}`;
const internalHex = (display: string) => Buffer.from(display, "hex").reverse().toString("hex");

interface HopRow {
  part: "B" | "F" | "A" | "E"; ord: number; src_height: string | null; src_value: string | null; idx: number | null; other_id: string | null;
  other_txid: Uint8Array | null; other_height: string | null; other_value: string | null; value: string | null; vout: number | null;
  script: Uint8Array | null; script_type: number | null; spent_height: string | null;
  /** Address steps: the history row's key (part A), or the last row of a full scan window (part E). */
  key_height: string | null; key_position: number | null;
  /** Tx sides: the item's tx is a coinbase (it has no funding txs to walk back to). */
  src_coinbase: boolean | null;
}

export async function traceBitcoin(ctx: Context, chain: Chain, a: WalkArgs): Promise<Graph> {
  const g = new Graph(a.limit);
  let frontier: Item[] = [];
  const label = (script: Uint8Array | null) => (script ? addressLabel(script, chain.network) : null);

  const txNode = (txid: string, depth: number, id: string, height: string | null, value: string | null): boolean =>
    g.add({ id: txid, kind: "TRANSACTION", label: short(txid), height: height === null ? null : Number(height), value, depth, ref: ["t", id, internalHex(txid)] });

  if (a.after) {
    for (const it of a.after) {
      g.add({ id: it.n, kind: it.r[0] === "a" ? "ADDRESS" : "TRANSACTION", label: it.l, height: null, value: null, depth: 0, ref: it.r });
      frontier.push({ ...it, depth: 0 });
      g.expanded.add(`${it.d}:${it.n}`);
    }
  } else {
    frontier = await start(ctx, chain, a, g, txNode, label);
  }

  for (let hop = 0; frontier.length; hop++) {
    if (hop >= a.depth || g.full) {
      for (const it of frontier) open(g, it, it.o);
      if (g.full && hop < a.depth) g.truncated = true;
      break;
    }
    const next: Item[] = [];
    const discovered = (id: string, d: Dir, depth: number) => {
      const n = g.nodes.get(id)!;
      if (n.ref && !g.expanded.has(`${d}:${id}`)) {
        g.expanded.add(`${d}:${id}`);
        if (depth < a.depth) next.push({ n: id, l: n.label, r: n.ref, d, o: [0], depth });
        else open(g, { n: id, l: n.label, r: n.ref, d, o: [0] }, [0]);
      }
    };
    // A tx side cut at its row cap with the node budget still open (rows led to nodes already in the graph) is read
    // on once, with each item capped alone, so the limit is still filled nearest first in at most two statements.
    let pending = frontier;
    for (let round = 0; pending.length; round++) {
      if (g.full || round === 2) {
        for (const it of pending) open(g, it, it.o);
        g.truncated = true;
        break;
      }
      const k = a.limit - g.nodes.size + 1;
      const cap = round === 0 ? sideCap(k) : null;
      const { sides, rows } = await readHop(chain, pending, k, cap);
      g.statements++;
      pending = expandHop(sides, rows, k, cap, discovered);
    }
    frontier = next;
  }
  return g;

  /** Adds a hop's rows to the graph; returns the tx items cut at a row cap, to read on from where they stopped. */
  function expandHop(sides: HopSides, rows: HopRow[], k: number, cap: number | null, discovered: (id: string, d: Dir, depth: number) => void): Item[] {
    const by = new Map<string, HopRow[]>();
    for (const r of rows) {
      const key = `${r.part}:${r.ord}`;
      const list = by.get(key);
      if (list) list.push(r); else by.set(key, [r]);
    }
    // A side that returned its cap of rows stopped in the item of its last row; items after it were not read.
    const cutAt: Record<string, number> = { B: 0, F: 0 };
    for (const side of ["B", "F"] as const) {
      const read = rows.filter((r) => r.part === side && r.idx !== null);
      if (cap !== null && read.length >= cap) cutAt[side] = Math.max(...read.map((r) => r.ord));
    }
    const unread: Item[] = [];
    const groups: [string, Item[]][] = [["B", sides.B], ["F", sides.F], ["A", sides.A]];
    for (const [p, items] of groups) {
      items.forEach((it, i) => {
        const own = by.get(`${p}:${i + 1}`) ?? [];
        const list = own.filter((r) => p === "A" || r.idx !== null);
        if (p !== "A") list.sort((x, y) => x.idx! - y.idx!);
        else list.sort((x, y) => Number(y.key_height) - Number(x.key_height) || y.key_position! - x.key_position!);
        // Address items resume below the last history row taken (their offsets are a key, not a count).
        let after = it.o;
        const self = g.nodes.get(it.n)!;
        const src = own[0];
        if (src && self.height === null && src.src_height !== null) self.height = Number(src.src_height);
        if (src && self.value === null && src.src_value !== null) self.value = src.src_value;
        if (cutAt[p] && i + 1 > cutAt[p]) {
          // Not read (a coinbase has nothing to read backward).
          if (!(p === "B" && src?.src_coinbase)) unread.push(it);
          return;
        }
        const depth = it.depth + 1;
        for (const r of list) {
          const resume = p === "A" ? after : [r.idx!];
          if (p === "F" && r.other_id === null) {
            // Unspent (or unspendable) output: a leaf.
            const oid = `${it.n}:${r.vout}`;
            const addr = label(r.script);
            if (!g.add({ id: oid, kind: "OUTPUT", label: r.script_type === 5 ? "OP_RETURN" : addr ? `unspent → ${addr.length > 42 ? short(addr) : addr}` : "unspent", height: self.height, value: r.value, depth })) {
              open(g, it, resume);
              return;
            }
            g.edge({ id: oid, from: it.n, to: oid, value: r.value, outputIndex: r.vout, height: self.height, txid: it.n, asset: null, address: addr });
            continue;
          }
          const other = btcHex(r.other_txid!);
          if (!txNode(other, depth, r.other_id!, r.other_height, r.other_value)) {
            open(g, it, resume);
            return;
          }
          if (p === "B") {
            g.edge({ id: `${other}:${r.vout}`, from: other, to: it.n, value: r.value, outputIndex: r.vout, height: self.height, txid: it.n, asset: null, address: label(r.script) });
          } else if (p === "F") {
            g.edge({ id: `${it.n}:${r.vout}`, from: it.n, to: other, value: r.value, outputIndex: r.vout, height: r.spent_height === null ? null : Number(r.spent_height), txid: other, asset: null, address: label(r.script) });
          } else if (it.d === "B") {
            g.edge({ id: `${other}>${it.n}`, from: other, to: it.n, value: r.value, outputIndex: null, height: Number(r.other_height), txid: other, asset: null, address: it.n });
          } else {
            g.edge({ id: `${it.n}>${other}`, from: it.n, to: other, value: r.value, outputIndex: null, height: Number(r.other_height), txid: other, asset: null, address: it.n });
          }
          discovered(other, it.d, depth);
          if (p === "A") after = [Number(r.key_height), r.key_position!];
        }
        if (p === "A") {
          const end = by.get(`E:${i + 1}`)?.[0];
          if (list.length >= k) {
            // The walk was capped: more neighbours than the budget allowed were there.
            g.truncated = true;
            open(g, it, after);
          } else if (end) {
            // The address's scan window was full: older history (maybe with more of this direction) was not read.
            g.truncated = true;
            open(g, it, [Number(end.key_height), end.key_position!]);
          }
        } else if (list.length >= k || i + 1 === cutAt[p]) {
          // Stopped at the item's or the side's cap: its later neighbours were not read.
          unread.push({ ...it, o: [list[list.length - 1].idx! + 1] });
        }
      });
    }
    return unread;
  }

  function open(gr: Graph, it: FrontierItem, o: number[]) {
    const n = gr.nodes.get(it.n);
    if (!n) return;
    n.open.add(it.d);
    n.offsets[it.d] = o;
  }
}


type Item = FrontierItem & { depth: number };
interface HopSides { B: Item[]; F: Item[]; A: Item[] }

/**
 * Rows a tx side reads at most in one statement, all its items together: the node budget + 1 (k), plus room for
 * neighbours already in the graph, which take no budget. Only these are joined to their tx and address: an item's
 * own cap of k let the last hop of a 200-node trace read 2–4× the rows it used.
 */
const sideCap = (k: number) => k + (k >> 3) + 2;

/**
 * One statement for a hop's items: B (tx inputs), F (tx outputs), A (address history) and E (address scan ends), at
 * most k rows an item and, for a tx side, cap rows in all when not null.
 */
async function readHop(chain: Chain, items: Item[], k: number, cap: number | null): Promise<{ sides: HopSides; rows: HopRow[] }> {
  const part = (d: Dir) => items.filter((f) => f.r[0] === "t" && f.d === d);
  const B = part("B"), F = part("F"), A = items.filter((f) => f.r[0] === "a");
  const sideLimit = cap === null ? Prisma.empty : Prisma.sql`ORDER BY f.ord, idx LIMIT ${cap}`;
  const ctes: Prisma.Sql[] = [], q: Prisma.Sql[] = [];
  // A tx side's neighbours in walk order (item, then index), read once (MATERIALIZED: a generic plan re-ran the capped
  // read for every item). Each item also yields its own row (src_*), with or without neighbours.
  // A side: its items (x_items), their neighbour rows (x_rows, aliased n), and the FROM that gives each item its row.
  const side = (x: "b" | "f", items: Item[], neighbours: Prisma.Sql) => {
    ctes.push(Prisma.sql`${Prisma.raw(x)}_items AS (SELECT * FROM unnest(${items.map((i) => i.r[1])}::bigint[], ${items.map((i) => i.r[2])}::text[],
      ${items.map((i) => i.o[0] ?? 0)}::int[]) WITH ORDINALITY AS f(id, txid, off, ord)),
      ${Prisma.raw(x)}_rows AS MATERIALIZED (SELECT f.ord, n.* FROM ${Prisma.raw(x)}_items f CROSS JOIN LATERAL (${neighbours}) n ${sideLimit})`);
    return Prisma.sql`FROM ${Prisma.raw(x)}_items f JOIN btc_tx ft ON ft.id = f.id AND ft.txid = decode(f.txid, 'hex') LEFT JOIN ${Prisma.raw(x)}_rows n ON n.ord = f.ord`;
  };
  if (B.length) {
    const from = side("b", B, Prisma.sql`SELECT vin AS idx, vin, prev_tx_id, prev_vout, value, address_id FROM btc_input
      WHERE tx_id = f.id AND vin >= f.off AND prev_tx_id IS NOT NULL ORDER BY vin LIMIT ${k}`);
    q.push(Prisma.sql`
      SELECT 'B' AS part, f.ord::int AS ord, ft.height::text AS src_height, ft.output_value::text AS src_value, n.vin AS idx, n.prev_tx_id::text AS other_id,
        p.txid AS other_txid, p.height::text AS other_height, p.output_value::text AS other_value, n.value::text AS value, n.prev_vout AS vout,
        ad.script AS script, NULL::int AS script_type, NULL::text AS spent_height, NULL::text AS key_height, NULL::int AS key_position, ft.is_coinbase AS src_coinbase
      ${from} LEFT JOIN btc_tx p ON p.id = n.prev_tx_id LEFT JOIN btc_address ad ON ad.id = n.address_id`);
  }
  if (F.length) {
    const from = side("f", F, Prisma.sql`SELECT vout AS idx, vout, value, script_type, address_id, spent_by_tx_id, spent_height FROM btc_output
      WHERE tx_id = f.id AND vout >= f.off ORDER BY vout LIMIT ${k}`);
    q.push(Prisma.sql`
      SELECT 'F', f.ord::int, ft.height::text, ft.output_value::text, n.vout, n.spent_by_tx_id::text, s.txid, s.height::text, s.output_value::text,
        n.value::text, n.vout, ad.script, n.script_type::int, n.spent_height::text, NULL, NULL, ft.is_coinbase
      ${from} LEFT JOIN btc_tx s ON s.id = n.spent_by_tx_id LEFT JOIN btc_address ad ON ad.id = n.address_id`);
  }
  if (A.length) {
    // Rows of the item's direction within its scan window (at most k), and part E: the window's last row, present
    // only when the window was full (an index-only read of the same key range), which is where the next scan starts.
    const bounds = A.map((i) => addressBound(i.o));
    const f = Prisma.sql`unnest(${A.map((i) => i.r[1])}::bigint[], ${A.map((i) => i.d)}::text[], ${bounds.map((b) => b[0])}::bigint[], ${bounds.map((b) => b[1])}::int[])
      WITH ORDINALITY AS f(id, d, h, p, ord)`;
    const window = Prisma.sql`FROM btc_address_tx WHERE chain_id = ${chain.id}::smallint AND address_id = f.id AND (height, position) < (f.h, f.p)
      ORDER BY height DESC, position DESC`;
    q.push(Prisma.sql`
      SELECT 'A', f.ord::int, NULL, NULL, NULL, h.tx_id::text, t.txid, t.height::text, t.output_value::text, abs(h.delta)::text, NULL, NULL, NULL, NULL,
        h.height::text, h.position, NULL::boolean
      FROM ${f}
      CROSS JOIN LATERAL (SELECT * FROM (SELECT tx_id, delta, height, position ${window} LIMIT ${ADDRESS_SCAN_ROWS}) w
        WHERE (w.delta >= 0) = (f.d = 'B') ORDER BY height DESC, position DESC LIMIT ${k}) h
      JOIN btc_tx t ON t.id = h.tx_id
      UNION ALL
      SELECT 'E', f.ord::int, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, e.height::text, e.position, NULL
      FROM ${f}
      CROSS JOIN LATERAL (SELECT height, position ${window} OFFSET ${ADDRESS_SCAN_ROWS - 1} LIMIT 1) e`);
  }
  const rows = await sqlRows<HopRow>(Prisma.sql`${ctes.length ? Prisma.sql`WITH ${Prisma.join(ctes, ", ")} ` : Prisma.empty}SELECT * FROM (${Prisma.join(q, " UNION ALL ")}) AS u(part, ord, src_height, src_value, idx, other_id, other_txid, other_height, other_value, value, vout, script, script_type, spent_height, key_height, key_position, src_coinbase)`);
  return { sides: { B, F, A }, rows };
}

/** The start node and the first frontier (one statement). */
async function start(
  ctx: Context, chain: Chain, a: WalkArgs, g: Graph,
  txNode: (txid: string, depth: number, id: string, height: string | null, value: string | null) => boolean,
  label: (s: Uint8Array | null) => string | null,
): Promise<Item[]> {
  const s = a.from.trim();
  const out: Item[] = [];
  const m = /^([0-9a-fA-F]{64})(?::(\d{1,6}))?$/.exec(s);
  const push = (n: TraceNode, d: Dir, depth: number) => {
    if (!n.ref) return;
    g.expanded.add(`${d}:${n.id}`);
    if (depth < a.depth) out.push({ n: n.id, l: n.label, r: n.ref, d, o: [0], depth });
    else { n.open.add(d); n.offsets[d] = [0]; }
  };
  if (m && m[2] === undefined) {
    const txid = m[1].toLowerCase();
    const rows = await sqlRows<{ id: string; height: string; value: string }>(Prisma.sql`
      SELECT id::text AS id, height::text AS height, output_value::text AS value FROM btc_tx
      WHERE chain_id = ${chain.id}::smallint AND txid = decode(${internalHex(txid)}, 'hex') ORDER BY height DESC LIMIT 1`);
    g.statements++;
    if (!rows.length) throw notFound(`transaction ${txid} is not in ${chain.slug}'s index`);
    txNode(txid, 0, rows[0].id, rows[0].height, rows[0].value);
    for (const d of a.dirs) push(g.nodes.get(txid)!, d, 0);
    return out;
  }
  if (m) {
    const txid = m[1].toLowerCase();
    const vout = Number(m[2]);
    const rows = await sqlRows<{ id: string; height: string; value: string; ovalue: string | null; script_type: number | null; script: Uint8Array | null;
      sid: string | null; stxid: Uint8Array | null; sheight: string | null; svalue: string | null; spent_height: string | null }>(Prisma.sql`
      SELECT t.id::text AS id, t.height::text AS height, t.output_value::text AS value, o.value::text AS ovalue, o.script_type::int AS script_type, ad.script,
        o.spent_by_tx_id::text AS sid, s.txid AS stxid, s.height::text AS sheight, s.output_value::text AS svalue, o.spent_height::text AS spent_height
      FROM btc_tx t LEFT JOIN btc_output o ON o.tx_id = t.id AND o.vout = ${vout}::int
      LEFT JOIN btc_tx s ON s.id = o.spent_by_tx_id LEFT JOIN btc_address ad ON ad.id = o.address_id
      WHERE t.chain_id = ${chain.id}::smallint AND t.txid = decode(${internalHex(txid)}, 'hex') ORDER BY t.height DESC LIMIT 1`);
    g.statements++;
    const r = rows[0];
    if (!r || r.ovalue === null) throw notFound(`output ${txid}:${vout} is not in ${chain.slug}'s index`);
    const oid = `${txid}:${vout}`;
    const addr = label(r.script);
    g.add({ id: oid, kind: "OUTPUT", label: r.script_type === 5 ? "OP_RETURN" : addr ?? oid, height: Number(r.height), value: r.ovalue, depth: 0 });
    if (a.dirs.includes("B")) {
      txNode(txid, 1, r.id, r.height, r.value);
      g.edge({ id: oid, from: txid, to: oid, value: r.ovalue, outputIndex: vout, height: Number(r.height), txid, asset: null, address: addr });
      push(g.nodes.get(txid)!, "B", 1);
    }
    if (a.dirs.includes("F") && r.sid !== null) {
      const stxid = btcHex(r.stxid!);
      txNode(stxid, 1, r.sid, r.sheight, r.svalue);
      g.edge({ id: `${oid}>`, from: oid, to: stxid, value: r.ovalue, outputIndex: vout, height: Number(r.spent_height), txid: stxid, asset: null, address: addr });
      push(g.nodes.get(stxid)!, "F", 1);
    }
    return out;
  }
  const script = parseBtcAddress(s, chain, "from");
  const rows = await sqlRows<{ id: string; balance: string; first: string }>(Prisma.sql`
    SELECT id::text AS id, balance::text AS balance, first_height::text AS first FROM btc_address
    WHERE chain_id = ${chain.id}::smallint AND script = decode(${Buffer.from(script).toString("hex")}, 'hex')`);
  g.statements++;
  const name = addressLabel(script, chain.network);
  if (!rows.length) throw notFound(`address ${name} has no transactions in ${chain.slug}'s index`);
  g.add({ id: name, kind: "ADDRESS", label: name, height: Number(rows[0].first), value: rows[0].balance, depth: 0, ref: ["a", rows[0].id, ""] });
  for (const d of a.dirs) push(g.nodes.get(name)!, d, 0);
  return out;
}
