import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Hash } from "../_components/hash";
import { SearchBox } from "../_components/search-box";
import { Suggestions } from "../_components/states";
import { href, num } from "../_lib/format";
import { errorText, gql } from "../_lib/gql";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Search" };

const SEARCH = /* GraphQL */ `
query Search($q: String!) {
  search(query: $q) {
    kind
    chain { id name }
    item {
      __typename
      ... on BitcoinBlock { hash height }
      ... on EvmBlock { hash height }
      ... on BitcoinTransaction { hash height }
      ... on EvmTransaction { hash height }
      ... on BitcoinAddress { address txCount }
      ... on EvmAddress { address txCount }
    }
  }
}`;
const TIPS = /* GraphQL */ `query Tips { chains { id name tipHeight } }`;

interface Hit {
  kind: "BLOCK" | "TRANSACTION" | "ADDRESS";
  chain: { id: string; name: string };
  item: { __typename: string; hash?: string; height?: number; address?: string; txCount?: number };
}

function target(h: Hit): string {
  if (h.kind === "BLOCK") return href.block(h.chain.id, h.item.hash ?? String(h.item.height));
  if (h.kind === "TRANSACTION") return href.tx(h.chain.id, h.item.hash!);
  return href.address(h.chain.id, h.item.address!);
}

export default async function SearchPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw ?? "").trim();
  if (!q) {
    return (
      <section>
        <h1>Search</h1>
        <SearchBox autoFocus />
        <Suggestions />
      </section>
    );
  }
  const [res, tips] = await Promise.all([
    gql<{ search: Hit[] }>(SEARCH, { q }),
    gql<{ chains: { id: string; name: string; tipHeight: number | null }[] }>(TIPS),
  ]);
  const hits = res.data?.search ?? [];
  if (hits.length === 1) redirect(target(hits[0]));

  return (
    <section>
      <h1>Search results</h1>
      {res.errors ? (
        <div className="banner warn" role="status">
          <p><strong>Nothing found for</strong> <span className="mono">{q}</span></p>
          <p className="muted">{errorText(res.errors)}</p>
        </div>
      ) : hits.length === 0 ? (
        <div className="banner warn" role="status">
          <p><strong>Not found:</strong> nothing on the indexed chains matches <span className="mono">{q}</span>.</p>
        </div>
      ) : (
        <div className="card">
          <p>{hits.length} matches for <span className="mono">{q}</span>:</p>
          <ul className="suggestions">
            {hits.map((h, i) => (
              <li key={i}>
                <span className="tag">{h.kind.toLowerCase()}</span> on {h.chain.name}:{" "}
                {h.kind === "BLOCK" ? <Link href={target(h)}>block {num(h.item.height)}</Link> : <Hash value={h.item.hash ?? h.item.address ?? ""} href={target(h)} />}
              </li>
            ))}
          </ul>
        </div>
      )}
      {hits.length === 0 ? (
        <>
          {tips.data && tips.data.chains.length > 0 ? (
            <div className="card">
              <h2>Indexed so far</h2>
              <ul className="suggestions">
                {tips.data.chains.map((c) => (
                  <li key={c.id}>
                    {c.name}: heights 0–{c.tipHeight ?? "?"}
                    {c.tipHeight != null ? <> · <Link href={href.block(c.id, c.tipHeight)}>latest block</Link></> : null}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <Suggestions />
        </>
      ) : null}
    </section>
  );
}
