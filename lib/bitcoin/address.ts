// Addresses: scriptPubKey -> string per network (Base58Check, bech32 for witness v0, bech32m for v1+, BIP350)
// and string -> scriptPubKey for search.
//
// Address key: the database keys every output by its scriptPubKey bytes, for all types. That is the only key that
// exists for every script (bare multisig, op_return and nonstandard have no address) and it is what an address
// decodes to, so search is decodeAddress(s).scriptPubKey. P2PK outputs have no address (Core's RPC shows none since
// v22); like most explorers we *display* the P2PKH address of the same key, labelled as such
// (p2pkAddressEquivalent), but it is not the output's key: searching that P2PKH address finds the key's P2PKH
// outputs, and the UI should also look up the P2PK scripts of the key when it knows the pubkey.

import { bech32, bech32m, createBase58check } from "@scure/base";
import { sha256 } from "@noble/hashes/sha2.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
// Encoding is on every page's hot path (address-encode.ts); decoding, for search only, stays on @scure/base.
import { encodeBase58Check, encodeSegwitAddress } from "./address-encode";
import { classifyScript, type ScriptType } from "./script";
import { getNetwork, type Network, type NetworkName, networks } from "./network";

const base58check = createBase58check(sha256);

export class InvalidAddressError extends Error {
  override name = "InvalidAddressError";
  constructor(
    readonly address: string,
    reason: string,
  ) {
    super(`"${address}" is not a valid Bitcoin address: ${reason}. Check for typos and that it belongs to the selected network.`);
  }
}

function witnessScript(version: number, program: Uint8Array): Uint8Array {
  const s = new Uint8Array(2 + program.length);
  s[0] = version === 0 ? 0x00 : 0x50 + version;
  s[1] = program.length;
  s.set(program, 2);
  return s;
}

/**
 * The address an output pays to, or undefined when the script has none (p2pk, multisig, op_return, nonstandard).
 * Segwit outputs of any version (including witness_unknown and anchor) get their bech32/bech32m address.
 */
export function encodeAddress(scriptPubKey: Uint8Array, network: Network | NetworkName): string | undefined {
  const net = getNetwork(network);
  const c = classifyScript(scriptPubKey);
  switch (c.type) {
    case "p2pkh":
      return encodeBase58Check(net.p2pkhPrefix, c.hash);
    case "p2sh":
      return encodeBase58Check(net.p2shPrefix, c.hash);
    case "p2wpkh":
    case "p2wsh":
    case "p2tr":
    case "witness_unknown":
    case "anchor":
      return encodeSegwitAddress(net.bech32Hrp, c.version, c.program);
    default:
      return undefined;
  }
}

/** For p2pk outputs: the P2PKH address of the same key, as explorers show it. Not the output's own address. */
export function p2pkAddressEquivalent(scriptPubKey: Uint8Array, network: Network | NetworkName): string | undefined {
  const c = classifyScript(scriptPubKey);
  if (c.type !== "p2pk") return undefined;
  return encodeBase58Check(getNetwork(network).p2pkhPrefix, ripemd160(sha256(c.pubkey)));
}

/** What an explorer shows in the "address" column: the address, the P2PKH equivalent for p2pk, else undefined. */
export function displayAddress(scriptPubKey: Uint8Array, network: Network | NetworkName): string | undefined {
  return encodeAddress(scriptPubKey, network) ?? p2pkAddressEquivalent(scriptPubKey, network);
}

/** The key the database indexes an output under: its scriptPubKey bytes (see the file comment). */
export function addressKey(scriptPubKey: Uint8Array): Uint8Array {
  return scriptPubKey;
}

export interface DecodedAddress {
  network: Network;
  type: ScriptType;
  scriptPubKey: Uint8Array;
}

/**
 * Parse an address into the scriptPubKey it pays to. With a network, the address must belong to it; without one,
 * the network is inferred (testnet3/testnet4/signet share prefixes; testnet3 is reported for those).
 */
export function decodeAddress(address: string, network?: Network | NetworkName): DecodedAddress {
  const candidates = network ? [getNetwork(network)] : Object.values(networks);
  const lower = address.toLowerCase();
  const sep = lower.lastIndexOf("1");
  const hrp = sep > 0 ? lower.slice(0, sep) : "";
  const segwitNet = candidates.find((n) => n.bech32Hrp === hrp);
  if (segwitNet) return decodeSegwit(address, segwitNet);

  let payload: Uint8Array;
  try {
    payload = base58check.decode(address);
  } catch (e) {
    throw new InvalidAddressError(address, network && sep > 0 ? `not base58check, and bech32 prefix "${hrp}" is not ${getNetwork(network).name}'s` : "bad base58check encoding or checksum");
  }
  if (payload.length !== 21) throw new InvalidAddressError(address, `base58 payload is ${payload.length} bytes, expected 21`);
  const version = payload[0];
  const hash = payload.subarray(1);
  for (const n of candidates) {
    if (version === n.p2pkhPrefix) {
      const s = new Uint8Array(25);
      s.set([0x76, 0xa9, 0x14]);
      s.set(hash, 3);
      s.set([0x88, 0xac], 23);
      return { network: n, type: "p2pkh", scriptPubKey: s };
    }
    if (version === n.p2shPrefix) {
      const s = new Uint8Array(23);
      s.set([0xa9, 0x14]);
      s.set(hash, 2);
      s[22] = 0x87;
      return { network: n, type: "p2sh", scriptPubKey: s };
    }
  }
  throw new InvalidAddressError(address, `version byte 0x${version.toString(16).padStart(2, "0")} is not a ${network ? getNetwork(network).name : "known"} P2PKH/P2SH prefix`);
}

function decodeSegwit(address: string, net: Network): DecodedAddress {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) throw new InvalidAddressError(address, "mixed case");
  const lower = address.toLowerCase() as `${string}1${string}`;
  // BIP350: the witness version decides which checksum is valid.
  const decoded = bech32.decodeUnsafe(lower) ?? bech32m.decodeUnsafe(lower);
  if (!decoded) throw new InvalidAddressError(address, "bad bech32/bech32m checksum");
  const [version, ...rest] = decoded.words;
  if (version === undefined || version > 16) throw new InvalidAddressError(address, "missing or invalid witness version");
  const isBech32m = !bech32.decodeUnsafe(lower);
  if ((version === 0) === isBech32m) throw new InvalidAddressError(address, version === 0 ? "witness v0 must use bech32, not bech32m" : `witness v${version} must use bech32m (BIP350)`);
  const program = bech32.fromWordsUnsafe(rest);
  if (!program) throw new InvalidAddressError(address, "invalid padding");
  if (program.length < 2 || program.length > 40) throw new InvalidAddressError(address, `witness program of ${program.length} bytes`);
  if (version === 0 && program.length !== 20 && program.length !== 32) throw new InvalidAddressError(address, "witness v0 program must be 20 or 32 bytes");
  const scriptPubKey = witnessScript(version, program);
  return { network: net, type: classifyScript(scriptPubKey).type, scriptPubKey };
}
