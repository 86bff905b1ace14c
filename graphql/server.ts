// The GraphQL API on a plain node:http server, without Next.js: the same yoga instance (schema, limits, cache) that
// the site serves at /api/graphql (graphql/site-server.ts), for a deployment that wants API processes apart from the
// site (more of them, on other machines). Run: DATABASE_URL=... PORT=4000 node --import tsx graphql/server.ts
import { listen } from "./http";
import { yoga } from "./yoga";

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? "127.0.0.1";
listen(yoga, { port, host, onListening: () => console.log(`GraphQL API on http://${host}:${port}${yoga.graphqlEndpoint}`) });
