// The indexer's PostgreSQL client (porsager/postgres) with Nagle's algorithm off. postgres.js leaves it on, and a
// COPY's last small message (CopyDone) then waits for the previous segment's delayed ACK: ~40 ms per COPY,
// measured (a 10-row COPY took 42 ms, 2 ms without Nagle). A batch issues several COPYs.
import net from "node:net";
import postgres from "postgres";
import { postgresJsTarget } from "./socket-url";

/** postgres.js supports a `socket` factory (src/connection.js) but does not declare it in its types. */
interface SocketFactory {
  socket(o: { host: string[]; port: number[]; path?: string }): net.Socket;
}

/** `url` is TCP or names a Unix socket's directory libpq's way (`?host=/dir`, see socket-url.ts). */
export function connectPostgres(url: string, options: postgres.Options<Record<string, never>> = {}): postgres.Sql {
  // A unix socket has no Nagle; a TCP URL listing several hosts connects to the first.
  const socket: SocketFactory["socket"] = ({ host, port, path }) => (path ? net.connect({ path }) : net.connect({ host: host[0], port: port[0], noDelay: true }));
  const target = postgresJsTarget(url);
  return postgres(target.url, { ...options, ...(target.path ? { path: target.path } : {}), socket } as postgres.Options<Record<string, never>>);
}
