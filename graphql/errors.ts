// Errors a client can act on carry extensions.code; anything else is masked by yoga (no messages from the
// database, no stack traces). Built with yoga's createGraphQLError so they are instances of the same `graphql`
// copy yoga checks against (a second copy — ESM vs CJS — would make yoga mask them as unexpected).
import { createGraphQLError } from "graphql-yoga";
import type { GraphQLError } from "graphql";

export type ErrorCode = "BAD_USER_INPUT" | "NOT_FOUND" | "TIMEOUT" | "QUERY_TOO_COMPLEX";

export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return createGraphQLError(message, { extensions: { code, ...extra } });
}

export const badInput = (message: string, extra?: Record<string, unknown>) => apiError("BAD_USER_INPUT", message, extra);
export const notFound = (message: string) => apiError("NOT_FOUND", message);
