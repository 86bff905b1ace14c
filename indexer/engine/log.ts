// The engine logs one logfmt line per event (`chain=btc level=warn msg="..." key=value`), so lines stay greppable
// and machine-parsable whether they go to a terminal, journald or a file.

export type EngineLog = (line: string) => void;

export function logfmt(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(" ");
}

function quote(v: unknown): string {
  const s = typeof v === "number" && !Number.isInteger(v) ? v.toFixed(1) : String(v);
  return /^[\w.:/+-]+$/.test(s) ? s : JSON.stringify(s);
}
