// An HTTP proxy on 127.0.0.1 that breaks requests on purpose, reproducibly (seeded): it drops the connection,
// delays, answers 500, or cuts the body short, each at its own rate. Put it between the engine and a node.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mulberry32 } from "../../lib/random";

export interface FaultRates {
  /** Destroy the socket without answering. */
  drop?: number;
  /** Wait up to maxDelayMs before forwarding. */
  delay?: number;
  maxDelayMs?: number;
  /** Answer HTTP 500 without forwarding. */
  error500?: number;
  /** Forward, then send only part of the body (either cut off mid-stream or ended early and cleanly). */
  truncate?: number;
}

export interface FaultyProxy {
  url: string;
  /** How many of each fault were injected so far. */
  counts: Record<"drop" | "delay" | "error500" | "truncate" | "ok", number>;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: string, rates: FaultRates, seed = 1): Promise<FaultyProxy> {
  const random = mulberry32(seed);
  const counts = { drop: 0, delay: 0, error500: 0, truncate: 0, ok: 0 };
  const server = http.createServer(async (req, res) => {
    const body = await readAll(req);
    const roll = random();
    let edge = 0;
    const hit = (rate = 0) => roll < (edge += rate);
    if (hit(rates.drop)) {
      counts.drop++;
      req.socket.destroy();
      return;
    }
    if (hit(rates.error500)) {
      counts.error500++;
      res.writeHead(500, { "content-type": "text/plain" }).end("injected failure");
      return;
    }
    const truncate = hit(rates.truncate);
    if (hit(rates.delay)) {
      counts.delay++;
      await new Promise((r) => setTimeout(r, Math.floor(random() * (rates.maxDelayMs ?? 200))));
    }
    let upstream: Response;
    try {
      upstream = await fetch(target, { method: req.method, headers: { "content-type": req.headers["content-type"] ?? "application/json" }, body: new Uint8Array(body) });
    } catch {
      res.writeHead(502).end();
      return;
    }
    const data = Buffer.from(await upstream.arrayBuffer());
    if (truncate) {
      counts.truncate++;
      const cut = data.subarray(0, Math.floor(data.length * random()));
      if (random() < 0.5) {
        // Promised length, fewer bytes, then the connection dies: the client sees a body error.
        res.writeHead(upstream.status, { "content-type": "application/json", "content-length": data.length });
        res.write(cut, () => req.socket.destroy());
      } else {
        // A complete-looking (chunked) response that is simply short: the client sees unparsable JSON.
        res.writeHead(upstream.status, { "content-type": "application/json" });
        res.end(cut);
      }
      return;
    }
    counts.ok++;
    res.writeHead(upstream.status, { "content-type": "application/json", "content-length": data.length }).end(data);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    counts,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function readAll(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
