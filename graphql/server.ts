// The GraphQL API on a plain node:http server, without Next.js: the same yoga instance (schema, limits, cache) that
// app/api/graphql/route.ts mounts. Next's route layer (request/response web streams, its async-context bookkeeping)
// costs several ms of CPU per request, more than a cached answer; a deployment that needs the throughput can put
// this process behind the same path. Run: DATABASE_URL=... PORT=4000 node --import tsx graphql/server.ts
import { createServer } from "node:http";
import { yoga } from "./yoga";

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? "127.0.0.1";
const server = createServer(yoga);
// Keep-alive longer than a client's idle gap, so a pooled connection is not closed under it.
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => console.log(`GraphQL API on http://${host}:${port}${yoga.graphqlEndpoint}`));
for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => server.close(() => process.exit(0)));
