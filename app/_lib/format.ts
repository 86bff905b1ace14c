// Pure formatting helpers shared by server and client components (no Node APIs).

export type Family = "BITCOIN" | "EVM";
export type UnitMode = "coin" | "base";

/** Exact decimal string of `value / 10^decimals`, trailing zeros trimmed. */
export function scaled(value: string | bigint, decimals: number): string {
  const v = BigInt(value);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  if (decimals === 0) return (neg ? "-" : "") + groupDigits(abs.toString());
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const frac = (abs % base).toString().padStart(decimals, "0").replace(/0+$/, "");
  return (neg ? "-" : "") + groupDigits(whole.toString()) + (frac ? "." + frac : "");
}

export function groupDigits(s: string): string {
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A native amount (satoshis or wei) in the chosen unit. */
export function formatNative(value: string | bigint, family: Family, mode: UnitMode): { amount: string; unit: string } {
  if (family === "BITCOIN") return mode === "coin" ? { amount: scaled(value, 8), unit: "BTC" } : { amount: scaled(value, 0), unit: "sat" };
  return mode === "coin" ? { amount: scaled(value, 18), unit: "ETH" } : { amount: scaled(value, 9), unit: "gwei" };
}

export function middle(s: string, head = 10, tail = 8): string {
  return s.length <= head + tail + 1 ? s : `${s.slice(0, head)}…${s.slice(-tail)}`;
}

export function relativeTime(unixSeconds: number, nowMs = Date.now()): string {
  const diff = Math.round(nowMs / 1000 - unixSeconds);
  const abs = Math.abs(diff);
  const suffix = diff >= 0 ? "ago" : "from now";
  const units: [number, string][] = [[31_536_000, "year"], [2_592_000, "month"], [86_400, "day"], [3_600, "hour"], [60, "minute"]];
  if (abs < 45) return diff >= 0 ? "just now" : "in a moment";
  for (const [secs, name] of units) {
    if (abs >= secs) {
      const n = Math.floor(abs / secs);
      return `${n} ${name}${n === 1 ? "" : "s"} ${suffix}`;
    }
  }
  return `${abs} seconds ${suffix}`;
}

export function absoluteTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

export function num(n: number | string | null | undefined): string {
  if (n === null || n === undefined) return "—";
  return groupDigits(String(n));
}

export function bytesLabel(n: number | string): string {
  const v = Number(n);
  if (v < 10_000) return `${groupDigits(String(v))} B`;
  if (v < 10_000_000) return `${(v / 1000).toFixed(1)} kB`;
  return `${(v / 1_000_000).toFixed(2)} MB`;
}

/** Paths for the site's routes. */
export const href = {
  block: (chain: string, id: string | number) => `/${encodeURIComponent(chain)}/block/${encodeURIComponent(String(id))}`,
  tx: (chain: string, hash: string) => `/${encodeURIComponent(chain)}/tx/${encodeURIComponent(hash)}`,
  address: (chain: string, address: string) => `/${encodeURIComponent(chain)}/address/${encodeURIComponent(address)}`,
  chain: (chain: string) => `/${encodeURIComponent(chain)}`,
  analytics: (chain: string) => `/${encodeURIComponent(chain)}/analytics`,
  /** The trace graph around a txid or address (both directions, 3 hops); without `from`, the trace form. */
  trace: (chain: string, from?: string) =>
    `/${encodeURIComponent(chain)}/trace${from ? `?from=${encodeURIComponent(from)}&direction=BOTH&depth=3` : ""}`,
};

/** Hex (with or without 0x) → bytes, without Buffer (browser-safe). */
export function hexBytes(hex: string): Uint8Array {
  const h = hex.replace(/^0x/i, "");
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new TypeError("not hex");
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
