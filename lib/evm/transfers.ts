// Token movements from logs. ERC-20 and ERC-721 share the Transfer signature and differ only in
// whether the third argument is indexed, so topic count picks the standard (3 → 20, 4 → 721).
// The fixed-size events (ERC-20/721 Transfer, ERC-1155 TransferSingle: nearly every log an indexer sees)
// are read straight from their 32-byte words, as viem's decoder reads them but without its per-log ABI
// machinery and address checksumming (which cost more than the rest of fetching a receipt); TransferBatch
// (dynamic arrays) is viem's. Anything that does not fit the standard shape (wrong topic count, short or
// long data, batch arrays of unequal length) is skipped — logs are attacker-written, so a malformed
// one must not stop indexing.

import { decodeEventLog, parseAbi, toEventSelector, toEventSignature, type Abi, type AbiEvent } from "viem";
import type { Address, RpcLog, RpcReceipt } from "./types";

export const ERC20_ABI = parseAbi([
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "event Approval(address indexed owner, address indexed spender, uint256 value)",
]);
export const ERC721_ABI = parseAbi([
  "event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)",
  "event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)",
  "event ApprovalForAll(address indexed owner, address indexed operator, bool approved)",
]);
export const ERC1155_ABI = parseAbi([
  "event TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value)",
  "event TransferBatch(address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values)",
]);

/** Wrapped ether (WETH9) wraps/unwraps — the most frequent non-token-standard events on mainnet. */
export const WETH_ABI = parseAbi(["event Deposit(address indexed dst, uint256 wad)", "event Withdrawal(address indexed src, uint256 wad)"]);

export const TRANSFER_TOPIC = toEventSelector("Transfer(address,address,uint256)");
export const APPROVAL_TOPIC = toEventSelector("Approval(address,address,uint256)");
export const APPROVAL_FOR_ALL_TOPIC = toEventSelector("ApprovalForAll(address,address,bool)");
export const TRANSFER_SINGLE_TOPIC = toEventSelector("TransferSingle(address,address,address,uint256,uint256)");
export const TRANSFER_BATCH_TOPIC = toEventSelector("TransferBatch(address,address,address,uint256[],uint256[])");
export const WETH_DEPOSIT_TOPIC = toEventSelector("Deposit(address,uint256)");
export const WETH_WITHDRAWAL_TOPIC = toEventSelector("Withdrawal(address,uint256)");

export interface TokenTransfer {
  /** The log's block-wide logIndex, or its position in the input when the node gave none. */
  logIndex: number;
  /** Position inside an ERC-1155 TransferBatch; 0 for every other transfer. */
  batchIndex: number;
  standard: 20 | 721 | 1155;
  /** The emitting contract. */
  token: Address;
  from: Address;
  to: Address;
  /** ERC-721 and ERC-1155 token id. */
  tokenId?: bigint;
  /** ERC-20 amount, ERC-1155 value; always 1 for ERC-721. */
  amount: bigint;
}

const dataBytes = (log: RpcLog) => (log.data.length - 2) / 2;

function decode(abi: Abi, log: RpcLog): { eventName: string; args: Record<string, unknown> } | undefined {
  try {
    const r = decodeEventLog({ abi, topics: log.topics as [`0x${string}`, ...`0x${string}`[]], data: log.data, strict: true });
    return { eventName: r.eventName as unknown as string, args: r.args as unknown as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

const lowerAddr = (a: unknown) => String(a).toLowerCase() as Address;

const WORD = /^0x[0-9a-fA-F]{64}$/;
const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;
/** An indexed address: the low 20 bytes of its topic word (the ABI's left padding is not checked, as viem). */
const topicAddress = (t: string) => `0x${t.slice(26).toLowerCase()}` as Address;
/** The i-th 32-byte word of hex data as an unsigned integer. */
const dataWord = (data: string, i: number) => BigInt(`0x${data.slice(2 + 64 * i, 66 + 64 * i)}`);

export function decodeTransfers(logs: readonly RpcLog[]): TokenTransfer[] {
  const out: TokenTransfer[] = [];
  logs.forEach((log, position) => {
    const topic0 = log.topics?.[0]?.toLowerCase();
    if (!topic0 || typeof log.data !== "string") return;
    const logIndex = log.logIndex != null ? Number(log.logIndex) : position;
    const token = lowerAddr(log.address);
    const t = log.topics;
    if ((topic0 === TRANSFER_TOPIC || topic0 === TRANSFER_SINGLE_TOPIC) && !(t.every((x) => WORD.test(x)) && HEX.test(log.data))) return;
    if (topic0 === TRANSFER_TOPIC) {
      if (t.length === 3 && dataBytes(log) === 32) {
        out.push({ logIndex, batchIndex: 0, standard: 20, token, from: topicAddress(t[1]), to: topicAddress(t[2]), amount: dataWord(log.data, 0) });
      } else if (t.length === 4 && dataBytes(log) === 0) {
        out.push({ logIndex, batchIndex: 0, standard: 721, token, from: topicAddress(t[1]), to: topicAddress(t[2]), tokenId: BigInt(t[3]), amount: 1n });
      }
    } else if (topic0 === TRANSFER_SINGLE_TOPIC && t.length === 4 && dataBytes(log) === 64) {
      out.push({ logIndex, batchIndex: 0, standard: 1155, token, from: topicAddress(t[2]), to: topicAddress(t[3]), tokenId: dataWord(log.data, 0), amount: dataWord(log.data, 1) });
    } else if (topic0 === TRANSFER_BATCH_TOPIC && log.topics.length === 4) {
      const d = decode(ERC1155_ABI, log);
      const ids = d?.args.ids as readonly bigint[] | undefined;
      const values = d?.args.values as readonly bigint[] | undefined;
      if (!d || !ids || !values || ids.length !== values.length) return;
      ids.forEach((id, batchIndex) =>
        out.push({ logIndex, batchIndex, standard: 1155, token, from: lowerAddr(d.args.from), to: lowerAddr(d.args.to), tokenId: id, amount: values[batchIndex] }),
      );
    }
  });
  return out;
}

export function transfersFromReceipts(receipts: readonly RpcReceipt[]): TokenTransfer[] {
  return decodeTransfers(receipts.flatMap((r) => r.logs));
}

export interface DecodedEvent {
  name: string;
  /** Canonical signature, e.g. "Transfer(address,address,uint256)". */
  signature: string;
  /** Which ABI matched: "erc20", "erc721", "erc1155", "weth", or "extra" for a caller-supplied ABI. */
  standard: "erc20" | "erc721" | "erc1155" | "weth" | "extra";
  /** Argument values as display strings (bigints in decimal, arrays as [a, b], bools as true/false). */
  args: Record<string, string>;
  /** The same values in declaration order, with their ABI types. */
  params: { name: string; type: string; value: string }[];
}

function show(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  // viem checksums addresses; the explorer shows all hex lowercase.
  return typeof v === "string" && v.startsWith("0x") ? v.toLowerCase() : String(v);
}

/**
 * Names a log for display when it is a well-known token event. `extraAbi` adds events of the
 * deployment's own contracts (e.g. a demo SimpleStorage). Returns undefined for anything unrecognised.
 */
export function decodeKnownEvent(log: RpcLog, extraAbi?: Abi): DecodedEvent | undefined {
  const topic0 = log.topics?.[0]?.toLowerCase();
  if (!topic0) return undefined;
  const candidates: [DecodedEvent["standard"], Abi][] = [];
  if (topic0 === TRANSFER_TOPIC || topic0 === APPROVAL_TOPIC) candidates.push(log.topics.length === 4 ? ["erc721", ERC721_ABI] : ["erc20", ERC20_ABI]);
  else if (topic0 === APPROVAL_FOR_ALL_TOPIC) candidates.push(["erc721", ERC721_ABI]);
  else if (topic0 === TRANSFER_SINGLE_TOPIC || topic0 === TRANSFER_BATCH_TOPIC) candidates.push(["erc1155", ERC1155_ABI]);
  else if (topic0 === WETH_DEPOSIT_TOPIC || topic0 === WETH_WITHDRAWAL_TOPIC) candidates.push(["weth", WETH_ABI]);
  if (extraAbi) candidates.push(["extra", extraAbi]);
  for (const [standard, abi] of candidates) {
    const d = decode(abi, log);
    if (!d) continue;
    const item = abi.find((i): i is AbiEvent => i.type === "event" && i.name === d.eventName && toEventSelector(i) === topic0)!;
    const args: Record<string, string> = {};
    for (const [k, v] of Object.entries(d.args ?? {})) args[k] = show(v);
    const params = item.inputs.map((input, i) => ({ name: input.name ?? `arg${i}`, type: input.type, value: args[input.name ?? ""] ?? show((d.args as unknown as unknown[])[i]) }));
    return { name: d.eventName, signature: toEventSignature(item), standard, args, params };
  }
  return undefined;
}
