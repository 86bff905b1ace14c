// Shared pieces of the engine tests: run the engine in this process against a test chain, wait for it, and
// build the clean index a reorged or crashed one must equal.
import type postgres from "postgres";
import { runChain, type RunChainOptions } from "../../../indexer/engine/engine";
import { LocalSource, TestChainAdapter } from "../../helpers/testchain/adapter";
import type { TestChain } from "../../helpers/testchain/chain";
import { chainChecksums, registerChain, type Checksums } from "../../helpers/testchain/checksum";

export const fastRetry = { baseMs: 5, capMs: 100 };
const quiet = { isTTY: false, write: () => true };

export interface RunningEngine {
  logs: string[];
  /** Settles like runChain. */
  done: Promise<void>;
  /** SIGTERM equivalent; resolves when runChain has returned. */
  stop(): Promise<void>;
}

export function startEngine(o: Partial<RunChainOptions> & Pick<RunChainOptions, "sql" | "chain" | "adapter">): RunningEngine {
  const abort = new AbortController();
  const logs: string[] = [];
  const done = runChain({
    batchBlocks: 16, concurrency: 3, pollMs: 10, onInvalid: "stop", retry: fastRetry, progressOut: quiet,
    log: (l) => logs.push(l), signal: abort.signal, ...o,
  });
  done.catch(() => {});
  return { logs, done, stop: async () => { abort.abort(); await done; } };
}

/** Indexes `chain` up to its tip as chain `id`, from nothing: the reference every other run must equal. */
export async function cleanIndex(sql: postgres.Sql, id: number, chain: TestChain, batchBlocks = 16): Promise<Checksums> {
  await registerChain(sql, id, `clean${id}`);
  const e = startEngine({ sql, chain: { id, slug: `clean${id}` }, adapter: new TestChainAdapter(new LocalSource(chain)), batchBlocks, untilHeight: chain.height });
  await e.done;
  return chainChecksums(sql, id);
}

export async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until the checkpoint of chain `id` is `hash`. */
export function waitForTip(sql: postgres.Sql, id: number, hash: Uint8Array, timeoutMs?: number): Promise<void> {
  const want = Buffer.from(hash).toString("hex");
  return waitFor(`chain ${id} to reach tip ${want}`, async () => {
    const [r] = await sql`select encode(tip_hash, 'hex') as h from chain where id = ${id}`;
    return r?.h === want;
  }, timeoutMs);
}
