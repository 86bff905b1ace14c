// Block header hash = keccak256(rlp(header fields)). The 15 base fields are fixed; each fork since
// London appended one field at the end, and the header carries it iff the fork is active. So the
// encoder appends the optional fields *in order, as present in the JSON*, and refuses a gap (a later
// field without an earlier one), which no valid header has.

import { keccak256 } from "./keccak";
import { address, data, hash32, quantity, toHex } from "./fields";
import { encodeRlp } from "./rlp";
import type { RpcHeader } from "./types";

export type HeaderFieldKind = "quantity" | "hash" | "address" | "bloom" | "nonce" | "bytes";

export interface HeaderField {
  name: string;
  kind: HeaderFieldKind;
}

export const BASE_HEADER_FIELDS: readonly HeaderField[] = [
  { name: "parentHash", kind: "hash" },
  { name: "sha3Uncles", kind: "hash" },
  { name: "miner", kind: "address" },
  { name: "stateRoot", kind: "hash" },
  { name: "transactionsRoot", kind: "hash" },
  { name: "receiptsRoot", kind: "hash" },
  { name: "logsBloom", kind: "bloom" },
  { name: "difficulty", kind: "quantity" },
  { name: "number", kind: "quantity" },
  { name: "gasLimit", kind: "quantity" },
  { name: "gasUsed", kind: "quantity" },
  { name: "timestamp", kind: "quantity" },
  { name: "extraData", kind: "bytes" },
  { name: "mixHash", kind: "hash" },
  { name: "nonce", kind: "nonce" },
];

/** Fork-appended fields, in header order. A future fork's field is supported by appending it here. */
export const OPTIONAL_HEADER_FIELDS: readonly HeaderField[] = [
  { name: "baseFeePerGas", kind: "quantity" }, // London, EIP-1559
  { name: "withdrawalsRoot", kind: "hash" }, // Shanghai, EIP-4895
  { name: "blobGasUsed", kind: "quantity" }, // Cancun, EIP-4844
  { name: "excessBlobGas", kind: "quantity" }, // Cancun, EIP-4844
  { name: "parentBeaconBlockRoot", kind: "hash" }, // Cancun, EIP-4788
  { name: "requestsHash", kind: "hash" }, // Prague, EIP-7685
];

export class HeaderFieldGapError extends Error {
  override readonly name = "HeaderFieldGapError";
  constructor(
    readonly present: string,
    readonly missing: string,
  ) {
    super(
      `header has ${present} but not ${missing}, which comes before it; no valid header skips a fork field. ` +
        "The node's answer is truncated or from a non-Ethereum chain — pass its field list to headerFields().",
    );
  }
}

function encodeField(header: Record<string, unknown>, f: HeaderField): Uint8Array {
  const v = header[f.name];
  switch (f.kind) {
    case "quantity":
      return quantity(v, f.name);
    case "hash":
      return hash32(v, f.name);
    case "address":
      return address(v, f.name);
    case "bloom":
      return data(v, f.name, 256);
    case "nonce":
      return data(v, f.name, 8);
    case "bytes":
      return data(v, f.name);
  }
}

/** The header's field values in RLP order. `optional` lets a caller add fields of a later fork. */
export function headerFields(header: RpcHeader, optional: readonly HeaderField[] = OPTIONAL_HEADER_FIELDS): Uint8Array[] {
  const h = header as unknown as Record<string, unknown>;
  const out = BASE_HEADER_FIELDS.map((f) => encodeField(h, f));
  let missing: string | undefined;
  for (const f of optional) {
    if (h[f.name] === undefined || h[f.name] === null) {
      missing ??= f.name;
      continue;
    }
    if (missing !== undefined) throw new HeaderFieldGapError(f.name, missing);
    out.push(encodeField(h, f));
  }
  return out;
}

export function encodeHeader(header: RpcHeader, optional?: readonly HeaderField[]): Uint8Array {
  return encodeRlp(headerFields(header, optional));
}

export function headerHash(header: RpcHeader, optional?: readonly HeaderField[]): `0x${string}` {
  return toHex(keccak256(encodeHeader(header, optional)));
}
