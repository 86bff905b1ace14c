// A batch's effect on its addresses (indexer/store/bitcoin-addresses.ts) on the synthetic chain, checked against a
// plain per-(address, tx) recomputation: per-tx nets, summaries, and history in primary-key order.
import { describe, expect, it } from "vitest";
import { ChainGenerator } from "../../../../bench/gen/chain";
import { decodeBlock } from "../../../../indexer/sources/bitcoin-block";
import { addressEffects, historyByAddress, type AddressIds } from "../../../../indexer/store/bitcoin-addresses";
import { buildRows } from "../../../../indexer/store/bitcoin-rows";

const gen = new ChainGenerator({ seed: 5, txs: 3000, minBlockTxs: 100, maxBlockTxs: 300 });
const blocks: ReturnType<typeof decodeBlock>[] = [];
for (let b = gen.next(); b; b = gen.next()) blocks.push(decodeBlock("gen", { height: b.height, raw: b.raw }));

describe("addressEffects", () => {
  it("matches a recomputation per (address, tx), and orders history by address id, then chain order", () => {
    const rows = buildRows(blocks.slice(1), "gen");
    rows.txs.forEach((t, i) => (t.id = 1000n + BigInt(i)));
    // Ids in reverse order of first appearance, so the key order differs from chain order.
    const n = rows.scripts.length;
    const addr: AddressIds = { ids: rows.scripts.map((_, s) => BigInt(5_000_000 - s)), fresh: rows.scripts.map((_, s) => s % 3 !== 0), firstFresh: 0n };
    // Inputs funded before this batch (by genesis, unresolved here) carry no address: only in-batch spends count.
    const e = addressEffects(rows, addr);

    const net = new Map<string, bigint>();
    const order: string[] = [];
    const add = (s: number, t: number, v: bigint) => {
      const k = `${s}:${t}`;
      if (!net.has(k)) order.push(k);
      net.set(k, (net.get(k) ?? 0n) + v);
    };
    rows.ins.forEach((i) => i.prev?.kind === "batch" && rows.outs[i.prev.out].script >= 0 && add(rows.outs[i.prev.out].script, i.tx, -rows.outs[i.prev.out].value));
    rows.outs.forEach((o) => o.script >= 0 && add(o.script, o.tx, o.value));
    // Per-tx order of first touch within a tx may differ; compare as sets of rows, then the key order.
    const got = Array.from({ length: e.history.length }, (_, k) => `${e.history.local[k]}:${e.history.tx[k]}=${e.history.delta[k]}`);
    const want = order.map((k) => `${k}=${net.get(k)}`);
    expect([...got].sort()).toEqual([...want].sort());
    expect(e.ids.length).toBe(n);
    expect(e.history.length).toBeGreaterThan(n);

    let balance = 0n;
    for (let s = 0; s < n; s++) {
      expect(e.balance[s]).toBe(e.received[s] - e.sent[s]);
      balance += e.balance[s];
    }
    const created = rows.outs.reduce((v, o) => v + (o.script >= 0 ? o.value : 0n), 0n);
    const spent = rows.ins.reduce((v, i) => v + (i.prev?.kind === "batch" && rows.outs[i.prev.out].script >= 0 ? rows.outs[i.prev.out].value : 0n), 0n);
    expect(balance).toBe(created - spent);

    const sorted = Array.from(historyByAddress(e));
    const keyOf = (k: number) => [e.ids[e.history.local[k]], k] as const;
    for (let i = 1; i < sorted.length; i++) {
      const [a, ka] = keyOf(sorted[i - 1]);
      const [b, kb] = keyOf(sorted[i]);
      expect(a < b || (a === b && ka < kb)).toBe(true);
    }
    expect(new Set(sorted).size).toBe(e.history.length);
  });
});
