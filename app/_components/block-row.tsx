// One block in a list (home's latest blocks, a chain's block pages): height with its verified mark, hash, txs, size, age.
import Link from "next/link";
import { bytesLabel, href, num } from "../_lib/format";
import { Hash } from "./hash";
import { Time } from "./time";

export interface BlockRowData {
  hash: string;
  height: number;
  txCount: number;
  size: number;
  time: number;
  verification: { checks: string[] };
}

export function BlockRow({ chain, b, compact = false }: { chain: string; b: BlockRowData; compact?: boolean }) {
  const checks = b.verification.checks;
  return (
    <tr data-height={b.height}>
      <td>
        <Link href={href.block(chain, b.height)} className="mono">{num(b.height)}</Link>
        {checks.length > 0 ? <span className="ok" title={`verified: ${checks.join(", ")}`} aria-label="verified"> ✓</span> : null}
      </td>
      <td>{compact ? <Hash value={b.hash} href={href.block(chain, b.hash)} head={8} tail={6} copy={false} /> : <Hash value={b.hash} href={href.block(chain, b.hash)} head={10} tail={8} />}</td>
      <td className="num">{num(b.txCount)}</td>
      <td className="num hide-sm">{bytesLabel(b.size)}</td>
      <td><Time unix={b.time} /></td>
    </tr>
  );
}
