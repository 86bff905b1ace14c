"use client";
// Long values (hashes, addresses, keys): shortened in the middle, full value in the title, a copy button, and an
// optional link. Chain data is rendered as React text only.
import Link from "next/link";
import { useState } from "react";
import { middle } from "../_lib/format";

export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [state, setState] = useState<"idle" | "done" | "failed">("idle");
  return (
    <button
      type="button"
      className="copy"
      aria-label={`${label} ${value.length > 24 ? "value" : value}`}
      title={state === "done" ? "Copied" : state === "failed" ? "Copy failed" : "Copy to clipboard"}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setState("done");
        } catch {
          setState("failed");
        }
        setTimeout(() => setState("idle"), 1500);
      }}
    >
      {state === "done" ? "✓" : state === "failed" ? "!" : (
        <svg width="13" height="13" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M11 5V3.5A1.5 1.5 0 0 0 9.5 2h-6A1.5 1.5 0 0 0 2 3.5v6A1.5 1.5 0 0 0 3.5 11H5" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      )}
    </button>
  );
}

export function Hash({ value, href, head = 10, tail = 8, copy = true, full = false }: { value: string; href?: string; head?: number; tail?: number; copy?: boolean; full?: boolean }) {
  const text = full ? value : middle(value, head, tail);
  const body = <span className={full ? "mono hash-full" : "mono"} title={value}>{text}</span>;
  return (
    <span className="hash" data-full={value}>
      {href ? <Link href={href} title={value} aria-label={value}>{body}</Link> : body}
      {copy ? <CopyButton value={value} /> : null}
    </span>
  );
}
