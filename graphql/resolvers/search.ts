// search(query): decide what a string is — a height, a block hash, a tx hash or an address — on every chain, and
// answer each hit with its chain. Lookups go through the loaders, so N chains cost one batched query per kind.
import type { BtcAddress } from "../../generated/prisma/client";
import type { EvmAddressRow as EvmAddress } from "../context";
import { AddressDecodeError, addressToScript } from "../bitcoin/script";
import { familyOf, type Context } from "../context";
import { badInput } from "../errors";
import { parseEvmAddress } from "./address";
import { emptyBtcAddress } from "./bitcoin";
import { withFamily } from "./block";
import { emptyEvmAddress } from "./evm";

type Hit = { kind: "BLOCK" | "TRANSACTION" | "ADDRESS"; chain: unknown; item: unknown };

export async function search(ctx: Context, raw: string): Promise<Hit[]> {
  const q = raw.trim();
  if (q.length === 0) throw badInput("search: empty query");
  if (q.length > 200) throw badInput("search: query longer than 200 characters");
  const chains = (await ctx.chains()).all;
  const L = ctx.loaders;
  const hits: Promise<Hit | null>[] = [];

  if (/^\d{1,15}$/.test(q)) {
    const height = BigInt(q);
    for (const c of chains) {
      hits.push(L.canonicalBlockByHeight.load({ chainId: c.id, value: height }).then((b) => (b ? { kind: "BLOCK", chain: c, item: withFamily(b, familyOf(c)) } : null)));
    }
  } else if (/^(0x)?[0-9a-fA-F]{64}$/.test(q)) {
    const bytes = Uint8Array.from(Buffer.from(q.replace(/^0x/, ""), "hex"));
    for (const c of chains) {
      // Bitcoin shows hashes byte-reversed; EVM shows them as stored.
      const key = c.family === "evm" ? bytes : Uint8Array.from(bytes).reverse();
      hits.push(L.blockByHash.load({ chainId: c.id, value: key }).then((b) => (b ? { kind: "BLOCK", chain: c, item: withFamily(b, familyOf(c)) } : null)));
      const tx = c.family === "evm" ? L.evmTxByHash.load({ chainId: c.id, value: key }) : L.btcTxByTxid.load({ chainId: c.id, value: key });
      hits.push(tx.then((t) => (t ? { kind: "TRANSACTION", chain: c, item: t } : null)));
    }
  } else {
    // An address: try every chain's decoder. A standard encoding that decodes is an address even if never seen.
    const candidates: { chain: (typeof chains)[number]; row: Promise<BtcAddress | EvmAddress | null>; empty: () => BtcAddress | EvmAddress }[] = [];
    for (const c of chains) {
      try {
        if (c.family === "evm") {
          const b = parseEvmAddress(q, "query");
          candidates.push({ chain: c, row: L.evmAddressByBytes.load({ chainId: c.id, value: b }), empty: () => emptyEvmAddress(c.id, b) });
        } else {
          const s = addressToScript(q, c.network);
          candidates.push({ chain: c, row: L.btcAddressByScript.load({ chainId: c.id, value: s }), empty: () => emptyBtcAddress(c.id, s) });
        }
      } catch (e) {
        if (!(e instanceof AddressDecodeError) && !(e instanceof Error && "extensions" in e)) throw e;
      }
    }
    const rows = await Promise.all(candidates.map((x) => x.row));
    const seen = candidates.filter((_, i) => rows[i]);
    // Only if it was seen nowhere do we answer unseen decodes — and never for bare hex, which any script can be.
    const pick = seen.length > 0 ? seen : /^[0-9a-fA-F]+$/.test(q) ? [] : candidates;
    for (const x of pick) hits.push(Promise.resolve({ kind: "ADDRESS", chain: x.chain, item: rows[candidates.indexOf(x)] ?? x.empty() }));
  }
  return (await Promise.all(hits)).filter((h): h is Hit => h !== null);
}

/** Union member for a search item: blocks carry `family`, Bitcoin txs `txid`, Bitcoin addresses `script`. */
export const SearchItem = {
  __resolveType(item: Record<string, unknown>) {
    if ("family" in item && "parentHash" in item) return item.family === "evm" ? "EvmBlock" : "BitcoinBlock";
    if ("txid" in item) return "BitcoinTransaction";
    if ("fromId" in item) return "EvmTransaction";
    return "script" in item ? "BitcoinAddress" : "EvmAddress";
  },
};
