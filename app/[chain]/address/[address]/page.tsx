import type { Metadata } from "next";
import Link from "next/link";
import { Amount } from "../../../_components/amount";
import { Hash } from "../../../_components/hash";
import { ForwardPager, Pager, pageArgs, type PageInfo } from "../../../_components/pager";
import { ErrorState, NotFoundState } from "../../../_components/states";
import { Time } from "../../../_components/time";
import { href, num, scaled, type Family } from "../../../_lib/format";
import { errorText, gql, isBadInput, isNotFound } from "../../../_lib/gql";

export const dynamic = "force-dynamic";
const PAGE = 25;
/** UTXOs and token balances: each its own keyset list with its own cursor parameter. */
const HOLDINGS_PAGE = 25;

const QUERY = /* GraphQL */ `
query AddressPage($chain: ID!, $address: String!, $first: Int, $after: String, $last: Int, $before: String, $holdings: Int, $utxosAfter: String, $tokensAfter: String) {
  chain(id: $chain) { id name family tipHeight }
  address(chain: $chain, address: $address) {
    __typename address balance txCount firstHeight lastHeight
    transactions(first: $first, after: $after, last: $last, before: $before) {
      edges {
        cursor height position delta roles
        node {
          hash block { time }
          ... on BitcoinTransaction { isCoinbase }
          ... on EvmTransaction { status value from { address } to { address } }
        }
      }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
    ... on BitcoinAddress {
      scriptType scriptPubKeyHex received sent utxoCount
      utxos(first: $holdings, after: $utxosAfter) {
        edges { cursor node { txid vout value height scriptType } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
    ... on EvmAddress {
      balanceHeight isContract tokenName tokenSymbol tokenDecimals
      tokenBalances(first: $holdings, after: $tokensAfter) {
        edges { cursor node { balance name symbol decimals standard token { address } } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
}`;

interface Edge {
  cursor: string; height: number; position: number; delta: string | null; roles: string[] | null;
  node: { hash: string; block: { time: number }; isCoinbase?: boolean; status?: number; value?: string; from?: { address: string }; to?: { address: string } | null };
}
interface Utxo { txid: string; vout: number; value: string; height: number; scriptType: string }
interface TokenBalance { balance: string; name: string | null; symbol: string | null; decimals: number | null; standard: number | null; token: { address: string } }
interface Data {
  chain: { id: string; name: string; family: Family; tipHeight: number | null };
  address: {
    __typename: "BitcoinAddress" | "EvmAddress"; address: string; balance: string; txCount: number; firstHeight: number | null; lastHeight: number | null;
    transactions: { edges: Edge[]; pageInfo: PageInfo };
    scriptType?: string; scriptPubKeyHex?: string; received?: string; sent?: string; utxoCount?: number;
    balanceHeight?: number | null; isContract?: boolean; tokenName?: string | null; tokenSymbol?: string | null; tokenDecimals?: number | null;
    utxos?: { edges: { cursor: string; node: Utxo }[]; pageInfo: PageInfo };
    tokenBalances?: { edges: { cursor: string; node: TokenBalance }[]; pageInfo: PageInfo };
  };
}
type Params = { chain: string; address: string };
type Search = { after?: string; before?: string; utxosAfter?: string; tokensAfter?: string };
const one = (x: string | string[] | undefined) => (Array.isArray(x) ? x[0] : x) || undefined;

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { address } = await params;
  return { title: `Address ${decodeURIComponent(address).slice(0, 14)}…` };
}

export default async function AddressPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const { chain, address: raw } = await params;
  const input = decodeURIComponent(raw);
  const sp = await searchParams;
  const urlParams = { after: one(sp.after), before: one(sp.before), utxosAfter: one(sp.utxosAfter), tokensAfter: one(sp.tokensAfter) };
  const res = await gql<Data>(QUERY, {
    chain, address: input, ...pageArgs(sp, PAGE), holdings: HOLDINGS_PAGE, utxosAfter: urlParams.utxosAfter ?? null, tokensAfter: urlParams.tokensAfter ?? null,
  });
  if (!res.data) {
    if (isNotFound(res.errors) || isBadInput(res.errors)) return <NotFoundState what="Address" query={input} detail={errorText(res.errors)} />;
    return <ErrorState title="Could not load this address" detail={errorText(res.errors)} retryHref={href.address(chain, input)} />;
  }
  const { chain: c, address: a } = res.data;
  const btc = a.__typename === "BitcoinAddress";
  const base = href.address(c.id, a.address);
  const seen = a.firstHeight != null;

  return (
    <article aria-labelledby="addr-title">
      <p className="crumbs"><Link href="/">Home</Link> / <Link href={href.chain(c.id)}>{c.name}</Link> / address</p>
      <h1 id="addr-title">
        {a.tokenName != null || a.tokenSymbol != null ? <>Token <span data-token-name>{a.tokenName ?? "(unnamed)"}</span></> : a.isContract ? "Contract" : "Address"}
      </h1>
      <p><Hash value={a.address} full /></p>
      <p className="actions"><Link href={href.trace(c.id, a.address)} data-link="trace">Trace</Link> <span className="muted">the flow of value through this address</span></p>
      {!seen ? <div className="banner warn" role="status">This is a valid address, but it has not appeared in any indexed block yet.</div> : null}

      <section className="card" aria-labelledby="sum">
        <h2 id="sum">Summary</h2>
        <dl className="kv">
          <dt>Balance</dt>
          <dd><Amount value={a.balance} family={c.family} />{!btc && a.balanceHeight != null ? <span className="muted"> (read at block {num(a.balanceHeight)})</span> : null}</dd>
          {btc ? (
            <>
              <dt>Received</dt><dd><Amount value={a.received!} family={c.family} /></dd>
              <dt>Sent</dt><dd><Amount value={a.sent!} family={c.family} /></dd>
              <dt>Unspent outputs</dt><dd>{num(a.utxoCount!)}</dd>
              <dt>Script type</dt><dd><span className="tag">{a.scriptType}</span></dd>
              <dt>scriptPubKey</dt><dd><Hash value={a.scriptPubKeyHex!} head={16} tail={8} /></dd>
            </>
          ) : (
            <>
              <dt>Kind</dt><dd>{a.isContract ? "contract" : "account"}</dd>
              {a.tokenName != null || a.tokenSymbol != null ? (
                <>
                  <dt>Token name</dt><dd>{a.tokenName ?? "—"}</dd>
                  <dt>Symbol</dt><dd>{a.tokenSymbol ?? "—"}</dd>
                  <dt>Decimals</dt><dd>{a.tokenDecimals ?? "—"}</dd>
                </>
              ) : null}
            </>
          )}
          <dt>Transactions</dt><dd>{num(a.txCount)}</dd>
          <dt>First / last seen</dt>
          <dd>{seen ? <><Link href={href.block(c.id, a.firstHeight!)}>{num(a.firstHeight)}</Link> / <Link href={href.block(c.id, a.lastHeight!)}>{num(a.lastHeight)}</Link></> : "—"}</dd>
        </dl>
      </section>

      {btc && a.utxos ? <UtxoList chain={c.id} family={c.family} base={base} params={urlParams} list={a.utxos} /> : null}
      {!btc && a.tokenBalances ? <TokenBalanceList chain={c.id} base={base} params={urlParams} list={a.tokenBalances} /> : null}

      <section className="card" aria-labelledby="hist">
        <h2 id="hist">History <span className="muted" style={{ fontWeight: 400 }}>(newest first)</span></h2>
        {a.transactions.edges.length === 0 ? <p className="muted">No transactions{a.transactions.pageInfo.hasPreviousPage ? " on this page" : " yet"}.</p> : (
          <div className="table-wrap">
            <table aria-label="Address history">
              <thead>
                <tr>
                  <th scope="col">Transaction</th><th scope="col">Block</th><th scope="col" className="hide-sm">Time</th>
                  <th scope="col" className="num">{btc ? "Change" : "Role"}</th>
                  {!btc ? <th scope="col" className="num">Value</th> : null}
                </tr>
              </thead>
              <tbody>
                {a.transactions.edges.map((e) => (
                  <tr key={e.cursor}>
                    <td>
                      <Hash value={e.node.hash} href={href.tx(c.id, e.node.hash)} head={10} tail={6} />
                      {e.node.isCoinbase ? <> <span className="tag">coinbase</span></> : null}
                      {e.node.status === 0 ? <> <span className="tag bad">reverted</span></> : null}
                    </td>
                    <td><Link href={href.block(c.id, e.height)}>{num(e.height)}</Link></td>
                    <td className="hide-sm"><Time unix={e.node.block.time} /></td>
                    {btc ? <td className="num"><Amount value={e.delta ?? "0"} family={c.family} signed /></td> : <td className="num">{(e.roles ?? []).map((r) => <span className="tag" key={r}>{r.toLowerCase()}</span>)}</td>}
                    {!btc ? <td className="num"><Amount value={e.node.value ?? "0"} family={c.family} /></td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager base={base} info={a.transactions.pageInfo} newerLabel="← Newer" olderLabel="Older →" label="History pages" />
      </section>
    </article>
  );
}

type Params2 = Record<string, string | undefined>;

function UtxoList({ chain, family, base, params, list }: { chain: string; family: Family; base: string; params: Params2; list: NonNullable<Data["address"]["utxos"]> }) {
  return (
    <section className="card" aria-labelledby="utxos-title" data-section="utxos">
      <h2 id="utxos-title">Unspent outputs <span className="muted" style={{ fontWeight: 400 }}>(newest first)</span></h2>
      {list.edges.length === 0 ? <p className="muted">No unspent outputs{list.pageInfo.hasPreviousPage ? " on this page" : ""}.</p> : (
        <div className="table-wrap">
          <table aria-label="Unspent outputs">
            <thead><tr><th scope="col">Output</th><th scope="col">Block</th><th scope="col" className="hide-sm">Type</th><th scope="col" className="num">Value</th></tr></thead>
            <tbody>
              {list.edges.map(({ cursor, node: u }) => (
                <tr key={cursor} data-utxo={`${u.txid}:${u.vout}`}>
                  <td><Hash value={u.txid} href={href.tx(chain, u.txid)} head={10} tail={6} /><span className="muted">:{u.vout}</span></td>
                  <td><Link href={href.block(chain, u.height)}>{num(u.height)}</Link></td>
                  <td className="hide-sm"><span className="tag">{u.scriptType}</span></td>
                  <td className="num"><Amount value={u.value} family={family} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ForwardPager base={base} params={params} param="utxosAfter" info={list.pageInfo} label="Unspent output pages" />
    </section>
  );
}

const STANDARD_LABEL: Record<number, string> = { 20: "ERC-20", 721: "ERC-721", 1155: "ERC-1155" };

/** A token amount: scaled by the token's decimals (ERC-20), else the raw count (NFTs, tokens without decimals). */
function tokenAmount(b: TokenBalance): string {
  return b.decimals != null && b.standard !== 721 && b.standard !== 1155 ? scaled(b.balance, b.decimals) : num(b.balance);
}

function TokenBalanceList({ chain, base, params, list }: { chain: string; base: string; params: Params2; list: NonNullable<Data["address"]["tokenBalances"]> }) {
  return (
    <section className="card" aria-labelledby="tokens-title" data-section="token-balances">
      <h2 id="tokens-title">Token balances</h2>
      {list.edges.length === 0 ? <p className="muted">No token holdings{list.pageInfo.hasPreviousPage ? " on this page" : ""}.</p> : (
        <div className="table-wrap">
          <table aria-label="Token balances">
            <thead><tr><th scope="col">Token</th><th scope="col" className="hide-sm">Standard</th><th scope="col" className="num">Balance</th></tr></thead>
            <tbody>
              {list.edges.map(({ cursor, node: b }) => (
                <tr key={cursor} data-token={b.token.address}>
                  <td>
                    <Link href={href.address(chain, b.token.address)}>{b.name ?? b.symbol ?? "(unnamed token)"}</Link>
                    <div className="muted"><Hash value={b.token.address} head={8} tail={6} copy={false} /></div>
                  </td>
                  <td className="hide-sm">{b.standard != null ? <span className="tag">{STANDARD_LABEL[b.standard] ?? b.standard}</span> : "—"}</td>
                  <td className="num"><span className="amount" title={`${b.balance} (raw)`} data-value={b.balance}>{tokenAmount(b)}</span>{b.symbol ? <> <span className="unit">{b.symbol}</span></> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ForwardPager base={base} params={params} param="tokensAfter" info={list.pageInfo} label="Token balance pages" />
    </section>
  );
}
