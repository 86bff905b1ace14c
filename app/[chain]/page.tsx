import type { Metadata } from "next";
import Link from "next/link";
import { BlockRow } from "../_components/block-row";
import { Pager, pageArgs, type PageInfo } from "../_components/pager";
import { ErrorState, NotFoundState } from "../_components/states";
import { href, num } from "../_lib/format";
import { errorText, gql, isNotFound } from "../_lib/gql";

export const dynamic = "force-dynamic";
const PAGE = 25;

const QUERY = /* GraphQL */ `
query ChainPage($chain: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  chain(id: $chain) { id name family network tipHeight nodeHeight status lastError }
  blocks(chain: $chain, first: $first, after: $after, last: $last, before: $before) {
    edges { node { hash height time txCount size verification { checks } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Data {
  chain: { id: string; name: string; family: string; network: string; tipHeight: number | null; nodeHeight: number | null; status: string; lastError: string | null };
  blocks: { edges: { node: { hash: string; height: number; time: number; txCount: number; size: number; verification: { checks: string[] } } }[]; pageInfo: PageInfo };
}

export async function generateMetadata({ params }: { params: Promise<{ chain: string }> }): Promise<Metadata> {
  return { title: (await params).chain };
}

export default async function ChainPage({ params, searchParams }: { params: Promise<{ chain: string }>; searchParams: Promise<{ after?: string; before?: string }> }) {
  const { chain } = await params;
  const res = await gql<Data>(QUERY, { chain, ...pageArgs(await searchParams, PAGE) });
  if (!res.data) {
    if (isNotFound(res.errors)) return <NotFoundState what="Chain" query={chain} detail={errorText(res.errors)} />;
    return <ErrorState title="Could not load this chain" detail={errorText(res.errors)} />;
  }
  const { chain: c, blocks } = res.data;
  return (
    <article aria-labelledby="chain-title">
      <p className="crumbs"><Link href="/">Home</Link> / chain</p>
      <h1 id="chain-title">{c.name}</h1>
      <p className="muted">{c.family === "EVM" ? "EVM" : "Bitcoin"} · {c.network} · {c.status} · height {num(c.tipHeight)} of {num(c.nodeHeight)}</p>
      <nav className="actions" aria-label={`${c.name} tools`}>
        <Link href={href.analytics(c.id)} data-link="analytics">Analytics</Link>{" · "}
        <Link href={href.trace(c.id)} data-link="trace">Trace</Link>
      </nav>
      {c.lastError ? <div className="banner bad" role="alert">Last error: {c.lastError}</div> : null}
      <section className="card" aria-labelledby="blocks-title">
        <h2 id="blocks-title">Blocks <span className="muted" style={{ fontWeight: 400 }}>(newest first)</span></h2>
        {blocks.edges.length === 0 ? <p className="muted">No blocks indexed yet.</p> : (
          <div className="table-wrap">
            <table aria-label={`Blocks on ${c.name}`}>
              <thead><tr><th scope="col">Height</th><th scope="col">Hash</th><th scope="col" className="num">Txs</th><th scope="col" className="num hide-sm">Size</th><th scope="col">Time</th></tr></thead>
              <tbody>
                {blocks.edges.map(({ node: b }) => <BlockRow key={b.hash} chain={c.id} b={b} />)}
              </tbody>
            </table>
          </div>
        )}
        <Pager base={href.chain(c.id)} info={blocks.pageInfo} newerLabel="← Newer" olderLabel="Older →" label="Block pages" />
      </section>
    </article>
  );
}
