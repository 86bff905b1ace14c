// Server-side GraphQL: operations run in-process through the same yoga server that answers /api/graphql (same
// schema, resolvers and limits), without an HTTP hop. One operation per page keeps the server response flat.
import { yoga } from "../../graphql/yoga";

export interface GqlError {
  message: string;
  extensions?: { code?: string; [k: string]: unknown };
}

export interface GqlResult<T> {
  data: T | null;
  errors?: GqlError[];
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<GqlResult<T>> {
  const res = await yoga.fetch("http://chainproof.internal/api/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GqlResult<T>;
  return { data: body.data ?? null, errors: body.errors };
}

/** A readable message for the first error, with its code. */
export function errorText(errors: GqlError[] | undefined): string | null {
  if (!errors || errors.length === 0) return null;
  const e = errors[0];
  return e.extensions?.code ? `${e.message} (${e.extensions.code})` : e.message;
}

export function isNotFound(errors: GqlError[] | undefined): boolean {
  return !!errors?.some((e) => e.extensions?.code === "NOT_FOUND");
}

export function isBadInput(errors: GqlError[] | undefined): boolean {
  return !!errors?.some((e) => e.extensions?.code === "BAD_USER_INPUT");
}
