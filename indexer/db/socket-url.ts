// PostgreSQL over a Unix-domain socket, named in a postgres:// URL the way libpq does: `?host=/socket/dir`
// (the socket is `<dir>/.s.PGSQL.<port>`). pg reads that form itself; postgres.js does not (it would send `host` to
// the server as a setting), so its options are derived here. Why a socket: for a page that misses every cache,
// writing to a TCP loopback socket was a fifth of the API server's CPU.

/** Linux's sun_path holds 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;

/** The socket file PostgreSQL creates in `dir` for `port`. */
export const socketPath = (dir: string, port: number): string => `${dir}/.s.PGSQL.${port}`;

/** Whether PostgreSQL can create its socket in `dir` (it refuses a longer path at start). */
export const socketPathFits = (dir: string, port: number): boolean => Buffer.byteLength(socketPath(dir, port)) <= MAX_SOCKET_PATH_BYTES;

/** `url` (a TCP URL: user, password, port, database) reaching the same server through the socket in `dir`. */
export function withSocketDir(url: string, dir: string): string {
  const u = new URL(url);
  u.searchParams.set("host", dir);
  return u.toString();
}

/** The socket directory a URL names (`?host=/dir`), or undefined for a TCP URL. */
export function socketDirOf(url: string): string | undefined {
  const host = new URL(url).searchParams.get("host");
  return host?.startsWith("/") ? host : undefined;
}

/** For postgres.js: the URL without `?host=/dir` and the socket's path, or the URL unchanged for TCP. */
export function postgresJsTarget(url: string): { url: string; path?: string } {
  const dir = socketDirOf(url);
  if (dir === undefined) return { url };
  const u = new URL(url);
  u.searchParams.delete("host");
  return { url: u.toString(), path: socketPath(dir, Number(u.port || 5432)) };
}
