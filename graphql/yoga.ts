// The GraphQL server: schema + resolvers + limits. The node:http servers and app/api/graphql/route.ts only hand
// requests to it.
import { useGraphQlJit } from "@envelop/graphql-jit";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { getOperationAST } from "graphql";
import { createSchema, createYoga, type YogaInitialContext } from "graphql-yoga";
import { bodyLimit } from "./body-limit";
import { createContext, type Context } from "./context";
import { armor, costAndTimeout, LIMITS, pageSizeRule } from "./limits";
import * as analytics from "./analytics";
import { responseCache } from "./response-cache";
import { resolvers } from "./resolvers";
import { typeDefs } from "./schema";
import * as trace from "./trace";

export const schema = createSchema<Context & YogaInitialContext>({
  typeDefs: [typeDefs, analytics.typeDefs, trace.typeDefs],
  resolvers: [resolvers, analytics.resolvers, trace.resolvers],
});

/**
 * The API's yoga instance. `fetchAPI` overrides are for hosts that need their own Request/Response classes: Next's
 * route wants the platform's Response. On node:http the default (whatwg-node's own classes) is the fast path: its
 * node adapter writes a string answer straight to the socket instead of piping a web stream.
 */
export const createApi = (fetchAPI?: { Response: typeof Response }) => createYoga<{}, Context>({
  schema,
  graphqlEndpoint: "/api/graphql",
  ...(fetchAPI ? { fetchAPI } : {}),
  // A fresh context per request: loaders cache for one request only.
  context: () => createContext(),
  // GraphiQL on GET from a browser; read-only API, so there is nothing dangerous to click.
  graphiql: { title: "Chainproof GraphQL", defaultQuery: "{ chains { id name tipHeight status } }" },
  // Inline GraphiQL's assets: yoga's default page loads them from a CDN, which a self-hosted explorer must not need.
  renderGraphiQL,
  landingPage: false,
  batching: false,
  // The body limit is bodyLimit's (same errors, no per-request stream wrapper).
  maxRequestBodySize: false,
  // Unexpected errors (database, bugs) become "Unexpected error." with no message details and no stack, even in dev.
  maskedErrors: { isDev: false },
  // Order matters: the page-size rule must run before armor's cost rule so `first: 100000` gets the clear message.
  // The JIT executor (queries only: anything else, such as a mutation this schema lacks, keeps graphql-js's error)
  // comes before costAndTimeout, which wraps whatever execute it finds in its timeout.
  // The response cache goes last: it answers only what every limit before it has let through.
  plugins: [bodyLimit(LIMITS.maxBodyBytes), pageSizeRule(), armor(), useGraphQlJit({}, { enableIf: ({ document, operationName }) => getOperationAST(document, operationName)?.operation === "query" }), costAndTimeout(), responseCache({ enabled: process.env.CHAINPROOF_GRAPHQL_CACHE !== "off" })],
});

/** The instance node:http servers mount (graphql/site-server.ts, graphql/server.ts). */
export const yoga = createApi();
