// The test chain's consensus checks, reported like a real family's (named checks, expected vs got).
import { bytesEqual, bytesToHex } from "../../../lib/bytes";
import { blockReport, type BlockReport, type CheckResult } from "../../../lib/verify";
import type { BlockHeader } from "../../../indexer/engine/adapter";
import { headerHash, txRootOf, ZERO_HASH, type TcBlock } from "./chain";

export function verifyTcBlock(block: TcBlock, parent: BlockHeader | undefined, startHeight: number): BlockReport {
  const h = block.header;
  const checks: CheckResult[] = [
    compare("height", String(parent ? parent.height + 1 : startHeight), String(h.height)),
    compare("parentHash", bytesToHex(parent ? parent.hash : ZERO_HASH), bytesToHex(h.parentHash)),
    compare("txCount", String(block.txs.length), String(h.txCount)),
    compareBytes("txRoot", txRootOf(h.height, block.txs), block.txRoot),
    compareBytes("headerHash", headerHash(h.height, h.parentHash, h.time, block.txRoot, h.txCount), h.hash),
  ];
  return blockReport("bitcoin", bytesToHex(h.hash), h.height, checks);
}

function compare(check: string, expected: string, got: string): CheckResult {
  return expected === got ? { check, ok: true } : { check, ok: false, expected, got };
}

function compareBytes(check: string, expected: Uint8Array, got: Uint8Array): CheckResult {
  return bytesEqual(expected, got) ? { check, ok: true } : { check, ok: false, expected: bytesToHex(expected), got: bytesToHex(got) };
}
