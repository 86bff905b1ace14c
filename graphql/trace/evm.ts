// EVM trace: value flows between addresses. Forward from an address: transactions it sent with native value
// (evm_tx.from_id, value > 0) and token transfers it sent (evm_token_transfer.from_id); backward: the same received
// (to_id). Contracts are addresses like any other, so flows continue "through" them (a
// router's outgoing transfers are its forward edges). From a tx hash: its sender, recipient and token parties.
// One statement resolves the start, then one per hop (four LATERAL parts in a UNION ALL), capped at budget + 1.
import { Prisma, type Chain } from "../../generated/prisma/client";
import { checksummed, parseEvmAddress } from "../resolvers/address";
import { evmHex, parseEvmHash } from "../resolvers/common";
import type { Context } from "../context";
import { notFound } from "../errors";
import type { WalkArgs } from "./bitcoin";
import { Graph, type Dir, type FrontierItem, type TraceNode } from "./types";

const short = (a: string) => `${a.slice(0, 8)}…${a.slice(-6)}`;

interface HopRow {
  part: "NF" | "NB" | "TF" | "TB"; ord: number; hash: Uint8Array; height: string; value: string; log_index: number | null; batch: number | null;
  other_id: string; other: Uint8Array; token: Uint8Array | null; symbol: string | null;
}

export async function traceEvm(ctx: Context, chain: Chain, a: WalkArgs): Promise<Graph> {
  const g = new Graph(a.limit);
  type Item = FrontierItem & { depth: number };
  let frontier: Item[] = [];
  const addrNode = (bytes: Uint8Array, id: string, depth: number, height: number | null) => {
    const name = checksummed(bytes);
    return g.add({ id: name, kind: "ADDRESS", label: short(name), height, value: null, depth, ref: ["a", id, ""] }) ? name : null;
  };
  const open = (it: FrontierItem, o: number[]) => {
    const n = g.nodes.get(it.n);
    if (!n) return;
    n.open.add(it.d);
    n.offsets[it.d] = o;
  };
  const queue = (n: TraceNode, d: Dir, depth: number, into: Item[]) => {
    if (!n.ref || g.expanded.has(`${d}:${n.id}`)) return;
    g.expanded.add(`${d}:${n.id}`);
    if (depth < a.depth) into.push({ n: n.id, l: n.label, r: n.ref, d, o: [0, 0], depth });
    else open({ n: n.id, l: n.label, r: n.ref, d, o: [0, 0] }, [0, 0]);
  };

  if (a.after) {
    for (const it of a.after) {
      g.add({ id: it.n, kind: "ADDRESS", label: it.l, height: null, value: null, depth: 0, ref: it.r });
      g.expanded.add(`${it.d}:${it.n}`);
      frontier.push({ ...it, depth: 0 });
    }
  } else {
    frontier = await start();
  }

  for (let hop = 0; frontier.length; hop++) {
    const budget = a.limit - g.nodes.size;
    if (hop >= a.depth || budget <= 0) {
      for (const it of frontier) open(it, it.o);
      if (budget <= 0 && hop < a.depth) g.truncated = true;
      break;
    }
    const k = budget + 1;
    const F = frontier.filter((f) => f.d === "F"), B = frontier.filter((f) => f.d === "B");
    const q: Prisma.Sql[] = [];
    const native = (part: "NF" | "NB", items: Item[]) => {
      const [mine, other] = part === "NF" ? ["from_id", "coalesce(t.to_id, t.contract_created_id)"] : ["to_id", "t.from_id"];
      // The partial indexes on evm_tx (value > 0) hold exactly these txs, in chain order (ids are allocated in it), so
      // a contract with millions of value-less calls costs no more than an address with a few transfers.
      return Prisma.sql`
        SELECT ${part} AS part, f.ord::int AS ord, t.hash, t.height::text AS height, t.value::text AS value, NULL::int AS log_index, NULL::int AS batch,
          t.other_id::text AS other_id, o.address AS other, NULL::bytea AS token, NULL::text AS symbol
        FROM unnest(${items.map((i) => i.r[1])}::bigint[], ${items.map((i) => i.o[0] ?? 0)}::int[]) WITH ORDINALITY AS f(id, off, ord)
        CROSS JOIN LATERAL (
          SELECT t.hash, t.height, t.value, ${Prisma.raw(other)} AS other_id FROM evm_tx t
          WHERE t.${Prisma.raw(mine)} = f.id AND t.value > 0
          ORDER BY t.id DESC OFFSET f.off LIMIT ${k}) t
        JOIN evm_address o ON o.id = t.other_id`;
    };
    const tokens = (part: "TF" | "TB", items: Item[]) => {
      const [mine, other] = part === "TF" ? ["from_id", "to_id"] : ["to_id", "from_id"];
      return Prisma.sql`
        SELECT ${part}, f.ord::int, t.hash, x.height::text, x.amount::text, x.log_index, x.batch_index, x.other_id::text, o.address, tk.address, tk.token_symbol
        FROM unnest(${items.map((i) => i.r[1])}::bigint[], ${items.map((i) => i.o[1] ?? 0)}::int[]) WITH ORDINALITY AS f(id, off, ord)
        CROSS JOIN LATERAL (
          SELECT tx_id, log_index, batch_index, height, amount, token_address_id, ${Prisma.raw(other)} AS other_id FROM evm_token_transfer
          WHERE ${Prisma.raw(mine)} = f.id ORDER BY tx_id DESC, log_index DESC, batch_index DESC OFFSET f.off LIMIT ${k}) x
        JOIN evm_tx t ON t.id = x.tx_id JOIN evm_address o ON o.id = x.other_id JOIN evm_address tk ON tk.id = x.token_address_id`;
    };
    if (F.length) q.push(native("NF", F), tokens("TF", F));
    if (B.length) q.push(native("NB", B), tokens("TB", B));
    const rows = await ctx.db.$queryRaw<HopRow[]>(Prisma.sql`SELECT * FROM (${Prisma.join(q, " UNION ALL ")}) AS u(part, ord, hash, height, value, log_index, batch, other_id, other, token, symbol)`);
    g.statements++;
    const by = new Map<string, HopRow[]>();
    for (const r of rows) {
      const key = `${r.part}:${r.ord}`;
      const l = by.get(key);
      if (l) l.push(r); else by.set(key, [r]);
    }
    const next: Item[] = [];
    for (const [d, items] of [["F", F], ["B", B]] as const) {
      items.forEach((it, i) => {
        const offs = [it.o[0] ?? 0, it.o[1] ?? 0];
        for (const [j, kind] of (["N", "T"] as const).entries()) {
          const list = by.get(`${kind}${d}:${i + 1}`) ?? [];
          let consumed = 0;
          for (const r of list) {
            const other = addrNode(r.other, r.other_id, it.depth + 1, Number(r.height));
            if (!other) {
              offs[j] += consumed;
              open(it, offs);
              return;
            }
            const hash = evmHex(r.hash);
            const [from, to] = d === "F" ? [it.n, other] : [other, it.n];
            const asset = kind === "N" ? null : r.symbol ?? checksummed(r.token!);
            g.edge({ id: kind === "N" ? hash : `${hash}:${r.log_index}:${r.batch}`, from, to, value: r.value, outputIndex: null, height: Number(r.height), txid: hash, asset, address: null });
            queue(g.nodes.get(other)!, d, it.depth + 1, next);
            consumed++;
          }
          offs[j] += consumed;
          if (list.length >= k) {
            g.truncated = true;
            open(it, offs);
          }
        }
      });
    }
    frontier = next;
  }
  return g;

  async function start(): Promise<Item[]> {
    const out: Item[] = [];
    const s = a.from.trim();
    if (/^0x[0-9a-fA-F]{64}$/.test(s)) {
      const hash = parseEvmHash(s, "from");
      const rows = await ctx.db.$queryRaw<{ height: string; value: string; from_id: string; from: Uint8Array; to_id: string | null; to: Uint8Array | null; transfers: { f: string; fa: string; t: string; ta: string; amount: string; log: number; batch: number; token: string; symbol: string | null }[] | null }[]>`
        SELECT t.height::text AS height, t.value::text AS value, t.from_id::text AS from_id, fa.address AS "from",
          coalesce(t.to_id, t.contract_created_id)::text AS to_id, ta.address AS "to",
          (SELECT json_agg(json_build_object('f', x.from_id::text, 'fa', encode(xf.address, 'hex'), 't', x.to_id::text, 'ta', encode(xt.address, 'hex'),
              'amount', x.amount::text, 'log', x.log_index, 'batch', x.batch_index, 'token', encode(tk.address, 'hex'), 'symbol', tk.token_symbol)
              ORDER BY x.log_index, x.batch_index)
            FROM evm_token_transfer x JOIN evm_address xf ON xf.id = x.from_id JOIN evm_address xt ON xt.id = x.to_id JOIN evm_address tk ON tk.id = x.token_address_id
            WHERE x.tx_id = t.id) AS transfers
        FROM evm_tx t JOIN evm_address fa ON fa.id = t.from_id LEFT JOIN evm_address ta ON ta.id = coalesce(t.to_id, t.contract_created_id)
        WHERE t.chain_id = ${chain.id}::smallint AND t.hash = ${Buffer.from(hash)} LIMIT 1`;
      g.statements++;
      const r = rows[0];
      if (!r) throw notFound(`transaction ${s.toLowerCase()} is not in ${chain.slug}'s index`);
      const id = evmHex(hash);
      const height = Number(r.height);
      g.add({ id, kind: "TRANSACTION", label: short(id), height, value: r.value, depth: 0 });
      const fromName = addrNode(r.from, r.from_id, 1, height)!;
      g.edge({ id: `${id}:from`, from: fromName, to: id, value: r.value, outputIndex: null, height, txid: id, asset: null, address: null });
      if (a.dirs.includes("B")) queue(g.nodes.get(fromName)!, "B", 1, out);
      if (r.to_id && r.to) {
        const toName = addrNode(r.to, r.to_id, 1, height)!;
        g.edge({ id: `${id}:to`, from: id, to: toName, value: r.value, outputIndex: null, height, txid: id, asset: null, address: null });
        if (a.dirs.includes("F")) queue(g.nodes.get(toName)!, "F", 1, out);
      }
      for (const x of r.transfers ?? []) {
        const f = addrNode(Buffer.from(x.fa, "hex"), x.f, 1, height);
        const t = addrNode(Buffer.from(x.ta, "hex"), x.t, 1, height);
        if (!f || !t) break;
        g.edge({ id: `${id}:${x.log}:${x.batch}`, from: f, to: t, value: x.amount, outputIndex: null, height, txid: id, asset: x.symbol ?? checksummed(Buffer.from(x.token, "hex")), address: null });
        if (a.dirs.includes("B")) queue(g.nodes.get(f)!, "B", 1, out);
        if (a.dirs.includes("F")) queue(g.nodes.get(t)!, "F", 1, out);
      }
      return out;
    }
    const bytes = parseEvmAddress(s, "from");
    const rows = await ctx.db.$queryRaw<{ id: string; balance: string; first: string }[]>`
      SELECT id::text AS id, balance::text AS balance, first_height::text AS first FROM evm_address
      WHERE chain_id = ${chain.id}::smallint AND address = ${Buffer.from(bytes)}`;
    g.statements++;
    if (!rows.length) throw notFound(`address ${checksummed(bytes)} has no activity in ${chain.slug}'s index`);
    const name = addrNode(bytes, rows[0].id, 0, Number(rows[0].first))!;
    g.nodes.get(name)!.value = rows[0].balance;
    for (const d of a.dirs) queue(g.nodes.get(name)!, d, 0, out);
    return out;
  }
}
