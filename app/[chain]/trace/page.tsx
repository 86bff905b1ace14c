// /[chain]/trace?from=<txid | txid:vout | address>&direction=BACKWARD|FORWARD|BOTH&depth=1..10 — the flow of value
// drawn as a graph (app/_components/trace/trace-graph.tsx fetches it from the trace query of /api/graphql).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TraceGraph } from "../../_components/trace/trace-graph";
import { errorText, gql, isNotFound } from "../../_lib/gql";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Trace" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function TracePage({ params, searchParams }: { params: Promise<{ chain: string }>; searchParams: Promise<Search> }) {
  const { chain } = await params;
  const sp = await searchParams;
  const r = await gql<{ chain: { id: string; name: string; family: "BITCOIN" | "EVM" } }>(`query($id: ID!) { chain(id: $id) { id name family } }`, { id: chain });
  if (isNotFound(r.errors)) notFound();
  if (!r.data) return <p role="alert">Could not load the chain: {errorText(r.errors)}</p>;
  const dir = (one(sp.direction) ?? "BOTH").toUpperCase();
  const depth = Math.min(10, Math.max(1, Number(one(sp.depth) ?? 3) || 3));
  return (
    <section aria-labelledby="trace-title">
      <h1 id="trace-title">Trace on {r.data.chain.name}</h1>
      <TraceGraph
        chain={r.data.chain.id}
        family={r.data.chain.family}
        from={one(sp.from) ?? ""}
        direction={dir === "BACKWARD" || dir === "FORWARD" ? dir : "BOTH"}
        depth={depth}
      />
    </section>
  );
}
