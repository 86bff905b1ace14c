// The site's process as `npm start` runs it: one node:http server that hands /api/graphql straight to the yoga
// instance and every other request to Next's request handler (the built site in .next, as `next start` serves it).
// Why not Next's route for the API: its layer (web Request/Response objects and streams, async-context bookkeeping)
// costs 2–5 ms of CPU per request, more than a cached GraphQL answer, and on two cores that, not the API, capped
// throughput. app/api/graphql/route.ts still mounts the same yoga for `next dev`, which does not use this file.
// Run: DATABASE_URL=... PORT=3000 HOST=0.0.0.0 node --import tsx graphql/site-server.ts (after `next build`).
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { listen, pathOf } from "./http";
import { yoga } from "./yoga";

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const site = next({ dev: false, dir, hostname: host, port });
await site.prepare();
const nextHandler = site.getRequestHandler();

listen((req, res) => (pathOf(req) === yoga.graphqlEndpoint ? yoga(req, res) : nextHandler(req, res)), {
  port, host, close: () => site.close(),
  onListening: () => console.log(`site on http://${host}:${port} (GraphQL at ${yoga.graphqlEndpoint} without Next's route layer)`),
});
