// A Bitcoin block as the engine carries it from fetch to write: the engine's header, the parsed block (views into
// the raw bytes) and its txids, computed once here and reused by verification and the store.
import { blockReport, type BlockReport, BlockVerificationError } from "../../lib/verify";
import { type Block, parseBlock, parseHeader, txid } from "../../lib/bitcoin/codec";
import { BitcoinDecodeError } from "../../lib/bitcoin/errors";
import { sha256d } from "../../lib/bitcoin/hash";
import type { BlockHeader, SourceBlock } from "../engine/adapter";
import type { Prechecked } from "./bitcoin-verify-pool";

export interface BitcoinBlock extends SourceBlock {
  header: BlockHeader;
  block: Block;
  /** Internal byte order, one per transaction. */
  txids: Uint8Array[];
  /** Display hex of the hash the source named this block by (RPC getblockhash, the blk index); verify compares. */
  claimedHash?: string;
  /** The bytes did not parse past the header (set with an empty `block.txs`): verify refuses the block. */
  parseError?: string;
  /** verifyBlock's report without the parent link, when it was computed ahead (bitcoin-verify-pool.ts). */
  precheck?: BlockReport;
}

/** What a source hands the adapter: raw bytes of the block at a height. */
export interface RawBlock {
  height: number;
  raw: Uint8Array;
  /** Display hex. */
  claimedHash?: string;
}

/** Decodes a raw block. Bytes that do not parse are refused like any failed check, never retried as a transport
 *  fault: when the 80-byte header parses, the block is returned with `parseError` set so that verify() refuses it
 *  in order (after the blocks before it in the range were verified and written); shorter garbage throws a
 *  BlockVerificationError at once. With `pre` (the same bytes' txids and report, computed ahead) nothing is hashed
 *  here. */
export function decodeBlock(chain: string, r: RawBlock, pre?: Prechecked): BitcoinBlock {
  let block: Block;
  try {
    block = parseBlock(r.raw);
  } catch (e) {
    if (!(e instanceof BitcoinDecodeError)) throw e;
    if (r.raw.length < 80) {
      throw new BlockVerificationError(chain, blockReport("bitcoin", r.claimedHash ?? "?", r.height, [{ check: "parse", ok: false, detail: e.message }]));
    }
    const header = parseHeader(r.raw);
    return {
      header: { height: r.height, hash: sha256d(header.raw), parentHash: header.prevHash, time: header.time, txCount: 0, size: r.raw.length },
      block: { header, txs: [], raw: r.raw, trailingBytes: 0 },
      txids: [],
      claimedHash: r.claimedHash,
      parseError: e.message,
    };
  }
  const hash = sha256d(block.header.raw);
  const ahead = pre && pre.txids.length === block.txs.length ? pre : undefined;
  return {
    header: {
      height: r.height,
      hash,
      parentHash: block.header.prevHash,
      time: block.header.time,
      txCount: block.txs.length,
      size: block.raw.length,
    },
    block,
    txids: ahead ? ahead.txids : block.txs.map(txid),
    claimedHash: r.claimedHash,
    precheck: ahead?.report,
  };
}
