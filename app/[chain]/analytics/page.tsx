// /[chain]/analytics — charts of the chain's aggregates (series/top queries of /api/graphql), with range and
// interval pickers and the exact GraphQL query behind each chart.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AnalyticsView } from "../../_components/charts/analytics-view";
import { errorText, gql, isNotFound } from "../../_lib/gql";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Analytics" };

export default async function AnalyticsPage({ params }: { params: Promise<{ chain: string }> }) {
  const { chain } = await params;
  const r = await gql<{ chain: { id: string; name: string; family: "BITCOIN" | "EVM"; tipHeight: number | null } }>(
    `query($id: ID!) { chain(id: $id) { id name family tipHeight } }`, { id: chain });
  if (isNotFound(r.errors)) notFound();
  if (!r.data) return <p role="alert">Could not load the chain: {errorText(r.errors)}</p>;
  return (
    <section aria-labelledby="analytics-title">
      <h1 id="analytics-title">Analytics: {r.data.chain.name}</h1>
      <AnalyticsView chain={r.data.chain.id} family={r.data.chain.family} tipHeight={r.data.chain.tipHeight} />
    </section>
  );
}
