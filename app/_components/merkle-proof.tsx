"use client";
// Inclusion proofs checked in the reader's browser with lib's noble-based verifiers: the page does not ask you to
// trust the server's `verified` flag; it folds the path itself and compares with the header's root.
import { useEffect, useState } from "react";
import { hashPairBrowser, verifyMerkleProof } from "../../lib/bitcoin/merkle-proof";
import { verifyTrieProof } from "../../lib/evm/trie";
import { bytesHex, hexBytes } from "../_lib/format";
import { Hash } from "./hash";

type Outcome = { state: "checking" } | { state: "ok"; ms: number } | { state: "bad"; why: string };

/** Display-order hex (Bitcoin) ↔ internal byte order. */
const internal = (displayHex: string) => hexBytes(displayHex).reverse();
const display = (b: Uint8Array) => bytesHex(Uint8Array.from(b).reverse());

interface Step { level: number; side: "left" | "right"; sibling: string; result: string }

function foldSteps(txid: string, siblings: string[], index: number): Step[] {
  const steps: Step[] = [];
  let node = internal(txid);
  let i = index;
  siblings.forEach((s, level) => {
    const sib = internal(s);
    const right = (i & 1) === 1; // we are the right child: sibling on the left
    node = right ? hashPairBrowser(sib, node) : hashPairBrowser(node, sib);
    steps.push({ level, side: right ? "left" : "right", sibling: s, result: display(node) });
    i = Math.floor(i / 2);
  });
  return steps;
}

export function BitcoinProofPanel({ txid, proof, headerRoot, txCount, blockHref }: {
  txid: string; proof: { siblings: string[]; position: number; root: string; verified: boolean }; headerRoot: string; txCount: number; blockHref: string;
}) {
  const [outcome, setOutcome] = useState<Outcome>({ state: "checking" });
  const [steps, setSteps] = useState<Step[]>([]);
  useEffect(() => {
    const t0 = performance.now();
    try {
      const ok = verifyMerkleProof(internal(txid), { index: proof.position, siblings: proof.siblings.map(internal) }, internal(headerRoot), { txCount });
      setSteps(foldSteps(txid, proof.siblings, proof.position));
      setOutcome(ok ? { state: "ok", ms: performance.now() - t0 } : { state: "bad", why: "the path does not fold to the block header's Merkle root" });
    } catch (e) {
      setOutcome({ state: "bad", why: (e as Error).message });
    }
  }, [txid, proof, headerRoot, txCount]);
  return (
    <section className="card" aria-labelledby="proof-title" data-proof>
      <h2 id="proof-title">Merkle proof</h2>
      <p className="muted">
        The transaction id is hashed with {proof.siblings.length} sibling{proof.siblings.length === 1 ? "" : "s"} up to the Merkle root of
        its <a href={blockHref}>block header</a> (transaction {proof.position + 1} of {txCount}). Your browser recomputes the path with SHA-256d.
      </p>
      <ProofResult outcome={outcome} server={proof.verified} />
      <ol className="proof-steps" aria-label="Proof path from the transaction to the root">
        <li><span className="muted">leaf</span><Hash value={txid} head={14} tail={10} /></li>
        {proof.siblings.length === 0 ? <li><span className="muted">—</span><span>The only transaction: its txid is the root.</span></li> : null}
        {steps.map((s) => (
          <li key={s.level}>
            <span className="muted">level {s.level + 1}</span>
            <span>
              + sibling on the {s.side} <Hash value={s.sibling} head={10} tail={6} /> → <Hash value={s.result} head={10} tail={6} />
            </span>
          </li>
        ))}
        <li><span className="muted">root</span><span>header Merkle root <Hash value={headerRoot} head={14} tail={10} /></span></li>
      </ol>
    </section>
  );
}

export function EvmProofPanel({ proof, position, headerRoot }: { proof: { nodes: string[]; key: string; root: string; verified: boolean }; position: number; headerRoot: string }) {
  const [outcome, setOutcome] = useState<Outcome>({ state: "checking" });
  useEffect(() => {
    const t0 = performance.now();
    try {
      const value = verifyTrieProof(headerRoot, hexBytes(proof.key), proof.nodes.map(hexBytes));
      setOutcome(value ? { state: "ok", ms: performance.now() - t0 } : { state: "bad", why: "the proof shows no transaction at this index" });
    } catch (e) {
      setOutcome({ state: "bad", why: (e as Error).message });
    }
  }, [proof, headerRoot]);
  return (
    <section className="card" aria-labelledby="proof-title" data-proof>
      <h2 id="proof-title">Merkle-Patricia proof</h2>
      <p className="muted">{proof.nodes.length} trie nodes lead from the block&apos;s transactionsRoot to index {position}; your browser re-hashes each with keccak-256.</p>
      <ProofResult outcome={outcome} server={proof.verified} />
      <ol className="proof-steps">
        <li><span className="muted">root</span><Hash value={headerRoot} /></li>
        {proof.nodes.map((n, i) => <li key={i}><span className="muted">node {i}</span><Hash value={n} head={18} tail={8} /></li>)}
      </ol>
    </section>
  );
}

function ProofResult({ outcome, server }: { outcome: Outcome; server: boolean }) {
  return (
    <p role="status" aria-live="polite">
      {outcome.state === "checking" ? <span className="badge">Checking in your browser…</span> : null}
      {outcome.state === "ok" ? <span className="badge ok" data-proof-result="ok">✓ Verified in your browser ({outcome.ms.toFixed(1)} ms)</span> : null}
      {outcome.state === "bad" ? <span className="badge bad" data-proof-result="bad">✗ Does not verify: {outcome.why}</span> : null}{" "}
      <span className="muted">Server says: {server ? "verified" : "not verified"}.</span>
    </p>
  );
}
