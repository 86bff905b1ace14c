// Verification badges from a block's `verification`: a check that ran and passed is ✓; one that does not apply is
// not shown (a block failing any check is never written, so there is no ✗ to show for stored blocks).
export interface VerificationData {
  checks: string[];
  headerHash: boolean | null; pow: boolean | null; prevHash: boolean | null; merkleRoot: boolean | null;
  witnessCommitment: boolean | null; transactionsRoot: boolean | null; receiptsRoot: boolean | null;
  withdrawalsRoot: boolean | null; logsBloom: boolean | null; txHashes: boolean | null;
}

export const VERIFICATION_FIELDS = "checks headerHash pow prevHash merkleRoot witnessCommitment transactionsRoot receiptsRoot withdrawalsRoot logsBloom txHashes";

const LABELS: [keyof Omit<VerificationData, "checks">, string, string][] = [
  ["headerHash", "Header hash", "The header hashes to the block hash"],
  ["pow", "Proof of work", "The hash meets the target encoded in bits"],
  ["prevHash", "Parent link", "The parent hash links to the previous block"],
  ["merkleRoot", "Merkle root", "The transactions hash to the header's Merkle root"],
  ["witnessCommitment", "Witness commitment", "The coinbase commits to the witness data"],
  ["transactionsRoot", "Tx root", "The transactions rebuild transactionsRoot"],
  ["receiptsRoot", "Receipts root", "The receipts rebuild receiptsRoot"],
  ["withdrawalsRoot", "Withdrawals root", "The withdrawals rebuild withdrawalsRoot"],
  ["logsBloom", "Logs bloom", "The receipts' logs rebuild logsBloom"],
  ["txHashes", "Tx hashes", "Every transaction hash was re-derived from its fields"],
];

const EXTRA_LABELS: Record<string, [string, string]> = {
  coinbase: ["Coinbase rules", "Exactly one coinbase, first, with a valid height commitment where required"],
  size: ["Size limits", "The block is within the size and weight limits"],
  genesis: ["Genesis", "Height 0 is the network's genesis block"],
  parentHash: ["Parent link", "The parent hash links to the previous block"],
  fullTransactions: ["Full transactions", "The node sent every transaction, not just hashes"],
  blobGasUsed: ["Blob gas", "blobGasUsed equals the blobs the transactions carry"],
  unclesHash: ["Uncles hash", "The uncle headers hash to sha3Uncles"],
  gasUsed: ["Gas used", "The receipts' gas adds up to the header's gasUsed"],
  receiptFields: ["Receipt fields", "Receipt fields no root commits to (sender, recipient, created contract, gas price, log positions) agree with the transactions"],
  txSenders: ["Senders", "Each transaction's signer recovers to its from address"],
};

export function VerificationBadges({ v, powTarget, label = "Verification checks" }: { v: VerificationData; powTarget?: string; label?: string }) {
  const shown = LABELS.filter(([k]) => v[k] !== null);
  const known = new Set<string>([...LABELS.map(([k]) => k as string), "parentHash"]);
  const extra = v.checks.filter((c) => !known.has(c));
  if (shown.length === 0 && extra.length === 0) {
    return <p className="badge warn">No verification checks were recorded for this block.</p>;
  }
  return (
    <ul className="badges" aria-label={label}>
      {shown.map(([k, label, what]) => (
        <li key={k} className={v[k] ? "badge ok" : "badge bad"} title={what} data-check={k}>
          <span aria-hidden="true">{v[k] ? "✓" : "✗"}</span> {label}
          {k === "pow" && powTarget ? <small className="mono" title={`hash ≤ target ${powTarget}`}> hash ≤ {powTarget.slice(0, 14)}…</small> : null}
          <span className="sr-only">{v[k] ? " passed" : " failed"}</span>
        </li>
      ))}
      {extra.map((c) => (
        <li key={c} className="badge ok" data-check={c} title={EXTRA_LABELS[c]?.[1]}><span aria-hidden="true">✓</span> {EXTRA_LABELS[c]?.[0] ?? c}<span className="sr-only"> passed</span></li>
      ))}
    </ul>
  );
}
