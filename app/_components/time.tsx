"use client";
import { useEffect, useState } from "react";
import { absoluteTime, relativeTime } from "../_lib/format";

/** Relative time that keeps ticking, with the absolute UTC time in the title and datetime attribute. */
export function Time({ unix, absolute = false }: { unix: number; absolute?: boolean }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  const abs = absoluteTime(unix);
  return (
    <time dateTime={new Date(unix * 1000).toISOString()} title={abs} suppressHydrationWarning>
      {absolute ? `${abs} (${relativeTime(unix, now)})` : relativeTime(unix, now)}
    </time>
  );
}
