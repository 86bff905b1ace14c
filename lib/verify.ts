// The shape every block verification reports, whatever the chain family. The indexer refuses a block
// with any failed check; `npm run verify` prints the same report.

export interface CheckResult {
  /** Stable name of the check, e.g. "headerHash", "pow", "merkleRoot", "receiptsRoot". */
  check: string;
  ok: boolean;
  expected?: string;
  got?: string;
  /** Why a check failed when expected/got do not say it (e.g. "duplicated subtree (CVE-2012-2459)"). */
  detail?: string;
}

export interface BlockReport {
  family: "bitcoin" | "evm";
  hash: string;
  height?: number;
  checks: CheckResult[];
  ok: boolean;
}

export function blockReport(family: BlockReport["family"], hash: string, height: number | undefined, checks: CheckResult[]): BlockReport {
  return { family, hash, height, checks, ok: checks.every((c) => c.ok) };
}

/** A block failed a check. Nothing of it may be written; the message names everything an operator needs. */
export class BlockVerificationError extends Error {
  override readonly name = "BlockVerificationError";
  constructor(
    readonly chain: string,
    readonly report: BlockReport,
    readonly failed: CheckResult = report.checks.find((c) => !c.ok)!,
  ) {
    super(
      `${chain}: block ${report.height ?? "?"} ${report.hash} failed ${failed.check}` +
        (failed.expected !== undefined ? `: expected ${failed.expected}, got ${failed.got}` : "") +
        (failed.detail ? ` (${failed.detail})` : "") +
        ". Nothing of this block was written; check the node, or rerun with --on-invalid=retry.",
    );
  }
}
