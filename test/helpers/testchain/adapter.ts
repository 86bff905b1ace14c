// The test chain as a ChainAdapter: verify/write/rollback are the test family's; blocks come from a source,
// either the TestChain in this process or its HTTP JSON-RPC server (so faults can be injected in between).
import type { BlockHeader, ChainAdapter, IdCounters, Tx } from "../../../indexer/engine/adapter";
import type { TcBlock, TestChain } from "./chain";
import { rollbackTcBlocks, writeTcBlocks } from "./store";
import { verifyTcBlock } from "./verify";

export interface TcSource {
  tip(): Promise<{ height: number; hash: Uint8Array }>;
  hashAt(height: number): Promise<Uint8Array>;
  fetch(from: number, to: number): Promise<TcBlock[]>;
}

export class TestChainAdapter implements ChainAdapter<TcBlock> {
  readonly family = "bitcoin" as const;
  readonly startHeight = 0;

  constructor(private readonly source: TcSource) {}

  tip() {
    return this.source.tip();
  }

  hashAt(height: number) {
    return this.source.hashAt(height);
  }

  fetch(from: number, to: number) {
    return this.source.fetch(from, to);
  }

  verify(block: TcBlock, parent: BlockHeader | undefined) {
    return verifyTcBlock(block, parent, this.startHeight);
  }

  write(sql: Tx, ids: IdCounters, blocks: TcBlock[]) {
    return writeTcBlocks(sql, ids, blocks);
  }

  rollback(sql: Tx, ids: IdCounters, height: number) {
    return rollbackTcBlocks(sql, ids, height);
  }
}

/** Reads the TestChain directly. `beforeFetch` lets a test change the chain at an exact point of the sync. */
export class LocalSource implements TcSource {
  constructor(private readonly chain: TestChain, private readonly beforeFetch?: (from: number, to: number) => void) {}

  async tip() {
    return { height: this.chain.height, hash: this.chain.hashAt(this.chain.height) };
  }

  async hashAt(height: number) {
    return this.chain.hashAt(height);
  }

  async fetch(from: number, to: number) {
    this.beforeFetch?.(from, to);
    return this.chain.blocks(from, Math.min(to, this.chain.height));
  }
}
