// The trace graph being built, its bounds and its resumable frontier (shared by the Bitcoin and EVM walkers).
import { badInput } from "../errors";
import { CURSOR_V2, decodeItems, encodeItems } from "./cursor-codec";

export type Dir = "B" | "F";
export type Direction = "BACKWARD" | "FORWARD" | "BOTH";
export type NodeKind = "TRANSACTION" | "ADDRESS" | "OUTPUT";

export const MAX_DEPTH = 10;
export const MAX_NODES = 1000;

export interface TraceNode {
  id: string;
  kind: NodeKind;
  label: string;
  height: number | null;
  value: string | null;
  depth: number;
  /** Directions this node can still be expanded in (its neighbours there are not all in the graph). */
  open: Set<Dir>;
  /** Internal reference for the cursor (tx or address id), and per-direction resume offsets. */
  ref?: FrontierItem["r"];
  offsets: Partial<Record<Dir, number[]>>;
}

export interface TraceEdge {
  id: string;
  from: string;
  to: string;
  value: string | null;
  outputIndex: number | null;
  height: number | null;
  txid: string | null;
  asset: string | null;
  address: string | null;
}

/** One node to expand in one direction: r = [kind t|a, internal id, txid hex or ""], o = offsets into its neighbour lists. */
export interface FrontierItem {
  n: string;
  l: string;
  r: ["t" | "a", string, string];
  d: Dir;
  o: number[];
}

export class Graph {
  nodes = new Map<string, TraceNode>();
  edges = new Map<string, TraceEdge>();
  truncated = false;
  statements = 0;
  /** `${dir}:${nodeId}` already queued or expanded: cycles and diamonds are walked once. */
  expanded = new Set<string>();
  constructor(readonly limit: number) {}

  get full(): boolean {
    return this.nodes.size >= this.limit;
  }

  /** Adds a node unless present; false when the node limit stops it (and marks the graph truncated). */
  add(n: Omit<TraceNode, "open" | "offsets">): boolean {
    const had = this.nodes.get(n.id);
    if (had) {
      if (had.height === null && n.height !== null) had.height = n.height;
      if (had.value === null && n.value !== null) had.value = n.value;
      if (n.depth < had.depth) had.depth = n.depth;
      return true;
    }
    if (this.full) {
      this.truncated = true;
      return false;
    }
    this.nodes.set(n.id, { ...n, open: new Set(), offsets: {} });
    return true;
  }

  edge(e: TraceEdge): void {
    if (!this.edges.has(e.id)) this.edges.set(e.id, e);
  }
}

export function dirsOf(direction: Direction): Dir[] {
  return direction === "BOTH" ? ["B", "F"] : direction === "BACKWARD" ? ["B"] : ["F"];
}

// ------------------------------------------------------------------------------------------------- cursors

interface CursorBodyV1 { v: 1; c: number; f: FrontierItem[] }

/** Compact bytes (cursor-codec.ts), base64url. */
export function encodeCursor(chainId: number, items: FrontierItem[]): string | null {
  if (!items.length) return null;
  return encodeItems(chainId, items).toString("base64url");
}

export function decodeCursor(s: string, chainId: number): FrontierItem[] {
  const bad = () => badInput("after: not a trace cursor of this chain from this API", { argument: "after" });
  if (s.length > 200_000) throw bad();
  let c: number, f: FrontierItem[];
  try {
    const bytes = Buffer.from(s, "base64url");
    if (bytes[0] === CURSOR_V2) {
      ({ chainId: c, items: f } = decodeItems(bytes));
    } else {
      // v1: the JSON body earlier answers carried.
      const body = JSON.parse(bytes.toString("utf8")) as CursorBodyV1;
      if (!body || body.v !== 1) throw bad();
      ({ c, f } = body);
    }
  } catch {
    throw bad();
  }
  if (c !== chainId || !Array.isArray(f) || f.length > MAX_NODES * 2) throw bad();
  for (const it of f) {
    const ok = it && typeof it.n === "string" && typeof it.l === "string" && (it.d === "B" || it.d === "F") && Array.isArray(it.r)
      && (it.r[0] === "t" || it.r[0] === "a") && /^\d{1,20}$/.test(it.r[1]) && /^[0-9a-f]{0,64}$/.test(it.r[2])
      && Array.isArray(it.o) && it.o.length <= 2 && it.o.every((x: unknown) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < 2 ** 31);
    if (!ok) throw bad();
  }
  return f;
}

/** Frontier of everything left open in the graph (by the depth bound or the node limit). */
export function openFrontier(g: Graph): FrontierItem[] {
  const out: FrontierItem[] = [];
  for (const n of g.nodes.values()) {
    if (!n.ref) continue;
    for (const d of n.open) out.push({ n: n.id, l: n.label, r: n.ref, d, o: n.offsets[d] ?? [0, 0] });
  }
  return out;
}

/** A cursor that expands one node (in the directions it was reached by, or both for the start). */
export function nodeCursor(chainId: number, n: TraceNode, dirs: Dir[]): string | null {
  if (!n.ref) return null;
  return encodeCursor(chainId, dirs.map((d) => ({ n: n.id, l: n.label, r: n.ref!, d, o: n.open.has(d) ? n.offsets[d] ?? [0, 0] : [0, 0] })));
}

export function checkBounds(depth: number, limit: number): void {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) throw badInput(`depth must be between 1 and ${MAX_DEPTH} (got ${depth})`, { argument: "depth", max: MAX_DEPTH });
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_NODES) throw badInput(`limit must be between 1 and ${MAX_NODES} (got ${limit})`, { argument: "limit", max: MAX_NODES });
}
