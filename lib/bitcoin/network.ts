// Consensus and encoding parameters per network, from Bitcoin Core's kernel/chainparams.cpp.

export type NetworkName = "mainnet" | "testnet3" | "testnet4" | "signet" | "regtest";

export interface Network {
  name: NetworkName;
  /** blk*.dat / P2P message start bytes, in file order. */
  magic: Uint8Array;
  /** Base58Check version bytes. */
  p2pkhPrefix: number;
  p2shPrefix: number;
  /** Bech32/bech32m human-readable part. */
  bech32Hrp: string;
  /** Highest target a header may claim. */
  powLimit: bigint;
  /** Display (reversed) hex. */
  genesisHash: string;
  /** Retarget every this many blocks... */
  retargetInterval: number;
  /** ...aiming at this many seconds per interval (two weeks). */
  targetTimespan: number;
  targetSpacing: number;
  /** testnets: a block may use powLimit bits when 20 minutes passed since the previous one. */
  allowMinDifficultyBlocks: boolean;
  /** regtest: bits never change. */
  noRetargeting: boolean;
  /** testnet4 (BIP94): a retarget starts from the first block of the period, not the last. */
  enforceBIP94: boolean;
  /** Height from which the coinbase must start with the height (BIP34). */
  bip34Height: number;
  /** Height from which segwit rules apply. */
  segwitHeight: number;
  subsidyHalvingInterval: number;
}

// No Buffer: this file is also imported by browser code.
const hex = (h: string) => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16));
const MAIN_POW_LIMIT = BigInt("0x00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
const TWO_WEEKS = 14 * 24 * 60 * 60;

const common = { retargetInterval: 2016, targetTimespan: TWO_WEEKS, targetSpacing: 600 } as const;

export const mainnet: Network = {
  ...common,
  name: "mainnet",
  magic: hex("f9beb4d9"),
  p2pkhPrefix: 0x00,
  p2shPrefix: 0x05,
  bech32Hrp: "bc",
  powLimit: MAIN_POW_LIMIT,
  genesisHash: "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
  allowMinDifficultyBlocks: false,
  noRetargeting: false,
  enforceBIP94: false,
  bip34Height: 227931,
  segwitHeight: 481824,
  subsidyHalvingInterval: 210000,
};

export const testnet3: Network = {
  ...common,
  name: "testnet3",
  magic: hex("0b110907"),
  p2pkhPrefix: 0x6f,
  p2shPrefix: 0xc4,
  bech32Hrp: "tb",
  powLimit: MAIN_POW_LIMIT,
  genesisHash: "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943",
  allowMinDifficultyBlocks: true,
  noRetargeting: false,
  enforceBIP94: false,
  bip34Height: 21111,
  segwitHeight: 834624,
  subsidyHalvingInterval: 210000,
};

export const testnet4: Network = {
  ...common,
  name: "testnet4",
  magic: hex("1c163f28"),
  p2pkhPrefix: 0x6f,
  p2shPrefix: 0xc4,
  bech32Hrp: "tb",
  powLimit: MAIN_POW_LIMIT,
  genesisHash: "00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043",
  allowMinDifficultyBlocks: true,
  noRetargeting: false,
  enforceBIP94: true,
  bip34Height: 1,
  segwitHeight: 1,
  subsidyHalvingInterval: 210000,
};

/** The default (public) signet. Custom signets differ in magic and genesis. */
export const signet: Network = {
  ...common,
  name: "signet",
  magic: hex("0a03cf40"),
  p2pkhPrefix: 0x6f,
  p2shPrefix: 0xc4,
  bech32Hrp: "tb",
  powLimit: BigInt("0x00000377ae000000000000000000000000000000000000000000000000000000"),
  genesisHash: "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6",
  allowMinDifficultyBlocks: false,
  noRetargeting: false,
  enforceBIP94: false,
  bip34Height: 1,
  segwitHeight: 1,
  subsidyHalvingInterval: 210000,
};

export const regtest: Network = {
  ...common,
  name: "regtest",
  magic: hex("fabfb5da"),
  p2pkhPrefix: 0x6f,
  p2shPrefix: 0xc4,
  bech32Hrp: "bcrt",
  powLimit: BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
  genesisHash: "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
  allowMinDifficultyBlocks: true,
  noRetargeting: true,
  enforceBIP94: false,
  bip34Height: 1,
  segwitHeight: 0,
  subsidyHalvingInterval: 150,
};

export const networks: Record<NetworkName, Network> = { mainnet, testnet3, testnet4, signet, regtest };

export class UnknownNetworkError extends Error {
  override name = "UnknownNetworkError";
  constructor(readonly given: string) {
    super(`unknown Bitcoin network "${given}"; use one of ${Object.keys(networks).join(", ")}`);
  }
}

/** Accepts a Network or its name ("testnet" means testnet3, as in Core). */
export function getNetwork(network: Network | NetworkName | "testnet" | "main" | "test"): Network {
  if (typeof network !== "string") return network;
  const alias: Record<string, NetworkName> = { main: "mainnet", testnet: "testnet3", test: "testnet3" };
  const n = networks[(alias[network] ?? network) as NetworkName];
  if (!n) throw new UnknownNetworkError(network);
  return n;
}

/** The network whose magic the 4 bytes at `offset` are, if any. */
export function networkByMagic(bytes: Uint8Array, offset = 0): Network | undefined {
  for (const n of Object.values(networks)) {
    const m = n.magic;
    if (bytes[offset] === m[0] && bytes[offset + 1] === m[1] && bytes[offset + 2] === m[2] && bytes[offset + 3] === m[3]) return n;
  }
  return undefined;
}
