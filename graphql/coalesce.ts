// Shared reads for concurrent requests that never hand a request a read begun before it arrived. The response cache
// is exact because each request reads the chain table after it arrived (graphql/response-cache.ts); a read already
// in flight may predate a commit the client has seen, so it is not reused. Requests arriving while one is in flight
// share the next read instead, which starts when the current one ends: one read per round trip however many
// requests arrive, instead of one per request.

/** Wraps `read` so that at most one call is in flight and callers arriving meanwhile share the next one. */
export function coalesced<T>(read: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | undefined;
  let queued: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const p = read();
    current = p;
    const clear = () => {
      if (current === p) current = undefined;
    };
    p.then(clear, clear);
    return p;
  };
  const settled = () => undefined;
  return () => {
    if (!current) return start();
    return (queued ??= current.then(settled, settled).then(() => {
      queued = undefined;
      return start();
    }));
  };
}
