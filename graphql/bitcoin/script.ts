// The API's view of Bitcoin scripts and addresses, on top of lib/bitcoin (script.ts, address.ts, network.ts).
// What the API adds: the label shown for an address row (p2pk rows are keyed by their key, so the key is the label),
// and lookup by a bare public key or scriptPubKey hex besides the standard encodings.
import { bytesToHex } from "../../lib/bytes";
import { decodeAddress, encodeAddress, InvalidAddressError } from "../../lib/bitcoin/address";
import { getNetwork, type Network } from "../../lib/bitcoin/network";
import { classifyScript, MAX_SCRIPT_SIZE } from "../../lib/bitcoin/script";

export class AddressDecodeError extends Error {}

/** A chain's network parameters; chain.network is free text in the database, so unknown names read as regtest. */
export function network(name: string): Network {
  try {
    return getNetwork(name as Parameters<typeof getNetwork>[0]);
  } catch {
    return getNetwork("regtest");
  }
}

/** Core's address for a script (null for p2pk, multisig, op_return, nonstandard). */
export function standardAddress(script: Uint8Array, networkName: string): string | null {
  return encodeAddress(script, network(networkName)) ?? null;
}

/** How an address row is named: its standard address, else the p2pk public key, else the script hex. */
export function addressLabel(script: Uint8Array, networkName: string): string {
  const std = standardAddress(script, networkName);
  if (std) return std;
  const c = classifyScript(script);
  return c.type === "p2pk" ? bytesToHex(c.pubkey) : bytesToHex(script);
}

const isPubkey = (b: Uint8Array) => (b.length === 33 && (b[0] === 2 || b[0] === 3)) || (b.length === 65 && b[0] === 4);

/**
 * The scriptPubKey an address string stands for: a standard address of the chain's network, a bare public key
 * (its p2pk script), or a scriptPubKey in hex. Throws AddressDecodeError saying why otherwise.
 */
export function addressToScript(input: string, networkName: string): Uint8Array {
  const s = input.trim();
  if (/^[0-9a-fA-F]+$/.test(s) && s.length % 2 === 0) {
    const bytes = Uint8Array.from(Buffer.from(s, "hex"));
    if (isPubkey(bytes)) return Uint8Array.of(bytes.length, ...bytes, 0xac);
    if (bytes.length > 0 && bytes.length <= MAX_SCRIPT_SIZE) return bytes;
  }
  try {
    return decodeAddress(s, network(networkName)).scriptPubKey;
  } catch (e) {
    if (e instanceof InvalidAddressError) throw new AddressDecodeError(e.message);
    throw new AddressDecodeError(`not an address of ${networkName}`);
  }
}
