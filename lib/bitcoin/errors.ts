// Typed errors for malformed Bitcoin data. Every one carries the byte offset where decoding stopped,
// so an operator can `xxd -s <offset>` the input instead of guessing.

export class BitcoinDecodeError extends Error {
  override name = "BitcoinDecodeError";
  constructor(
    /** What was being read, e.g. "tx input count". */
    readonly what: string,
    /** Byte offset into the buffer handed to the parser. */
    readonly offset: number,
    reason: string,
  ) {
    super(`${what} at byte ${offset}: ${reason}. The data is truncated or is not a Bitcoin block/transaction; re-fetch it from the node.`);
  }
}

/** Ran out of bytes: the input stops before the structure it declares. */
export class TruncatedDataError extends BitcoinDecodeError {
  override name = "TruncatedDataError";
  constructor(what: string, offset: number, needed: number, available: number) {
    super(what, offset, `needs ${needed} bytes, only ${available} left`);
  }
}
