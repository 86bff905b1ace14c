// Relay keyset pagination. Every list is ordered by (height, position) — blocks use (height, 0) — so a cursor is
// that pair and a page is one index range scan `(height, position) < cursor ORDER BY ... LIMIT n+1`: page 10,000
// costs what page 1 costs. Cursors are opaque (base64url) so the encoding can change without breaking clients.
import { badInput } from "./errors";

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

export interface Key { height: bigint; position: number }

export interface PageArgs { first?: number | null; after?: string | null; last?: number | null; before?: string | null }

/** A validated page request. `direction` is the walk order relative to the list's natural order. */
export interface PageRequest {
  limit: number;
  /** "forward": natural order from after the cursor; "backward": reverse order from before the cursor. */
  direction: "forward" | "backward";
  cursor: Key | null;
}

export function encodeCursor(k: Key): string {
  return Buffer.from(`k1:${k.height}:${k.position}`).toString("base64url");
}

export function decodeCursor(cursor: string, arg: string): Key {
  const m = /^k1:(\d{1,19}):(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m || cursor.length > 64) throw badInput(`${arg}: not a cursor from this API`, { argument: arg });
  return { height: BigInt(m[1]), position: Number(m[2]) };
}

function checkCount(n: number | null | undefined, arg: string): number | undefined {
  if (n === null || n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE) {
    throw badInput(`${arg} must be between 0 and ${MAX_PAGE} (got ${n}); page with after/before cursors`, { argument: arg, max: MAX_PAGE });
  }
  return n;
}

export function pageRequest(args: PageArgs): PageRequest {
  const first = checkCount(args.first, "first");
  const last = checkCount(args.last, "last");
  if (first !== undefined && last !== undefined) throw badInput("give first or last, not both");
  if (args.after && args.before) throw badInput("give after or before, not both");
  if (last !== undefined || (args.before && first === undefined)) {
    if (args.after) throw badInput("last pages backward: use before, not after");
    return { limit: last ?? DEFAULT_PAGE, direction: "backward", cursor: args.before ? decodeCursor(args.before, "before") : null };
  }
  if (args.before) throw badInput("first pages forward: use after, not before");
  return { limit: first ?? DEFAULT_PAGE, direction: "forward", cursor: args.after ? decodeCursor(args.after, "after") : null };
}

export interface Connection<T> {
  edges: { cursor: string; node: T; [k: string]: unknown }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * Build a connection from rows fetched with LIMIT n+1 in walk order. The extra row only tells whether another page
 * exists in the walk direction; for the opposite direction a cursor means we came from somewhere, so there is one
 * (Relay allows this approximation, and it costs no query).
 */
export function connection<R, T>(req: PageRequest, rows: R[], key: (r: R) => Key, edge: (r: R) => { node: T; [k: string]: unknown }): Connection<T> {
  const more = rows.length > req.limit;
  const page = rows.slice(0, req.limit);
  if (req.direction === "backward") page.reverse();
  const edges = page.map((r) => ({ cursor: encodeCursor(key(r)), ...edge(r) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: req.direction === "forward" ? more : req.cursor !== null,
      hasPreviousPage: req.direction === "backward" ? more : req.cursor !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
