// The demo EVM chain: anvil mining a block a second, its chain kept under dataDir (a restart continues it), and
// the traffic generator filling every block.
import path from "node:path";
import { startAnvil, type AnvilOptions } from "./anvil";
import { startTraffic, type Traffic } from "./traffic";

export interface DevnetOptions {
  /** anvil-state.json and traffic.json live in <dataDir>/devnet. */
  dataDir: string;
  log?: (line: string) => void;
  /** Seconds per block (1). */
  blockTime?: number;
  anvil?: Partial<AnvilOptions>;
}

export interface Devnet {
  rpcUrl: string;
  traffic: Traffic;
  stop(): Promise<void>;
}

export async function startDevnet(o: DevnetOptions): Promise<Devnet> {
  const dir = path.join(o.dataDir, "devnet");
  const anvil = await startAnvil({ dataDir: dir, blockTime: o.blockTime ?? 1, log: o.log, ...o.anvil });
  const running = startTraffic({ rpcUrl: anvil.url, dataDir: dir, log: o.log });
  return {
    rpcUrl: anvil.url,
    traffic: running.traffic,
    async stop() {
      await running.stop();
      await anvil.stop();
    },
  };
}
