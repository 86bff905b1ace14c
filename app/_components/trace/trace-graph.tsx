"use client";
// The trace graph: fetched from the `trace` query, drawn with cytoscape (pan/zoom built in), nodes coloured by kind,
// edges labelled by value. Clicking an expandable node fetches more with its cursor and merges it in. The drawn
// graph is exposed for tests and tools as window.__trace and data-node-count / data-edge-count attributes.
import cytoscape, { type Core } from "cytoscape";
import { useCallback, useEffect, useRef, useState } from "react";
import { gqlFetch } from "../../_lib/gql-client";

export interface TraceNode { id: string; kind: "TRANSACTION" | "ADDRESS" | "OUTPUT"; label: string; height: number | null; value: string | null; depth: number; expandable: boolean; cursor: string | null }
export interface TraceEdge { id: string; from: string; to: string; value: string | null; outputIndex: number | null; height: number | null; txid: string | null; asset: string | null; address: string | null }
interface TraceResult { root: string; truncated: boolean; cursor: string | null; nodes: TraceNode[]; edges: TraceEdge[] }

export const TRACE_QUERY = /* GraphQL */ `
query Trace($chain: ID!, $from: String!, $direction: TraceDirection, $depth: Int, $limit: Int, $after: String) {
  trace(chain: $chain, from: $from, direction: $direction, depth: $depth, limit: $limit, after: $after) {
    root truncated cursor
    nodes { id kind label height value depth expandable cursor }
    edges { id from to value outputIndex height txid asset address }
  }
}`;

const COLOURS: Record<TraceNode["kind"], string> = { TRANSACTION: "#2f6fde", ADDRESS: "#d9822b", OUTPUT: "#3a9b5c" };

function amount(v: string | null, family: "BITCOIN" | "EVM", asset: string | null): string {
  if (v === null) return "";
  if (asset) return `${v} ${asset}`;
  const dec = family === "EVM" ? 18 : 8;
  const neg = v.startsWith("-");
  const d = (neg ? v.slice(1) : v).padStart(dec + 1, "0");
  const frac = d.slice(-dec).replace(/0+$/, "");
  return `${neg ? "-" : ""}${d.slice(0, -dec)}${frac ? "." + frac : ""} ${family === "EVM" ? "ETH" : "BTC"}`;
}

declare global {
  interface Window { __trace?: { nodes: TraceNode[]; edges: TraceEdge[]; truncated: boolean } }
}

export function TraceGraph(props: { chain: string; family: "BITCOIN" | "EVM"; from: string; direction: "BACKWARD" | "FORWARD" | "BOTH"; depth: number }) {
  const { chain, family, direction, depth } = props;
  const [from, setFrom] = useState(props.from);
  const [graph, setGraph] = useState<{ nodes: Map<string, TraceNode>; edges: Map<string, TraceEdge>; truncated: boolean; cursor: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);

  const load = useCallback(async (after: string | null) => {
    if (!from) return;
    setLoading(true);
    setError(null);
    try {
      const d = await gqlFetch<{ trace: TraceResult }>(TRACE_QUERY, { chain, from, direction, depth: after ? 1 : depth, limit: 300, after });
      setGraph((g) => {
        const nodes = new Map(after && g ? g.nodes : []);
        const edges = new Map(after && g ? g.edges : []);
        for (const n of d.trace.nodes) {
          const had = nodes.get(n.id);
          nodes.set(n.id, had ? { ...had, ...n, depth: had.depth, label: had.label, height: had.height ?? n.height, value: had.value ?? n.value, expandable: after ? n.expandable && had.expandable : n.expandable } : n);
        }
        for (const e of d.trace.edges) edges.set(e.id, e);
        return { nodes, edges, truncated: d.trace.truncated || (!!after && !!g?.truncated), cursor: d.trace.cursor };
      });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [chain, from, direction, depth]);

  useEffect(() => { void load(null); }, [load]);

  // Draw (and redraw on every merge).
  useEffect(() => {
    if (!graph || !box.current) return;
    const nodes = [...graph.nodes.values()];
    const edges = [...graph.edges.values()];
    window.__trace = { nodes, edges, truncated: graph.truncated };
    cy.current?.destroy();
    cy.current = cytoscape({
      container: box.current,
      elements: [
        ...nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind, colour: COLOURS[n.kind], expandable: n.expandable ? 1 : 0 } })),
        ...edges.map((e) => ({ data: { id: `e:${e.id}`, source: e.from, target: e.to, label: amount(e.value, family, e.asset) } })),
      ],
      style: [
        { selector: "node", style: { "background-color": "data(colour)", label: "data(label)", "font-size": 9, color: "#888", "text-valign": "bottom", width: 18, height: 18 } },
        { selector: "node[expandable = 1]", style: { "border-width": 3, "border-color": "#f2c744" } },
        { selector: "edge", style: { width: 1.5, "curve-style": "bezier", "target-arrow-shape": "triangle", label: "data(label)", "font-size": 8, color: "#999", "line-color": "#aab", "target-arrow-color": "#aab" } },
      ],
      layout: { name: "breadthfirst", directed: true, spacingFactor: 1.2 },
      wheelSensitivity: 0.3,
    });
    cy.current.on("tap", "node", (ev) => {
      const n = graph.nodes.get(ev.target.id());
      if (n?.cursor) void load(n.cursor);
    });
  }, [graph, family, load]);

  useEffect(() => () => cy.current?.destroy(), []);

  const download = (name: string, href: string) => {
    const a = document.createElement("a");
    a.href = href;
    a.download = name;
    a.click();
  };
  const exportJson = () => {
    if (!graph) return;
    const blob = new Blob([JSON.stringify({ chain, from, direction, depth, nodes: [...graph.nodes.values()], edges: [...graph.edges.values()] }, null, 2)], { type: "application/json" });
    download("trace.json", URL.createObjectURL(blob));
  };
  const exportPng = () => {
    if (cy.current) download("trace.png", cy.current.png({ full: true, scale: 2, bg: "#ffffff" }));
  };

  const [input, setInput] = useState(props.from);
  return (
    <div className="trace">
      <form className="trace-controls" onSubmit={(e) => { e.preventDefault(); setFrom(input.trim()); }} aria-label="Trace start">
        <label>From <input name="from" value={input} onChange={(e) => setInput(e.target.value)} placeholder={family === "EVM" ? "0x tx hash or address" : "txid, txid:vout or address"} size={70} /></label>
        <button type="submit">Trace</button>
        <span className="muted"> direction {direction.toLowerCase()}, depth {depth}</span>
      </form>
      <p className="muted">
        Blue: transactions · orange: addresses · green: outputs. A yellow ring means more to see: click the node to expand it. Drag to pan, scroll to zoom.
      </p>
      <div className="trace-tools">
        <button type="button" onClick={exportJson} disabled={!graph}>Export JSON</button>{" "}
        <button type="button" onClick={exportPng} disabled={!graph}>Export PNG</button>{" "}
        {loading ? <span role="status">Loading…</span> : null}
        {graph?.truncated ? <span className="banner warn" role="status">The node limit cut this graph short: click ringed nodes to continue.</span> : null}
      </div>
      {error ? <p role="alert" className="banner bad">{error}</p> : null}
      {!from ? <p>Give a transaction, an outpoint or an address to trace.</p> : null}
      <div
        ref={box}
        data-testid="trace-graph"
        data-node-count={graph?.nodes.size ?? 0}
        data-edge-count={graph?.edges.size ?? 0}
        style={{ width: "100%", height: "70vh", border: "1px solid var(--border, #ccc)", borderRadius: 6 }}
      />
    </div>
  );
}
