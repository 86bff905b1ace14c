// UTC buckets of time-series points: hours, days, weeks from Monday and calendar months, as PostgreSQL's date_trunc
// has them in UTC. Times are unix seconds.

export type TimeInterval = "HOUR" | "DAY" | "WEEK" | "MONTH";

/** Seconds in each fixed-length interval. */
export const INTERVAL_SECONDS: Record<Exclude<TimeInterval, "MONTH">, number> = { HOUR: 3600, DAY: 86_400, WEEK: 7 * 86_400 };

/** Start of the bucket holding t. */
export function bucketStart(interval: TimeInterval, t: number): number {
  if (interval === "MONTH") {
    const d = new Date(t * 1000);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
  }
  if (interval === "WEEK") {
    const day = Math.floor(t / 86_400);
    return (day - (((day + 3) % 7) + 7) % 7) * 86_400; // 1970-01-01 was a Thursday
  }
  return Math.floor(t / INTERVAL_SECONDS[interval]) * INTERVAL_SECONDS[interval];
}

/** Start of the bucket after the one holding t. */
export function nextBucket(interval: TimeInterval, t: number): number {
  const s = bucketStart(interval, t);
  if (interval === "MONTH") {
    const d = new Date(s * 1000);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
  }
  return s + INTERVAL_SECONDS[interval];
}
