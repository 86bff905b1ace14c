// A deterministic generated chain for engine tests. Block contents derive only from (branch seed, height,
// parent hash), so a chain of any length costs 32 bytes a block in memory, a fork back onto an old branch seed
// regenerates exactly the old blocks (flip-flops), and two TestChains with the same history are identical.
import { createHash } from "node:crypto";
import type { BlockHeader, SourceBlock } from "../../../indexer/engine/adapter";

export interface TcTx {
  /** Address index paying, or -1 for the block reward. */
  from: number;
  to: number;
  value: number;
  nonce: number;
}

export interface TcBlock extends SourceBlock {
  header: BlockHeader;
  txRoot: Uint8Array;
  txs: TcTx[];
}

/** Checks the test chain's verify() can be made to fail on demand. */
export type TcCheck = "txRoot" | "headerHash";

export const ZERO_HASH = new Uint8Array(32);
export const GENESIS_TIME = 1_600_000_000;

export function sha256(s: string | Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(s).digest());
}

export function txEncoding(height: number, position: number, tx: TcTx): string {
  return `${height}:${position}:${tx.from}>${tx.to}:${tx.value}:${tx.nonce}`;
}

export function txid(height: number, position: number, tx: TcTx): Uint8Array {
  return sha256(txEncoding(height, position, tx));
}

export function txRootOf(height: number, txs: TcTx[]): Uint8Array {
  const h = createHash("sha256");
  txs.forEach((tx, i) => h.update(txid(height, i, tx)));
  return new Uint8Array(h.digest());
}

export function headerHash(height: number, parentHash: Uint8Array, time: number, txRoot: Uint8Array, txCount: number): Uint8Array {
  return sha256(`${height}|${Buffer.from(parentHash).toString("hex")}|${time}|${Buffer.from(txRoot).toString("hex")}|${txCount}`);
}

export function blockSize(height: number, txs: TcTx[]): number {
  return 80 + txs.reduce((n, tx, i) => n + txEncoding(height, i, tx).length, 0);
}

export interface TestChainOptions {
  seed: string;
  /** Tip height of the initial chain (genesis is 0). */
  height: number;
  /** Address pool size: small, so summaries get updated often. */
  addresses?: number;
  /** 1..maxTxs transactions a block. */
  maxTxs?: number;
}

export class TestChain {
  private readonly hashes: Uint8Array[] = [];
  /** Branch seeds by the first height they apply to, ascending. */
  private branches: { from: number; seed: string }[];
  private readonly corrupt = new Map<number, { check: TcCheck; times: number }>();
  readonly addresses: number;
  readonly maxTxs: number;

  constructor(o: TestChainOptions) {
    this.addresses = o.addresses ?? 40;
    this.maxTxs = o.maxTxs ?? 4;
    this.branches = [{ from: 0, seed: o.seed }];
    this.grow(o.height);
  }

  get height(): number {
    return this.hashes.length - 1;
  }

  hashAt(height: number): Uint8Array {
    const h = this.hashes[height];
    if (!h) throw new RangeError(`test chain has no block at ${height} (tip ${this.height})`);
    return h;
  }

  /** Appends blocks on the current branch up to `height`. */
  grow(height: number): void {
    for (let h = this.hashes.length; h <= height; h++) this.hashes.push(this.generate(h).header.hash);
  }

  /** Replaces everything above `height` with a branch grown from `seed`, up to `newHeight`. */
  fork(height: number, newHeight: number, seed: string): void {
    this.hashes.length = height + 1;
    this.branches = [...this.branches.filter((b) => b.from <= height), { from: height + 1, seed }];
    this.grow(newHeight);
  }

  /** Serve the block at `height` with a failing `check`, `times` times (then honestly again). */
  corruptAt(height: number, check: TcCheck, times = Infinity): void {
    this.corrupt.set(height, { check, times });
  }

  block(height: number): TcBlock {
    this.hashAt(height);
    const b = this.generate(height);
    const c = this.corrupt.get(height);
    if (c && c.times > 0) {
      c.times--;
      // Tamper after hashing: the block claims the honest root/hash but its contents say otherwise.
      if (c.check === "txRoot") b.txs[b.txs.length - 1].value += 1;
      else b.header.time += 1;
    }
    return b;
  }

  blocks(from: number, to: number): TcBlock[] {
    const out: TcBlock[] = [];
    for (let h = from; h <= to; h++) out.push(this.block(h));
    return out;
  }

  private generate(height: number): TcBlock {
    const seed = this.branches.findLast((b) => b.from <= height)!.seed;
    const parentHash = height === 0 ? ZERO_HASH : this.hashes[height - 1];
    const rnd = randomStream(`${seed}:${height}:${Buffer.from(parentHash).toString("hex")}`);
    const n = 1 + (rnd() % this.maxTxs);
    const txs: TcTx[] = [];
    for (let i = 0; i < n; i++) {
      txs.push({ from: i === 0 ? -1 : rnd() % this.addresses, to: rnd() % this.addresses, value: i === 0 ? 5000 : 1 + (rnd() % 1000), nonce: rnd() });
    }
    const time = GENESIS_TIME + height * 600 + (rnd() % 60);
    const txRoot = txRootOf(height, txs);
    const hash = headerHash(height, parentHash, time, txRoot, n);
    return { header: { height, hash, parentHash, time, txCount: n, size: blockSize(height, txs) }, txRoot, txs };
  }
}

/** Uint32s from sha256(seed ‖ counter). */
function randomStream(seed: string): () => number {
  let buf: Uint8Array = new Uint8Array(0);
  let pos = 0;
  let counter = 0;
  return () => {
    if (pos + 4 > buf.length) {
      buf = sha256(`${seed}#${counter++}`);
      pos = 0;
    }
    const v = ((buf[pos] << 24) | (buf[pos + 1] << 16) | (buf[pos + 2] << 8) | buf[pos + 3]) >>> 0;
    pos += 4;
    return v;
  };
}
