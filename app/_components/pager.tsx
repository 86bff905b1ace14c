import Link from "next/link";

export interface PageInfo { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }

/** Keyset pager: the cursor lives in the URL (?after= / ?before=), so every page has a link. */
export function Pager({ base, info, newerLabel = "← Previous", olderLabel = "Next →", label }: { base: string; info: PageInfo; newerLabel?: string; olderLabel?: string; label: string }) {
  const sep = base.includes("?") ? "&" : "?";
  return (
    <nav className="pager" aria-label={label}>
      {info.hasPreviousPage && info.startCursor ? <Link href={`${base}${sep}before=${encodeURIComponent(info.startCursor)}`} rel="prev">{newerLabel}</Link> : <span className="disabled" aria-disabled="true">{newerLabel}</span>}
      {info.hasPreviousPage ? <Link href={base}>First page</Link> : null}
      {info.hasNextPage && info.endCursor ? <Link href={`${base}${sep}after=${encodeURIComponent(info.endCursor)}`} rel="next">{olderLabel}</Link> : <span className="disabled" aria-disabled="true">{olderLabel}</span>}
    </nav>
  );
}

/**
 * A forward-only keyset pager for a second list on a page (UTXOs, token balances): its cursor lives in its own URL
 * parameter, and the page's other parameters are kept, so paging one list leaves the others where they were.
 */
export function ForwardPager({ base, params, param, info, label }: { base: string; params: Record<string, string | undefined>; param: string; info: PageInfo; label: string }) {
  const url = (cursor: string | null) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v && k !== param) q.set(k, v);
    if (cursor) q.set(param, cursor);
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  if (!info.hasNextPage && !info.hasPreviousPage) return null;
  return (
    <nav className="pager" aria-label={label}>
      {info.hasPreviousPage ? <Link href={url(null)}>First page</Link> : <span className="disabled" aria-disabled="true">First page</span>}
      {info.hasNextPage && info.endCursor ? <Link href={url(info.endCursor)} rel="next">Next →</Link> : <span className="disabled" aria-disabled="true">Next →</span>}
    </nav>
  );
}

/** first/after or last/before from the URL; cursors are opaque strings checked by the API. */
export function pageArgs(sp: { after?: string | string[]; before?: string | string[] }, size: number) {
  const one = (x: string | string[] | undefined) => (Array.isArray(x) ? x[0] : x) || null;
  const after = one(sp.after);
  const before = one(sp.before);
  return before && !after ? { first: null, after: null, last: size, before } : { first: size, after, last: null, before: null };
}
