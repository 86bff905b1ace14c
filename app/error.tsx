"use client";
// Any unexpected failure while rendering a page: say what went wrong and offer a retry.
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="banner bad" role="alert">
      <h1>Something went wrong</h1>
      <p>What went wrong: <span className="mono">{error.message || "the server could not render this page"}</span>{error.digest ? <span className="muted"> (reference {error.digest})</span> : null}</p>
      <p>
        <button type="button" className="btn" onClick={() => reset()}>Try again</button>{" "}
        <a href="/">Home page</a>
      </p>
    </section>
  );
}
