// Shared page states: not found (with suggestions), error (what went wrong), empty.
import Link from "next/link";

export function ErrorState({ title, detail, retryHref }: { title: string; detail?: string | null; retryHref?: string }) {
  return (
    <section className="banner bad" role="alert">
      <h1>{title}</h1>
      {detail ? <p>What went wrong: <span className="mono">{detail}</span></p> : null}
      <p>
        {retryHref ? <><a href={retryHref}>Try again</a> · </> : null}
        <Link href="/">Back to the home page</Link>
      </p>
    </section>
  );
}

export function NotFoundState({ what, query, detail }: { what: string; query?: string; detail?: string | null }) {
  return (
    <section aria-labelledby="nf-title">
      <div className="banner warn">
        <h1 id="nf-title">{what} not found</h1>
        {query ? <p>Nothing on the indexed chains matches <span className="mono">{query}</span>.</p> : null}
        {detail ? <p className="muted">{detail}</p> : null}
      </div>
      <Suggestions />
    </section>
  );
}

export function Suggestions() {
  return (
    <div className="card">
      <h2>Try searching for</h2>
      <ul className="suggestions">
        <li>a block height, e.g. <Link href="/search?q=170">170</Link> or <Link href="/search?q=0">0</Link> (genesis)</li>
        <li>a block hash or transaction id (64 hex characters; EVM hashes start with 0x), e.g. <Link href="/search?q=f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16">f4184fc5…9e16</Link></li>
        <li>an address: Bitcoin (1…, 3…, bc1…, or a public key) or EVM (0x + 40 hex)</li>
      </ul>
      <p className="muted">Only indexed blocks can be found: check the sync status on the <Link href="/">home page</Link>.</p>
    </div>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="muted empty">{children}</p>;
}
