// A worker thread that answers requests: each carries an id, its answer comes back with it. The worker is unref'd
// while idle (never what keeps the process alive). When it errors or exits, every pending and later request fails
// and `failed` says why: callers then do the same work on their own thread.
import { type ResourceLimits, Worker } from "node:worker_threads";

export class RequestWorker<Req extends object, Res extends object> {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: Res) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  failed: Error | undefined;

  /** `code`: the worker's CommonJS source; it answers each `{ id, ...request }` with `{ id, ...answer }`. */
  constructor(readonly name: string, code: string, workerData: unknown, resourceLimits?: ResourceLimits) {
    this.worker = new Worker(code, { eval: true, workerData, resourceLimits });
    this.worker.unref();
    this.worker.on("message", (answer: Res & { id: number }) => {
      this.pending.get(answer.id)?.resolve(answer);
      this.pending.delete(answer.id);
      if (!this.pending.size) this.worker.unref();
    });
    const fail = (e: Error) => {
      this.failed = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`${name} worker exited (${code})`)));
  }

  /** Sends `request`, moving the `transfer` buffers to the worker. */
  request(request: Req, transfer: ArrayBuffer[]): Promise<Res> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }
}

/** One worker made on first use and shared; null when it could not start or has failed. */
export function sharedWorker<W extends { failed: Error | undefined }>(make: () => W | null): () => W | null {
  let made: W | null | undefined;
  return () => {
    if (made === undefined) {
      try {
        made = make();
      } catch {
        made = null;
      }
    }
    return made && !made.failed ? made : null;
  };
}
