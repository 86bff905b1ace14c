import { describe, expect, it } from "vitest";
import { MAX_SOCKET_PATH_BYTES, postgresJsTarget, socketDirOf, socketPath, socketPathFits, withSocketDir } from "../../../indexer/db/socket-url";

const TCP = "postgres://postgres:chainproof@127.0.0.1:5433/chainproof";

describe("PostgreSQL socket URLs", () => {
  it("names the socket dir libpq's way and reads it back", () => {
    const url = withSocketDir(TCP, "/tmp/cp-pg-abc");
    expect(url).toBe("postgres://postgres:chainproof@127.0.0.1:5433/chainproof?host=%2Ftmp%2Fcp-pg-abc");
    expect(socketDirOf(url)).toBe("/tmp/cp-pg-abc");
    expect(socketDirOf(TCP)).toBeUndefined();
    expect(socketDirOf(`${TCP}?host=db.example`)).toBeUndefined(); // a host name, not a directory
  });

  it("gives postgres.js the socket's path and a URL without the host parameter (it would send it as a setting)", () => {
    expect(postgresJsTarget(withSocketDir(`${TCP}?sslmode=disable`, "/run/pg"))).toEqual({
      url: `${TCP}?sslmode=disable`,
      path: "/run/pg/.s.PGSQL.5433",
    });
    expect(postgresJsTarget("postgres://u@localhost/db?host=/run/pg")).toEqual({ url: "postgres://u@localhost/db", path: "/run/pg/.s.PGSQL.5432" });
    expect(postgresJsTarget(TCP)).toEqual({ url: TCP });
  });

  it("refuses a directory whose socket path would not fit sun_path", () => {
    expect(socketPath("/tmp/x", 5432)).toBe("/tmp/x/.s.PGSQL.5432");
    expect(socketPathFits("/tmp/cp-pg-abcdef", 65535)).toBe(true);
    const long = `/${"d".repeat(MAX_SOCKET_PATH_BYTES - "/.s.PGSQL.65535".length - 1)}`;
    expect(socketPathFits(long, 65535)).toBe(true);
    expect(socketPathFits(`${long}d`, 65535)).toBe(false);
  });
});
