// The demo devnet: anvil mining a block a second with traffic in every block; stop leaves no process behind and
// a restart continues the same chain (state file) with the same contracts.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startDevnet, type Devnet } from "../../../indexer/devnet/index";
import { EvmRpc } from "../../../indexer/sources/evm-rpc";
import { abiString } from "../../../indexer/sources/evm-rpc";
import { XSS_TOKEN_NAME } from "../../../indexer/devnet/traffic";
import type { Hex, RpcBlock } from "../../../lib/evm/types";
import { waitFor } from "./helpers";

let dir: string;
let devnet: Devnet | undefined;

afterAll(async () => {
  await devnet?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("startDevnet", () => {
  it("runs anvil with traffic, stops cleanly and resumes the same chain", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "chainproof-devnet-"));
    const lines: string[] = [];
    devnet = await startDevnet({ dataDir: dir, log: (l) => lines.push(l) });
    let rpc = new EvmRpc({ url: devnet.rpcUrl });
    await waitFor("three blocks with traffic", async () => Number(await rpc.call<Hex>("eth_blockNumber")) >= 3 && devnet!.traffic.sent.total > 20, 20_000);
    const contracts = devnet.traffic.contracts!;
    // The setup's transactions may straddle two blocks.
    await waitFor("the token deployments", async () => (await rpc.call<Hex>("eth_getCode", [contracts.xssToken, "latest"])) !== "0x", 10_000);
    const name = await rpc.call<Hex>("eth_call", [{ to: contracts.xssToken, data: "0x06fdde03" }, "latest"]);
    expect(abiString(name)).toBe(XSS_TOKEN_NAME);
    const tip = Number(await rpc.call<Hex>("eth_blockNumber"));
    const blocks = await rpc.batchOrThrow<RpcBlock>(Array.from({ length: tip }, (_, i) => ({ method: "eth_getBlockByNumber", params: [`0x${(i + 1).toString(16)}`, false] })));
    expect(Math.max(...blocks.map((b) => b.transactions.length))).toBeGreaterThan(5);
    const pid = Number(lines.find((l) => l.includes("pid"))!.match(/pid (\d+)/)![1]);
    const height = Number(await rpc.call<Hex>("eth_blockNumber"));
    const hash2 = (await rpc.call<RpcBlock>("eth_getBlockByNumber", ["0x2", false])).hash;
    await devnet.stop();
    devnet = undefined;
    expect(alive(pid)).toBe(false);

    devnet = await startDevnet({ dataDir: dir, log: (l) => lines.push(l) });
    rpc = new EvmRpc({ url: devnet.rpcUrl });
    expect(Number(await rpc.call<Hex>("eth_blockNumber"))).toBeGreaterThanOrEqual(height);
    expect((await rpc.call<RpcBlock>("eth_getBlockByNumber", ["0x2", false])).hash).toBe(hash2);
    await waitFor("traffic after the restart", async () => devnet!.traffic.sent.total > 10, 20_000);
    expect(devnet.traffic.contracts).toEqual(contracts);
    expect(lines.some((l) => l.includes("reusing contracts"))).toBe(true);
    expect(devnet.traffic.sent.rejected).toBe(0);
  });
});
