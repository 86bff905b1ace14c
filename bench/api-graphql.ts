// GraphQL API latency and throughput: the site's server as `npm start` runs it (graphql/site-server.ts) against a
// bench database (the synthetic chain indexed by the
// real engine, plus ≥ 1 M history rows for one hot address), loaded by a bounded loopback load generator
// (node:http keep-alive agent, fixed connections, fixed duration, 127.0.0.1 only).
//
// Scenarios: block page, tx page (2,000 txids cycled, so mostly cache hits; and uncached, a txid never asked
// before per request), address page 1, address page 1,000 (keyset cursor 19,980 rows deep),
// nested trace (inputs → prevTransaction, depth 2; depth 6 is refused by the list-cost limit), the `trace` field
// (depth 6: BACKWARD from the last block's txs, BOTH from the hot address, limit 200; its `statements` count is
// sampled per scenario) and the `series` field (TX_COUNT and FEE_RATE_PERCENTILES, DAY and BLOCK; ACTIVE_ADDRESSES
// DAY and WEEK; whole chain). The EVM pages run on a second chain in the same database (bench/api-evm.ts).
// The database is reused from WORK when its tip matches; one indexed before the analytics aggregates existed
// (empty analytics_block) is rebuilt, since only the indexer writes them.
// Run: npm run bench -- --only api --txs 200000 [--seconds 10] [--connections 16] [--history 1200000] [--evm-blocks 2000]
// [--match trace] (--evm-blocks 0 leaves the EVM chain and its scenarios out)
// (--match keeps the scenarios whose name contains the text, or one of several separated by |, to re-measure a few.)
// (CHAINPROOF_GRAPHQL_CACHE=off in the environment turns the response cache off, to measure the work behind it;
// CHAINPROOF_BENCH_API_SERVER=standalone serves it from graphql/server.ts, =next-start from `next start`'s route;
// CHAINPROOF_BENCH_API_CPU_PROF=<dir> profiles the site or standalone server.)
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { startEmbeddedPostgres, type EmbeddedDb } from "../indexer/db/embedded";
import { migrateDeploy } from "../indexer/db/migrate";
import { freePort } from "../indexer/net";
import { encodeAddress } from "../lib/bitcoin/address";
import { EVM_CHAIN_ID, evmScenarios, indexEvmChain } from "./api-evm";
import { generateChain } from "./gen/index";
import { chainDir, type PhaseResult } from "./ingest-btc";
import { arg, fmt, isMain, machine, printTable, ROOT, runPhase, saveResult, WORK } from "./gen/util";

const SLUG = "bench-btc";
const PAGE = 20;

export interface Scenario {
  name: string;
  /** Body for request i. */
  body: (i: number) => string;
}

export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  firstError?: string;
  seconds: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** CPU ms per request of the server (and its children) and of PostgreSQL, when measured. */
  cpuMsPerReq?: { server: number; postgres: number; loadgen: number };
}

/** CPU ms (utime + stime, with reaped children's) of `root` and every live descendant (Linux /proc; 0 elsewhere). */
export function treeCpuMs(root: number): number {
  const tick = 100; // USER_HZ on Linux
  const ppid = new Map<number, number>(), cpu = new Map<number, number>();
  let pids: string[] = [];
  try { pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d)); } catch { return 0; }
  for (const d of pids) {
    try {
      const st = readFileSync(`/proc/${d}/stat`, "utf8");
      const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
      ppid.set(Number(d), Number(f[1]));
      // Own time plus reaped children's (a pool's idle PostgreSQL backend exits mid-run).
      cpu.set(Number(d), ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / tick);
    } catch { /* exited */ }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    total += cpu.get(p) ?? 0;
    for (const [c, pp] of ppid) if (pp === p) stack.push(c);
  }
  return total;
}

/** Bounded closed-loop load: `connections` workers, each sends its next request when the previous one ends. */
export async function load(url: string, s: Scenario, o: { seconds: number; connections: number; maxRequests?: number }): Promise<LoadResult> {
  const u = new URL(url);
  if (u.hostname !== "127.0.0.1" && u.hostname !== "localhost") throw new Error("load tests run against loopback only");
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const lat: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let sent = 0;
  const max = o.maxRequests ?? 200_000;
  const end = performance.now() + o.seconds * 1000;
  const one = (body: string) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        { host: u.hostname, port: u.port, path: u.pathname, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d) => (text += d));
          res.on("end", () => {
            lat.push(performance.now() - t0);
            if (res.statusCode !== 200 || text.includes('"errors"')) {
              errors++;
              firstError ??= `${res.statusCode} ${text.slice(0, 300)}`;
            }
            resolve();
          });
        },
      );
      req.on("error", (e) => {
        errors++;
        firstError ??= String(e);
        resolve();
      });
      req.end(body);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: o.connections }, async () => {
      while (performance.now() < end && sent < max) await one(s.body(sent++));
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  return { name: s.name, requests: lat.length, errors, firstError, seconds, reqPerSec: lat.length / seconds, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: lat[lat.length - 1] ?? NaN };
}

/** A database with the indexed chain and a hot address holding ≥ `history` rows; kept in WORK for reuse. */
async function benchDb(txs: number, seed: number, history: number, evmBlocks: number, log: (s: string) => void): Promise<{ db: EmbeddedDb; pgDir: string; hotAddressId: bigint; hotScript: Uint8Array }> {
  const dir = chainDir(txs, seed);
  const m = await generateChain(dir, txs, seed, log);
  const pgDir = path.join(WORK, `apidb-${txs}-s${seed}`);
  let db = await startEmbeddedPostgres(pgDir);
  await migrateDeploy(db.url);
  let sql = postgres(db.url, { onnotice: () => {}, max: 2 });
  {
    // The analytics aggregates are written by the indexer only: a database indexed before they existed (or before
    // the open week's and month's active counts) is rebuilt, and so is one whose EVM chain is not the length asked
    // (anvil makes a new chain each time, so it cannot be extended).
    const [c] = await sql`select tip_height::int as h from chain where id = 1`;
    const [evm] = await sql`select coalesce(tip_height, -1)::int as h from chain where id = ${EVM_CHAIN_ID}`;
    const [{ n, periods }] = await sql`select (select count(*)::int from analytics_block where chain_id = 1) as n,
      (select count(*)::int from analytics_period_active where chain_id = 1) as periods`;
    if ((c && (n === 0 || periods === 0)) || (evm && evmBlocks > 0 && evm.h !== evmBlocks)) {
      log(`${pgDir} predates the analytics aggregates (analytics_block or analytics_period_active is empty) or has another EVM chain: rebuilding it`);
      await sql.end();
      await db.stop();
      rmSync(pgDir, { recursive: true, force: true });
      db = await startEmbeddedPostgres(pgDir);
      await migrateDeploy(db.url);
      sql = postgres(db.url, { onnotice: () => {}, max: 2 });
    }
  }
  try {
    const [c] = await sql`select tip_height::int as h from chain where id = 1`;
    if (!c) await sql`insert into chain (id, slug, family, network, name) values (1, ${SLUG}, 'bitcoin', 'regtest', 'Bench regtest')`;
    if (!c || c.h !== m.tipHeight) {
      log(`indexing ${fmt(m.stats.txs)} txs into ${pgDir}`);
      await runPhase<PhaseResult>("bench/ingest-btc.ts", ["--phase", "index", "--dir", dir, "--db", db.url, "--tip", String(m.tipHeight), "--batch-blocks", "25", "--concurrency", "2"], { log });
    }
    const [e] = await sql`select 1 from chain where id = ${EVM_CHAIN_ID}`;
    if (!e && evmBlocks > 0) await indexEvmChain(db.url, evmBlocks, log);
    if (!c || c.h !== m.tipHeight || (!e && evmBlocks > 0)) {
      // Measured after autovacuum's work, not during it: the first run on a database just rebuilt had tx pages at
      // 197 ms of PostgreSQL a request (10 req/s), the later scenarios not.
      await sql`vacuum analyze`;
    }
    // The hottest real address (most history rows), topped up to `history` rows. Extra rows sit above the chain
    // tip (height 10,000,000 +) so they never collide with real ones, and point at real transactions (cycled) so
    // every edge resolves a node like a real one.
    const [hot] = await sql`select address_id, count(*)::int as n from btc_address_tx where chain_id = 1 group by address_id order by n desc limit 1`;
    const need = history - hot.n;
    if (need > 0) {
      log(`adding ${fmt(need)} history rows to address ${hot.address_id}`);
      const [{ n: txCount }] = await sql`select count(*)::int as n from btc_tx`;
      await sql.unsafe(`
        insert into btc_address_tx (chain_id, address_id, height, position, tx_id, delta)
        select 1, ${hot.address_id}, 10000000 + g / 2000, g % 2000, t.id, 1000
        from generate_series(0, ${need - 1}) g
        join (select id, (row_number() over (order by id) - 1)::int as rn from btc_tx) t on t.rn = g % ${txCount}`);
      await sql`update btc_address set tx_count = tx_count + ${need} where id = ${hot.address_id}`;
      await sql`vacuum analyze btc_address_tx`;
    }
    const [a] = await sql`select script from btc_address where id = ${hot.address_id}`;
    return { db, pgDir, hotAddressId: BigInt(hot.address_id), hotScript: a.script };
  } finally {
    await sql.end();
  }
}

/**
 * Which server answers: `site` (default) is what `npm start` runs, graphql/site-server.ts; `standalone` is
 * graphql/server.ts (`npm run api`, no Next at all); `next-start` is `next start`, the API through Next's route.
 */
export type ApiServer = "site" | "standalone" | "next-start";

async function startServer(dbUrl: string, port: number, log: (s: string) => void, server: ApiServer): Promise<ChildProcess> {
  const bin = path.join(ROOT, "node_modules/.bin/next");
  if (server !== "standalone" && !existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("no production build in .next: run `npm run build` first");
  const env = { ...process.env, DATABASE_URL: dbUrl, NODE_ENV: "production" as const, PORT: String(port), HOST: "127.0.0.1" };
  // CHAINPROOF_BENCH_API_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it exits (node --cpu-prof).
  const prof = process.env.CHAINPROOF_BENCH_API_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.CHAINPROOF_BENCH_API_CPU_PROF] : [];
  const tsx = (file: string) => spawn(process.execPath, [...prof, "--import", "tsx", path.join(ROOT, file)], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const child = server === "standalone" ? tsx("graphql/server.ts")
    : server === "site" ? tsx("graphql/site-server.ts")
    : spawn(bin, ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d) => log(`${server}: ${String(d).trimEnd()}`));
  child.stderr!.on("data", (d) => log(`${server}: ${String(d).trimEnd()}`));
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ chains { id tipHeight } }" }) });
      const text = await r.text();
      if (r.ok) {
        log(`${server} up: ${text.slice(0, 200)}`);
        return child;
      }
    } catch {
      /* not yet */
    }
    if (Date.now() > until || child.exitCode !== null) throw new Error(`the ${server} server did not come up within 60 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const q = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

export async function apiBench(o: { txs: number; seed: number; seconds: number; connections: number; history: number; evmBlocks: number; server?: ApiServer; match?: string; log?: (s: string) => void }) {
  const log = o.log ?? ((s: string) => console.error(s));
  const { db, pgDir, hotAddressId, hotScript } = await benchDb(o.txs, o.seed, o.history, o.evmBlocks, log);
  const sql = postgres(db.url, { onnotice: () => {}, max: 2 });
  let child: ChildProcess | undefined;
  try {
    const [{ tip }] = await sql`select tip_height::int as tip from chain where id = 1`;
    const txids = (await sql`select txid from btc_tx tablesample system (5) limit 2000`).map((r) => Buffer.from(r.txid).reverse().toString("hex"));
    // Every txid in a fixed pseudo-random order, for the uncached tx scenarios: each request (warm-up included) asks
    // for a txid not asked before, so the response cache never answers it (the Merkle tree cache still may).
    const allTxids = (await sql`select txid from btc_tx order by md5(id::text)`).map((r) => Buffer.from(r.txid).reverse().toString("hex"));
    const fresh = (query: string) => { let next = 0; return () => q(query, { t: allTxids[next++ % allTxids.length] }); };
    const traceTxids = (await sql`select txid from btc_tx where input_count = 1 and not is_coinbase and height > ${Math.floor(tip / 2)} limit 200`).map((r) => Buffer.from(r.txid).reverse().toString("hex"));
    const hotAddress = encodeAddress(hotScript, "regtest")!;
    const [{ n: historyRows }] = await sql`select count(*)::int as n from btc_address_tx where chain_id = 1 and address_id = ${hotAddressId.toString()}::bigint`;
    const [deep] = await sql`select height::text as h, position from btc_address_tx where chain_id = 1 and address_id = ${hotAddressId.toString()}::bigint order by height desc, position desc offset ${999 * PAGE - 1} limit 1`;
    const cursor1000 = Buffer.from(`k1:${deep.h}:${deep.position}`).toString("base64url");
    const lastBlockTxids = (await sql`select txid from btc_tx where height = ${tip} and not is_coinbase order by position limit 200`).map((r) => Buffer.from(r.txid).reverse().toString("hex"));
    const [{ analyticsBlocks }] = await sql`select count(*)::int as "analyticsBlocks" from analytics_block where chain_id = 1`;
    const [span] = await sql`select min(time)::text as t0, max(time)::text as t1 from block where chain_id = 1 and not stale`;

    const loadAvgStart = os.loadavg();
    const port = await freePort();
    const server = o.server ?? ((process.env.CHAINPROOF_BENCH_API_SERVER as ApiServer | undefined) || "site");
    if (!["site", "standalone", "next-start"].includes(server)) throw new Error(`CHAINPROOF_BENCH_API_SERVER=${server}: site, standalone or next-start`);
    // The server reaches PostgreSQL as `npm start`'s does: through the Unix socket when there is one.
    child = await startServer(db.socketUrl ?? db.url, port, log, server);
    const url = `http://127.0.0.1:${port}/api/graphql`;

    const blockQ = `query($h: Int!) { block(chain: "${SLUG}", height: $h) { hash height time txCount size parentHash verification { checks }
      ... on BitcoinBlock { version merkleRoot bits weight stats { totalfee avgfeerate ins outs } }
      transactions(first: ${PAGE}) { edges { cursor node { hash position ... on BitcoinTransaction { fee vsize inputValue outputValue } } } pageInfo { hasNextPage endCursor } } } }`;
    const txQ = `query($t: String!) { transaction(chain: "${SLUG}", hash: $t) { hash height position block { hash time }
      ... on BitcoinTransaction { size vsize weight fee isCoinbase hasWitness
        inputs { vin prevTxid prevVout value address witness }
        outputs { vout value scriptType address spentBy { vin height transaction { hash } } } merkleProof { verified } } } }`;
    const addrQ = `query($a: String!, $after: String) { address(chain: "${SLUG}", address: $a) { address balance txCount firstHeight lastHeight
      transactions(first: ${PAGE}, after: $after) { edges { cursor height position delta node { hash } } pageInfo { hasNextPage endCursor } } } }`;
    let trace = "hash";
    for (let d = 0; d < 6; d++) trace = `hash inputs { prevTransaction { ${trace} } }`;
    const traceQ = `query($t: String!) { transaction(chain: "${SLUG}", hash: $t) { ... on BitcoinTransaction { ${trace} } } }`;

    const txNoProofQ = txQ.replace(" merkleProof { verified }", "");
    let trace2 = "hash";
    for (let d = 0; d < 2; d++) trace2 = `hash inputs { prevTransaction { ${trace2} } }`;
    const trace2Q = `query($t: String!) { transaction(chain: "${SLUG}", hash: $t) { ... on BitcoinTransaction { ${trace2} } } }`;
    const traceFieldQ = `query($f: String!, $d: TraceDirection!) { trace(chain: "${SLUG}", from: $f, direction: $d, depth: 6, limit: 200) {
      root truncated cursor statements nodes { id kind label height value depth expandable cursor } edges { id from to value outputIndex height txid address } } }`;
    const seriesQ = `query($m: SeriesMetric!, $i: SeriesInterval!, $from: String, $to: String) { series(chain: "${SLUG}", metric: $m, interval: $i, from: $from, to: $to) {
      unit from to points { time height blocks value percentiles { p value } } } }`;
    const dayRange = { from: span.t0, to: String(Number(span.t1) + 1) };
    const blockRange = { from: "0", to: String(tip) };
    const evm = o.evmBlocks > 0 ? await evmScenarios(sql, o.history, log) : undefined;
    const scenarios: Scenario[] = ([
      { name: "floor: { chains { id tipHeight } }", body: () => q("{ chains { id tipHeight } }", {}) },
      { name: "block page", body: (i) => q(blockQ, { h: 1 + ((i * 7919) % tip) }) },
      // 2,000 txids cycled: after the first pass (warm-up included) mostly response-cache hits.
      { name: "tx page (2,000 txids cycled)", body: (i) => q(txQ, { t: txids[i % txids.length] }) },
      { name: "tx page without merkleProof (2,000 txids cycled)", body: (i) => q(txNoProofQ, { t: txids[i % txids.length] }) },
      { name: "tx page (uncached: a new txid per request)", body: fresh(txQ) },
      { name: "tx page without merkleProof (uncached: a new txid per request)", body: fresh(txNoProofQ) },
      { name: "address page 1 (hot)", body: () => q(addrQ, { a: hotAddress }) },
      { name: "address page 1,000 (hot)", body: () => q(addrQ, { a: hotAddress, after: cursor1000 }) },
      { name: "nested trace depth 6 (inputs → prevTransaction)", body: (i) => q(traceQ, { t: traceTxids[i % traceTxids.length] }) },
      { name: "nested trace depth 2", body: (i) => q(trace2Q, { t: traceTxids[i % traceTxids.length] }) },
      { name: "trace BACKWARD depth 6 limit 200 (last-block tx)", body: (i) => q(traceFieldQ, { f: lastBlockTxids[i % lastBlockTxids.length], d: "BACKWARD" }) },
      { name: "trace BOTH depth 6 limit 200 (hot address)", body: () => q(traceFieldQ, { f: hotAddress, d: "BOTH" }) },
      { name: "series TX_COUNT DAY (whole chain)", body: () => q(seriesQ, { m: "TX_COUNT", i: "DAY", ...dayRange }) },
      { name: "series TX_COUNT BLOCK (whole chain)", body: () => q(seriesQ, { m: "TX_COUNT", i: "BLOCK", ...blockRange }) },
      { name: "series FEE_RATE_PERCENTILES DAY (whole chain)", body: () => q(seriesQ, { m: "FEE_RATE_PERCENTILES", i: "DAY", ...dayRange }) },
      { name: "series FEE_RATE_PERCENTILES BLOCK (whole chain)", body: () => q(seriesQ, { m: "FEE_RATE_PERCENTILES", i: "BLOCK", ...blockRange }) },
      { name: "series ACTIVE_ADDRESSES DAY (whole chain)", body: () => q(seriesQ, { m: "ACTIVE_ADDRESSES", i: "DAY", ...dayRange }) },
      // The open week's exact count, kept by the indexer (analytics_period_active).
      { name: "series ACTIVE_ADDRESSES WEEK (whole chain)", body: () => q(seriesQ, { m: "ACTIVE_ADDRESSES", i: "WEEK", ...dayRange }) },
      ...(evm?.scenarios ?? []),
    ] satisfies Scenario[]).filter((s) => !o.match || o.match.split("|").some((m) => s.name.includes(m)));
    // Shape of the trace and series answers (SQL statements and nodes per trace, points per series), from one request
    // per distinct body (up to 40 last-block txs).
    const post = async (body: string) => (await (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body })).json()) as { data?: any; errors?: unknown[] };
    const shapes: Record<string, unknown> = {};
    const stats = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return { n: s.length, min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] }; };
    const kind = (name: string) => name.replace(/^EVM /, "").split(" ")[0];
    for (const s of scenarios.filter((x) => kind(x.name) === "trace" || kind(x.name) === "series")) {
      const runs = s.name.includes("last-block") ? Math.min(40, lastBlockTxids.length) : 1;
      const st: number[] = [], nodes: number[] = [], edges: number[] = [], points: number[] = [];
      let truncated = 0, errors = 0;
      for (let i = 0; i < runs; i++) {
        const r = await post(s.body(i));
        if (r.errors || !r.data) { errors++; log(`${s.name}: ${JSON.stringify(r.errors).slice(0, 300)}`); continue; }
        if (r.data.trace) { st.push(r.data.trace.statements); nodes.push(r.data.trace.nodes.length); edges.push(r.data.trace.edges.length); if (r.data.trace.truncated) truncated++; }
        if (r.data.series) points.push(r.data.series.points.length);
      }
      shapes[s.name] = kind(s.name) === "trace" ? { statements: stats(st), nodes: stats(nodes), edges: stats(edges), truncated, errors } : { points: stats(points), errors };
      log(`${s.name}: ${JSON.stringify(shapes[s.name])}`);
    }
    const results: LoadResult[] = [];
    // CPU time per request (less sensitive to a loaded machine than latency): the server's process tree and the
    // PostgreSQL server (postmaster + backends), read from /proc around each measured run.
    const pgPid = Number(readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n")[0]);
    for (const s of scenarios) {
      await load(url, s, { seconds: 2, connections: o.connections }); // warm-up (JIT, caches, Prisma pool)
      const c0 = { server: treeCpuMs(child.pid!), pg: treeCpuMs(pgPid), self: process.cpuUsage() };
      const r = await load(url, s, { seconds: o.seconds, connections: o.connections });
      const self = process.cpuUsage(c0.self);
      const per = (ms: number) => Math.round((ms / Math.max(1, r.requests)) * 100) / 100;
      r.cpuMsPerReq = { server: per(treeCpuMs(child.pid!) - c0.server), postgres: per(treeCpuMs(pgPid) - c0.pg), loadgen: per((self.user + self.system) / 1000) };
      log(`${s.name}: ${fmt(r.reqPerSec)} req/s p50 ${fmt(r.p50, 1)} p95 ${fmt(r.p95, 1)} p99 ${fmt(r.p99, 1)} ms errors ${r.errors}, CPU ms/req server ${r.cpuMsPerReq.server} pg ${r.cpuMsPerReq.postgres}${r.firstError ? ` (${r.firstError.slice(0, 200)})` : ""}`);
      results.push(r);
    }
    return {
      machine: machine(),
      command: `npm run bench -- --only api --txs ${o.txs} --seconds ${o.seconds} --connections ${o.connections} --history ${o.history}${o.evmBlocks === 2000 ? "" : ` --evm-blocks ${o.evmBlocks}`}`,
      settings: o, server, cache: process.env.CHAINPROOF_GRAPHQL_CACHE === "off" ? "off" : "on", tip, hotAddress, historyRows, analyticsBlocks,
      evm: evm && { tip: evm.tip, txs: evm.txs, hotAddress: evm.hot.address, historyRows: evm.hot.rows }, lastBlockTxs: lastBlockTxids.length, shapes, results,
      loadAvgStart, loadAvg: os.loadavg(),
      notes: ["load generator, the server and PostgreSQL share the same 2 cores"],
    };
  } finally {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child!.once("exit", r));
    }
    await sql.end();
    await db.stop();
  }
}

/** Result file name: one per chain size, connections, server and cache setting. */
export const apiResultName = (r: Awaited<ReturnType<typeof apiBench>>) =>
  `api-${r.settings.txs}-c${r.settings.connections}${r.server === "site" ? "" : `-${r.server}`}${r.cache === "off" ? "-nocache" : ""}`;

export function printApi(r: Awaited<ReturnType<typeof apiBench>>): void {
  console.log(`\napi: ${r.server} server, response cache ${r.cache}, ${r.settings.connections} connections × ${r.settings.seconds} s per scenario; hot address ${r.hotAddress} with ${fmt(r.historyRows)} history rows`);
  if (r.evm) console.log(`  EVM chain: ${fmt(r.evm.tip)} blocks, ${fmt(r.evm.txs)} txs; hot address ${r.evm.hotAddress} with ${fmt(r.evm.historyRows)} history rows`);
  for (const [k, v] of Object.entries(r.shapes)) console.log(`  ${k}: ${JSON.stringify(v)}`);
  console.log(`  load average (1/5/15 min): start ${r.loadAvgStart.map((x) => x.toFixed(2)).join(" ")}, end ${r.loadAvg.map((x) => x.toFixed(2)).join(" ")}`);
  printTable(r.results.map((x): [string, string] => [x.name, `${fmt(x.reqPerSec).padStart(6)} req/s  p50 ${fmt(x.p50, 1)}  p95 ${fmt(x.p95, 1)}  p99 ${fmt(x.p99, 1)} ms  CPU/req server ${x.cpuMsPerReq?.server} pg ${x.cpuMsPerReq?.postgres} ms  (${fmt(x.requests)} req, ${x.errors} errors)`]));
}

if (isMain(import.meta.url)) {
  const r = await apiBench({ txs: Number(arg("txs", "200000")), seed: Number(arg("seed", "1")), seconds: Number(arg("seconds", "10")), connections: Number(arg("connections", "16")), history: Number(arg("history", "1200000")), evmBlocks: Number(arg("evm-blocks", "2000")), match: arg("match", "") || undefined });
  printApi(r);
  console.log(`saved ${saveResult(apiResultName(r), r)}`);
  process.exit(0);
}
