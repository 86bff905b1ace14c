import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { decodeBits } from "../../../../lib/bitcoin/pow";
import { Amount, FeeRate } from "../../../_components/amount";
import { Hash } from "../../../_components/hash";
import { Pager, pageArgs, type PageInfo } from "../../../_components/pager";
import { ErrorState, NotFoundState } from "../../../_components/states";
import { Time } from "../../../_components/time";
import { VERIFICATION_FIELDS, VerificationBadges, type VerificationData } from "../../../_components/verification";
import { bytesLabel, href, num, type Family } from "../../../_lib/format";
import { errorText, gql, isBadInput, isNotFound } from "../../../_lib/gql";

export const dynamic = "force-dynamic";
const PAGE = 25;

const QUERY = /* GraphQL */ `
query BlockPage($chain: ID!, $height: Int, $hash: String, $first: Int, $after: String, $last: Int, $before: String) {
  chain(id: $chain) { id name family tipHeight }
  block(chain: $chain, height: $height, hash: $hash) {
    __typename hash height parentHash time txCount size stale
    canonical { hash height }
    verification { ${VERIFICATION_FIELDS} }
    transactions(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node {
        hash position
        ... on BitcoinTransaction { isCoinbase outputValue fee vsize }
        ... on EvmTransaction { from { address } to { address } contractCreated { address } value fee status }
      } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
    ... on BitcoinBlock {
      version merkleRoot bits nonce strippedSize weight
      stats { totalfee subsidy totalOut ins outs swtxs avgfeerate minfeerate maxfeerate medianfee feeratePercentiles utxoIncrease }
    }
    ... on EvmBlock { miner gasUsed gasLimit baseFeePerGas stateRoot transactionsRoot receiptsRoot withdrawalsRoot extraData }
  }
}`;

interface TxNode {
  hash: string; position: number; isCoinbase?: boolean; outputValue?: string; fee?: string; vsize?: number;
  from?: { address: string }; to?: { address: string } | null; contractCreated?: { address: string } | null; value?: string; status?: number;
}
interface BlockData {
  chain: { id: string; name: string; family: Family; tipHeight: number | null };
  block: null | {
    __typename: "BitcoinBlock" | "EvmBlock"; hash: string; height: number; parentHash: string; time: number; txCount: number; size: number; stale: boolean;
    canonical: { hash: string; height: number } | null; verification: VerificationData;
    transactions: { edges: { cursor: string; node: TxNode }[]; pageInfo: PageInfo };
    version?: number; merkleRoot?: string; bits?: string; nonce?: string; strippedSize?: number; weight?: number;
    stats?: null | { totalfee: string; subsidy: string; totalOut: string; ins: number; outs: number; swtxs: number; avgfeerate: string; minfeerate: string; maxfeerate: string; medianfee: string; feeratePercentiles: string[]; utxoIncrease: number };
    miner?: string; gasUsed?: string; gasLimit?: string; baseFeePerGas?: string | null; stateRoot?: string; transactionsRoot?: string; receiptsRoot?: string; withdrawalsRoot?: string | null; extraData?: string;
  };
}

type Params = { chain: string; id: string };
type Search = { after?: string; before?: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { id } = await params;
  return { title: /^\d+$/.test(id) ? `Block ${id}` : `Block ${id.slice(0, 12)}…` };
}

export default async function BlockPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const { chain, id: rawId } = await params;
  const id = decodeURIComponent(rawId);
  const sp = await searchParams;
  const isHeight = /^\d{1,10}$/.test(id);
  const vars = { chain, ...(isHeight ? { height: Number(id) } : { hash: id }), ...pageArgs(sp, PAGE) };
  const res = await gql<BlockData>(QUERY, vars);
  if (!res.data) {
    if (isNotFound(res.errors) || isBadInput(res.errors)) return <NotFoundState what="Block" query={id} detail={errorText(res.errors)} />;
    return <ErrorState title="Could not load this block" detail={errorText(res.errors)} retryHref={href.block(chain, id)} />;
  }
  const { chain: c, block: b } = res.data;
  if (!b) {
    if (res.errors) return <NotFoundState what="Block" query={id} detail={errorText(res.errors)} />;
    notFound();
  }
  const family = c.family;
  const btc = b.__typename === "BitcoinBlock";
  let target: string | undefined;
  if (btc && b.bits) {
    try {
      target = decodeBits(parseInt(b.bits, 16)).target.toString(16).padStart(64, "0");
    } catch {
      target = undefined;
    }
  }
  const base = href.block(c.id, b.hash);
  const hasChild = !b.stale && c.tipHeight != null && b.height < c.tipHeight;

  return (
    <article aria-labelledby="block-title">
      <p className="crumbs"><Link href="/">Home</Link> / <Link href={href.chain(c.id)}>{c.name}</Link> / block</p>
      <h1 id="block-title">Block <span className="mono">{num(b.height)}</span></h1>
      {b.stale ? (
        <div className="banner warn" role="status" data-stale>
          <strong>Stale block.</strong> A reorganization replaced this block; its transactions were rolled back.{" "}
          {b.canonical ? <>The winning block at this height is <Hash value={b.canonical.hash} href={href.block(c.id, b.canonical.hash)} />.</> : "The chain has not yet re-reached this height."}
        </div>
      ) : null}
      <VerificationBadges v={b.verification} powTarget={target} />

      <nav className="pager" aria-label="Neighbouring blocks">
        {b.height > 0 ? <Link href={href.block(c.id, b.parentHash)} rel="prev">← Parent {num(b.height - 1)}</Link> : <span className="disabled">Genesis block</span>}
        {hasChild ? <Link href={href.block(c.id, b.height + 1)} rel="next">Child {num(b.height + 1)} →</Link> : <span className="disabled">{b.stale ? "Stale: no child" : "Chain tip"}</span>}
      </nav>

      <div className="grid2" style={{ marginTop: "1rem" }}>
        <section className="card" aria-labelledby="hdr">
          <h2 id="hdr">Header</h2>
          <dl className="kv">
            <dt>Hash</dt><dd><Hash value={b.hash} full /></dd>
            <dt>Parent</dt><dd>{b.height > 0 ? <Hash value={b.parentHash} href={href.block(c.id, b.parentHash)} /> : <span className="mono muted">{b.parentHash.slice(0, 16)}… (none)</span>}</dd>
            <dt>Time</dt><dd><Time unix={b.time} absolute /></dd>
            {btc ? (
              <>
                <dt>Merkle root</dt><dd><Hash value={b.merkleRoot!} /></dd>
                <dt>Version</dt><dd className="mono">0x{(b.version! >>> 0).toString(16).padStart(8, "0")}</dd>
                <dt>Bits</dt><dd className="mono">{b.bits}</dd>
                {target ? <><dt>Target</dt><dd><Hash value={target} head={14} tail={6} /></dd></> : null}
                <dt>Nonce</dt><dd className="mono">{num(b.nonce!)}</dd>
              </>
            ) : (
              <>
                <dt>Miner</dt><dd><Hash value={b.miner!} href={href.address(c.id, b.miner!)} /></dd>
                <dt>Tx root</dt><dd><Hash value={b.transactionsRoot!} /></dd>
                <dt>Receipts root</dt><dd><Hash value={b.receiptsRoot!} /></dd>
                <dt>State root</dt><dd><Hash value={b.stateRoot!} /></dd>
                {b.withdrawalsRoot ? <><dt>Withdrawals root</dt><dd><Hash value={b.withdrawalsRoot} /></dd></> : null}
                <dt>Extra data</dt><dd><Hash value={b.extraData!} /></dd>
              </>
            )}
          </dl>
        </section>
        <section className="card" aria-labelledby="stats">
          <h2 id="stats">Stats</h2>
          <dl className="kv">
            <dt>Transactions</dt><dd>{num(b.txCount)}</dd>
            <dt>Size</dt><dd>{bytesLabel(b.size)}{btc ? <span className="muted"> · stripped {bytesLabel(b.strippedSize!)}</span> : null}</dd>
            {btc ? <><dt>Weight</dt><dd>{num(b.weight!)} WU</dd></> : null}
            {btc && b.stats ? (
              <>
                <dt>Fees</dt><dd><Amount value={b.stats.totalfee} family={family} /></dd>
                <dt>Subsidy</dt><dd><Amount value={b.stats.subsidy} family={family} /></dd>
                <dt>Total output</dt><dd><Amount value={b.stats.totalOut} family={family} /></dd>
                <dt>Inputs / outputs</dt><dd>{num(b.stats.ins)} / {num(b.stats.outs)} <span className="muted">(UTXO set {b.stats.utxoIncrease >= 0 ? "+" : ""}{b.stats.utxoIncrease})</span></dd>
                <dt>Fee rate</dt><dd>min {b.stats.minfeerate} · avg {b.stats.avgfeerate} · max {b.stats.maxfeerate} <span className="muted">sat/vB</span></dd>
                <dt>Fee-rate percentiles</dt>
                <dd>
                  <span className="mono" title="10th, 25th, 50th, 75th, 90th percentile by weight">{b.stats.feeratePercentiles.join(" · ")}</span> <span className="muted">sat/vB (p10 · p25 · p50 · p75 · p90)</span>
                </dd>
                <dt>Segwit txs</dt><dd>{num(b.stats.swtxs)}</dd>
              </>
            ) : null}
            {btc && !b.stats ? <><dt>Fees</dt><dd className="muted">no stats (stale block)</dd></> : null}
            {!btc ? (
              <>
                <dt>Gas used</dt><dd>{num(b.gasUsed!)} <span className="muted">of {num(b.gasLimit!)} ({b.gasLimit !== "0" ? ((100 * Number(b.gasUsed)) / Number(b.gasLimit)).toFixed(1) : "0"}%)</span></dd>
                {b.baseFeePerGas ? <><dt>Base fee</dt><dd><Amount value={b.baseFeePerGas} family={family} /> <span className="muted">per gas</span></dd></> : null}
              </>
            ) : null}
          </dl>
        </section>
      </div>

      <section className="card" aria-labelledby="txs">
        <h2 id="txs">Transactions <span className="muted" style={{ fontWeight: 400 }}>({num(b.txCount)})</span></h2>
        {b.transactions.edges.length === 0 ? (
          <p className="muted">{b.stale ? "A stale block keeps no transactions: they were rolled back." : "No transactions on this page."}</p>
        ) : (
          <div className="table-wrap">
            <table aria-label="Transactions in this block">
              <thead>
                <tr>
                  <th scope="col" className="num">#</th><th scope="col">Transaction</th>
                  {btc ? <><th scope="col" className="num">Output</th><th scope="col" className="num hide-sm">Fee</th><th scope="col" className="num hide-sm">Fee rate</th></>
                    : <><th scope="col" className="hide-sm">From → To</th><th scope="col" className="num">Value</th><th scope="col" className="num hide-sm">Fee</th></>}
                </tr>
              </thead>
              <tbody>
                {b.transactions.edges.map(({ node: t }) => (
                  <tr key={t.hash} data-position={t.position}>
                    <td className="num">{t.position}</td>
                    <td>
                      <Hash value={t.hash} href={href.tx(c.id, t.hash)} head={12} tail={8} />
                      {t.isCoinbase ? <> <span className="tag">coinbase</span></> : null}
                      {t.status === 0 ? <> <span className="tag bad">reverted</span></> : null}
                    </td>
                    {btc ? (
                      <>
                        <td className="num"><Amount value={t.outputValue!} family={family} /></td>
                        <td className="num hide-sm">{t.isCoinbase ? "—" : <Amount value={t.fee!} family={family} />}</td>
                        <td className="num hide-sm">{t.isCoinbase ? "—" : <FeeRate fee={t.fee!} vsize={t.vsize!} />}</td>
                      </>
                    ) : (
                      <>
                        <td className="hide-sm">
                          <Hash value={t.from!.address} href={href.address(c.id, t.from!.address)} head={6} tail={4} copy={false} /> →{" "}
                          {t.to ? <Hash value={t.to.address} href={href.address(c.id, t.to.address)} head={6} tail={4} copy={false} /> : t.contractCreated ? <>new <Hash value={t.contractCreated.address} href={href.address(c.id, t.contractCreated.address)} head={6} tail={4} copy={false} /></> : "—"}
                        </td>
                        <td className="num"><Amount value={t.value!} family={family} /></td>
                        <td className="num hide-sm"><Amount value={t.fee!} family={family} /></td>
                      </>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {b.txCount > PAGE ? <Pager base={base} info={b.transactions.pageInfo} label="Transaction pages" /> : null}
      </section>
    </article>
  );
}
