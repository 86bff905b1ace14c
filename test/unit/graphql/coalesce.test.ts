// coalesced(): a caller never gets a read that began before it called; callers arriving during a read share one
// next read; a failure reaches its sharers and does not stall later reads.
import { describe, expect, it } from "vitest";
import { coalesced } from "../../../graphql/coalesce";

/** A read whose calls are counted and settled by hand. */
function manualRead() {
  const calls: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  const read = () => new Promise<number>((resolve, reject) => calls.push({ resolve, reject }));
  return { calls, read };
}
const tick = () => new Promise((r) => setImmediate(r));

describe("coalesced", () => {
  it("callers during a read share the next read, which starts after the current one ends", async () => {
    const m = manualRead();
    const get = coalesced(m.read);
    const a = get();
    const b = get(), c = get();
    expect(m.calls.length).toBe(1); // b and c did not start a read of their own, nor reuse a's
    m.calls[0].resolve(1);
    expect(await a).toBe(1);
    await tick();
    expect(m.calls.length).toBe(2);
    const d = get(); // arrives during the second read: waits for a third
    m.calls[1].resolve(2);
    expect(await b).toBe(2);
    expect(await c).toBe(2);
    await tick();
    expect(m.calls.length).toBe(3);
    m.calls[2].resolve(3);
    expect(await d).toBe(3);
  });

  it("with nothing in flight a caller starts its own read at once", async () => {
    const m = manualRead();
    const get = coalesced(m.read);
    const a = get();
    m.calls[0].resolve(1);
    await a;
    await tick();
    const b = get();
    expect(m.calls.length).toBe(2);
    m.calls[1].resolve(2);
    expect(await b).toBe(2);
  });

  it("a failed read rejects its sharers only; the next caller reads again", async () => {
    const m = manualRead();
    const get = coalesced(m.read);
    const a = get();
    const b = get();
    m.calls[0].reject(new Error("first"));
    await expect(a).rejects.toThrow("first");
    await tick();
    m.calls[1].reject(new Error("second"));
    await expect(b).rejects.toThrow("second");
    await tick();
    const c = get();
    m.calls[2].resolve(3);
    expect(await c).toBe(3);
  });
});
