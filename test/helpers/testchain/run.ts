// Runs the engine against a test chain RPC server in its own process, for crash tests (kill -9) and by hand:
//   npx tsx test/helpers/testchain/run.ts --db URL --rpc URL --chain-id 7 [--until 500] [--batch 20] [--concurrency 3]
// Exits 0 when stopped (SIGTERM) or --until is reached, 1 when the chain failed.
import { parseArgs } from "node:util";
import { connectPostgres } from "../../../indexer/db/client";
import { runChain } from "../../../indexer/engine/engine";
import { TestChainAdapter } from "./adapter";
import { HttpSource } from "./server";

const { values: a } = parseArgs({
  options: {
    db: { type: "string" }, rpc: { type: "string" }, "chain-id": { type: "string" }, until: { type: "string" },
    batch: { type: "string", default: "20" }, concurrency: { type: "string", default: "3" }, poll: { type: "string", default: "50" },
  },
});
if (!a.db || !a.rpc || !a["chain-id"]) {
  console.error("usage: run.ts --db URL --rpc URL --chain-id N [--until H] [--batch N] [--concurrency N] [--poll MS]");
  process.exit(2);
}

const sql = connectPostgres(a.db, { max: 2, onnotice: () => {} });
const stop = new AbortController();
process.once("SIGTERM", () => stop.abort());
process.once("SIGINT", () => stop.abort());
const chainId = Number(a["chain-id"]);
try {
  await runChain({
    sql, chain: { id: chainId, slug: `tc${chainId}` }, adapter: new TestChainAdapter(new HttpSource(a.rpc)),
    batchBlocks: Number(a.batch), concurrency: Number(a.concurrency), pollMs: Number(a.poll), onInvalid: "stop",
    untilHeight: a.until === undefined ? undefined : Number(a.until), signal: stop.signal, log: (l) => console.error(l),
    retry: { baseMs: 20, capMs: 500 }, progressLogEveryMs: 1_000,
  });
  console.log("done");
} catch {
  process.exitCode = 1;
} finally {
  await sql.end({ timeout: 2 });
}
