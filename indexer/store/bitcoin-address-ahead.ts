// Address ids looked up ahead. While batch N is being written, batch N+1's scripts that N does not contain are
// looked up on another connection: every batch before N has committed, and N cannot create them. At N+1's write,
// once N has committed, a script's id is N's id for it, the one found, or a new one, and the lookup (~10% of a
// large index's time) has left the write transaction.
import type { PrepareDb } from "../engine/adapter";
import { findAddressIds } from "./bitcoin-addresses";
import type { BatchRows } from "./bitcoin-rows";

export interface AddressLookahead {
  /** The scripts of the batch prepared just before this one (only their identity and the ids they get are kept, not
   *  that batch's rows): it must be the last one committed when this one is written. */
  prevScripts: Uint8Array[];
  /** Per script: its index in prev.scripts, or -1 (then it was looked up). */
  prevIndex: Int32Array;
  /** The looked-up scripts' ids in order (undefined: new); undefined when the lookup failed. */
  found: Promise<(bigint | undefined)[] | undefined>;
}

/** A batch's scripts (BatchRows.scripts, which also identifies the batch) and the ids its write gave them. */
export interface CommittedAddresses {
  scripts: Uint8Array[];
  ids: bigint[];
}

export function lookAhead(db: PrepareDb, rows: BatchRows, prev: Pick<BatchRows, "scripts" | "scriptIndex">): AddressLookahead {
  const prevIndex = new Int32Array(rows.scripts.length);
  const ask: Uint8Array[] = [];
  for (let s = 0; s < rows.scripts.length; s++) {
    prevIndex[s] = prev.scriptIndex.get(rows.scripts[s]);
    if (prevIndex[s] < 0) ask.push(rows.scripts[s]);
  }
  // A failed lookup only means the write looks up in its transaction.
  const found = findAddressIds(db.sql, db.chainId, ask).catch(() => undefined);
  return { prevScripts: prev.scripts, prevIndex, found };
}

/** Per script its id, or null for a new one; undefined when the lookahead does not hold (then the write looks up
 *  itself): its previous batch is not the last committed one (a reorg, a retry from the checkpoint, a failed write). */
export async function resolveLookahead(a: AddressLookahead, last: CommittedAddresses | undefined): Promise<(bigint | null)[] | undefined> {
  if (!last || last.scripts !== a.prevScripts) return undefined;
  const found = await a.found;
  if (!found) return undefined;
  const out = new Array<bigint | null>(a.prevIndex.length);
  let k = 0;
  for (let s = 0; s < out.length; s++) out[s] = a.prevIndex[s] >= 0 ? last.ids[a.prevIndex[s]] : (found[k++] ?? null);
  return out;
}
