"use client";
// The home page body: sync status and, per chain, the newest blocks and transactions. Polls /api/graphql every
// 2 s with TanStack Query, one operation per poll (HOME_QUERY); the server's render is the initial data, so the
// first paint needs no request.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { gqlFetch } from "../_lib/gql-client";
import { href, num } from "../_lib/format";
import { HOME_QUERY, type HomeBlock, type HomeChain, type HomeData, type HomeTx } from "../_lib/home-query";
import { Amount } from "./amount";
import { BlockRow } from "./block-row";
import { Hash } from "./hash";

export function HomeLive({ initial }: { initial: HomeData }) {
  const q = useQuery({
    queryKey: ["home"],
    queryFn: () => gqlFetch<HomeData>(HOME_QUERY),
    initialData: initial,
    refetchInterval: 2_000,
    refetchIntervalInBackground: false,
  });
  const data = q.data;
  const chains = data.chains;
  if (chains.length === 0) {
    return (
      <section className="card">
        <h2>No chains yet</h2>
        <p className="muted">The indexer registers its chains as it starts; this page fills in by itself.</p>
      </section>
    );
  }
  return (
    <>
      <section className="card" aria-labelledby="sync-title">
        <div className="chain-head">
          <h2 id="sync-title">Chains</h2>
          <span className="muted" aria-live="polite">
            {q.isError ? <span className="bad">Live updates paused: {(q.error as Error).message}</span> : <><span className="live-dot" aria-hidden="true" />live, refreshed every 2 s</>}
          </span>
        </div>
        <div className="table-wrap">
          <table aria-label="Chains and sync status">
            <thead>
              <tr>
                <th scope="col">Chain</th><th scope="col">Status</th><th scope="col" className="num">Height / tip</th>
                <th scope="col" className="num hide-sm">Blocks/s</th><th scope="col">Verified</th><th scope="col" className="hide-sm">Last error</th>
              </tr>
            </thead>
            <tbody>
              {chains.map((c) => <SyncRow key={c.id} c={c} newest={c.latestBlocks[0]} />)}
            </tbody>
          </table>
        </div>
      </section>
      {chains.map((c) => <ChainLatest key={c.id} chain={c} blocks={c.latestBlocks} txs={c.latestTransactions} />)}
    </>
  );
}

function statusClass(s: string) {
  return s === "failed" ? "badge bad" : s === "following" ? "badge ok" : s === "stopped" ? "badge warn" : "badge";
}

function SyncRow({ c, newest }: { c: HomeChain; newest?: HomeBlock }) {
  const pct = c.tipHeight != null && c.nodeHeight ? Math.min(100, (100 * c.tipHeight) / c.nodeHeight) : c.tipHeight != null ? 100 : 0;
  return (
    <tr data-chain={c.id}>
      <td>
        <Link href={href.chain(c.id)}>{c.name}</Link>
        <div className="muted" style={{ fontSize: ".82rem" }}>{c.family === "EVM" ? "EVM" : "Bitcoin"} · {c.network}<span className="show-sm-i"> · {c.blocksPerSec.toFixed(1)} blocks/s</span></div>
        {c.lastError ? <div className="bad show-sm" style={{ fontSize: ".82rem" }}>Last error: {c.lastError}</div> : null}
      </td>
      <td><span className={statusClass(c.status)}>{c.status}</span></td>
      <td className="num">
        <span className="mono">{c.tipHeight == null ? "—" : num(c.tipHeight)}</span>
        <span className="muted"> / {c.nodeHeight == null ? "—" : num(c.nodeHeight)}</span>
        <div className="progress" role="progressbar" aria-label={`${c.name} sync progress`} aria-valuenow={Math.round(pct)} aria-valuemin={0} aria-valuemax={100}>
          <span style={{ width: `${pct}%` }} />
        </div>
      </td>
      <td className="num mono hide-sm">{c.blocksPerSec.toFixed(1)}</td>
      <td>
        {newest ? (
          newest.verification.checks.length > 0
            ? <span className="ok" title={`Tip block checks: ${newest.verification.checks.join(", ")}`}>✓ <span className="hide-sm">{newest.verification.checks.length} checks</span><span className="sr-only"> verified</span></span>
            : <span className="warn">no checks recorded</span>
        ) : <span className="muted">—</span>}
      </td>
      <td className={c.lastError ? "bad hide-sm" : "muted hide-sm"}>{c.lastError ?? "none"}</td>
    </tr>
  );
}

function ChainLatest({ chain, blocks, txs }: { chain: HomeChain; blocks: HomeBlock[]; txs: HomeTx[] }) {
  return (
    <section className="grid2" aria-label={`${chain.name}: latest blocks and transactions`} data-chain-latest={chain.id}>
      <div className="card">
        <h2>Latest blocks <span className="muted" style={{ fontWeight: 400 }}>· {chain.name}</span></h2>
        {blocks.length === 0 ? <p className="muted">No blocks indexed yet.</p> : (
          <div className="table-wrap">
            <table className="list-compact" aria-label={`Latest blocks on ${chain.name}`}>
              <thead><tr><th scope="col">Height</th><th scope="col">Hash</th><th scope="col" className="num">Txs</th><th scope="col" className="num hide-sm">Size</th><th scope="col">Age</th></tr></thead>
              <tbody>
                {blocks.map((b) => <BlockRow key={b.hash} chain={chain.id} b={b} compact />)}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <div className="card">
        <h2>Latest transactions <span className="muted" style={{ fontWeight: 400 }}>· {chain.name}</span></h2>
        {txs.length === 0 ? <p className="muted">No transactions yet.</p> : (
          <div className="table-wrap">
            <table className="list-compact" aria-label={`Latest transactions on ${chain.name}`}>
              <thead><tr><th scope="col">Transaction</th><th scope="col">Block</th><th scope="col" className="num">Value</th></tr></thead>
              <tbody>
                {txs.map((tx) => (
                  <tr key={`${tx.height}:${tx.position}`}>
                    <td>
                      <Hash value={tx.hash} href={href.tx(chain.id, tx.hash)} head={8} tail={6} copy={false} />
                      {tx.isCoinbase ? <> <span className="tag">coinbase</span></> : null}
                      {tx.status === 0 ? <> <span className="tag bad">reverted</span></> : null}
                    </td>
                    <td><Link href={href.block(chain.id, tx.height)} className="mono">{num(tx.height)}</Link></td>
                    <td className="num"><Amount value={tx.outputValue ?? tx.value ?? "0"} family={chain.family} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
