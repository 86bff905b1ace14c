// Names for well-known 4-byte function selectors (token standards, the devnet's SimpleStorage), for display.
import { bytesToHex } from "../bytes";
import { keccak256 } from "./keccak";

const SIGNATURES = [
  "transfer(address,uint256)", "approve(address,uint256)", "transferFrom(address,address,uint256)",
  "safeTransferFrom(address,address,uint256)", "safeTransferFrom(address,address,uint256,bytes)",
  "setApprovalForAll(address,bool)", "safeTransferFrom(address,address,uint256,uint256,bytes)",
  "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)", "mint(address,uint256)", "burn(uint256)",
  "deposit()", "withdraw(uint256)", "store(uint256)", "retrieve()",
];

let bySelector: Map<string, string> | undefined;

/** The signature behind a 0x-prefixed selector, when it is one of the well-known ones. */
export function knownMethod(selector: string): string | undefined {
  bySelector ??= new Map(SIGNATURES.map((s) => [`0x${bytesToHex(keccak256(new TextEncoder().encode(s)).subarray(0, 4))}`, s]));
  return bySelector.get(selector.toLowerCase());
}
