// A real follower for browser tests: the engine (runChain, no untilHeight) following an already indexed devnet
// node, as the indexer does at its tip, until stop() aborts it. Mine a block on the node (mineBlock) and the
// engine verifies and writes it within its poll interval.
import type postgres from "postgres";
import type { ChainConfig } from "../../indexer/config";
import { runChain } from "../../indexer/engine/engine";
import { createEvmAdapter } from "../../indexer/sources/evm-adapter";
import type { IndexedDevnet } from "./indexed";

export interface Follower {
  /** Engine log lines (logfmt). */
  lines: string[];
  /** Aborts the engine and waits for it to finish its in-flight transaction; rethrows if it had failed. */
  stop(): Promise<void>;
}

export function followDevnet(sql: postgres.Sql, devnet: IndexedDevnet, o: { pollMs?: number } = {}): Follower {
  const lines: string[] = [];
  const abort = new AbortController();
  const c: ChainConfig = { id: devnet.chain.slug, family: "evm", network: "devnet", name: "EVM devnet (anvil)", startHeight: 0, source: { kind: "evm-devnet" } };
  const adapter = createEvmAdapter(c, { chainId: devnet.chain.id, rpcUrl: devnet.rpcUrl, log: (l) => lines.push(l) });
  let failure: unknown;
  const done = runChain({
    sql, chain: { id: devnet.chain.id, slug: devnet.chain.slug }, adapter, batchBlocks: 50, concurrency: 1, pollMs: o.pollMs ?? 100,
    onInvalid: "stop", signal: abort.signal, log: (l) => lines.push(l), retry: { baseMs: 10, capMs: 200 },
    progressOut: { isTTY: false, write: () => true } as never, progressLogEveryMs: 1e9,
  }).catch((e) => (failure = e));
  return {
    lines,
    async stop() {
      abort.abort();
      await done;
      await adapter.close?.();
      if (failure) throw failure;
    },
  };
}

/** Mines one block on an anvil node (manual mining); returns the node's new tip height. */
export async function mineBlock(rpcUrl: string): Promise<number> {
  const call = async (method: string, params: unknown[] = []) => {
    const res = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    const body = (await res.json()) as { result?: unknown; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  };
  await call("anvil_mine", ["0x1"]);
  return Number(await call("eth_blockNumber"));
}
