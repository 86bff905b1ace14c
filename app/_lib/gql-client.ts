// Browser-side GraphQL for live data (TanStack Query calls this against /api/graphql).
export async function gqlFetch<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch("/api/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: T | null; errors?: { message: string }[] };
  try {
    body = await res.json();
  } catch {
    throw new Error(`the API answered HTTP ${res.status} without JSON`);
  }
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  if (!body.data) throw new Error(`the API answered HTTP ${res.status} with no data`);
  return body.data;
}
