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

/** first/after or last/before from the URL; cursors are opaque strings checked by the API. */
export function pageArgs(sp: { after?: string | string[]; before?: string | string[] }, size: number) {
  const one = (x: string | string[] | undefined) => (Array.isArray(x) ? x[0] : x) || null;
  const after = one(sp.after);
  const before = one(sp.before);
  return before && !after ? { first: null, after: null, last: size, before } : { first: size, after, last: null, before: null };
}
