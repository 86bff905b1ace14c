// node:http glue shared by the two processes that serve the API (graphql/server.ts, graphql/site-server.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** The request's path without its query string. */
export const pathOf = (req: IncomingMessage): string => {
  const u = req.url ?? "/";
  const q = u.indexOf("?");
  return q < 0 ? u : u.slice(0, q);
};

/** Listens, and on SIGINT/SIGTERM stops accepting, drops idle keep-alive sockets and runs `close` before exiting. */
export function listen(handler: Handler, o: { port: number; host: string; onListening: () => void; close?: () => Promise<void> }): Server {
  const server = createServer(handler);
  // Keep-alive longer than a client's idle gap, so a pooled connection is not closed under it.
  server.keepAliveTimeout = 65_000;
  server.listen(o.port, o.host, o.onListening);
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      server.close();
      server.closeIdleConnections();
      void (o.close?.() ?? Promise.resolve()).finally(() => process.exit(0));
    });
  }
  return server;
}
