// Fetch-ahead: up to `concurrency` ranges are requested from the node at once while the consumer verifies and
// writes earlier ones. Ranges are handed out strictly in height order; memory is bounded by
// concurrency × rangeSize blocks (rangeSize is asked again for every range, so the caller can size it by txs).
import type { SourceBlock } from "./adapter";
import { BadFetchError } from "./errors";

export interface FetchQueueOptions<B extends SourceBlock> {
  slug: string;
  from: number;
  to: number;
  rangeSize: () => number;
  concurrency: number;
  /** Fetches one range, retrying faults itself. */
  fetch(from: number, to: number): Promise<B[]>;
}

export class FetchQueue<B extends SourceBlock> {
  private next: number;
  private readonly inflight: Promise<B[]>[] = [];

  constructor(private readonly o: FetchQueueOptions<B>) {
    this.next = o.from;
    this.fill();
  }

  /** The next range in height order, or undefined once `to` has been handed out. */
  async take(): Promise<B[] | undefined> {
    const head = this.inflight.shift();
    if (!head) return undefined;
    this.fill();
    return head;
  }

  private fill(): void {
    while (this.inflight.length < this.o.concurrency && this.next <= this.o.to) {
      const from = this.next;
      const to = Math.min(from + Math.max(1, this.o.rangeSize()) - 1, this.o.to);
      this.next = to + 1;
      const p = this.o.fetch(from, to);
      // Ranges still in flight when the queue is dropped (reorg, abort) may reject later: nobody waits for them.
      p.catch(() => {});
      this.inflight.push(p);
    }
  }
}

/** A node (or proxy) can answer with fewer, extra or other blocks than asked: such a range is refetched. */
export function checkRange<B extends SourceBlock>(slug: string, from: number, to: number, blocks: B[]): B[] {
  if (blocks.length !== to - from + 1) throw new BadFetchError(slug, from, to, `${blocks.length} blocks`);
  blocks.forEach((b, i) => {
    if (b.header.height !== from + i) throw new BadFetchError(slug, from, to, `height ${b.header.height} at position ${i}`);
  });
  return blocks;
}
