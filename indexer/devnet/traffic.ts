// Devnet traffic: anvil's default funded accounts (the public "test … junk" mnemonic) send, every block, a
// realistic mix: ETH transfers as tx types 0, 1 and 2 (some to never-seen addresses), an ERC-20 (transfers,
// approve + transferFrom, mint, burn), an ERC-721 (mints and transfers), an ERC-1155 (single and batch transfers),
// a SimpleStorage store(), a call that reverts, a contract creation now and then, and EIP-7702 (type 4)
// delegations. Setup also deploys a token named `<img src=x onerror=alert(1)>` for the site's XSS test.
//
// Transactions are signed locally (viem accounts, explicit nonces, gas and fees, so nothing is estimated) and
// sent as JSON-RPC batches of eth_sendRawTransaction. (anvil's own signing via eth_sendTransaction was tried: it
// silently dropped some txs at mining in anvil 1.7.1, leaving later nonces queued forever.)
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { encodeDeployData, encodeFunctionData, getContractAddress, type Abi, type Address, type Hex, type SignedAuthorization } from "viem";
import { mnemonicToAccount, type HDAccount } from "viem/accounts";
import artifacts from "./contracts/artifacts.json";
import { mulberry32 } from "../../lib/random";

export const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
export const XSS_TOKEN_NAME = "<img src=x onerror=alert(1)>";

type ContractName = "SimpleStorage" | "DevToken" | "DevNFT" | "DevMulti";
const art = (n: ContractName) => artifacts.contracts[n] as unknown as { abi: Abi; bytecode: Hex };

export interface TrafficContracts {
  token: Address;
  xssToken: Address;
  nft: Address;
  multi: Address;
  storage: Address;
}

export interface TrafficOptions {
  rpcUrl: string;
  log?: (line: string) => void;
  /** Where the deployed contract addresses are kept across restarts (traffic.json). */
  dataDir?: string;
  /** PRNG seed: the same seed on a fresh chain sends the same transactions. */
  seed?: number;
  /** Send EIP-7702 (type 4) txs; turned off by itself if the node refuses one. */
  setCode?: boolean;
}

const GWEI = 1_000_000_000n;

export class Traffic {
  readonly accounts: HDAccount[];
  contracts?: TrafficContracts;
  /** Per-round counters, for logs and tests. */
  readonly sent = { total: 0, rejected: 0, byType: { 0: 0, 1: 0, 2: 0, 4: 0 } as Record<number, number> };
  private chainId = 31337;
  private nonces = new Map<Address, number>();
  private rand: () => number;
  private round = 0;
  private nfts: { id: bigint; owner: number }[] = [];
  private nextNft = 1n;
  private setCode: boolean;
  private rpcId = 1;

  constructor(private readonly o: TrafficOptions) {
    this.accounts = Array.from({ length: 10 }, (_, i) => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }));
    this.rand = mulberry32(o.seed ?? 7);
    this.setCode = o.setCode ?? true;
  }

  async rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    const res = await fetch(this.o.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: this.rpcId++, method, params }) });
    const j = (await res.json()) as { result?: T; error?: { message: string } };
    if (j.error) throw new Error(`${method}: ${j.error.message}`);
    return j.result as T;
  }

  /** Mines `n` blocks now (anvil_mine), whatever the mining mode. */
  async mine(n = 1): Promise<void> {
    await this.rpc("anvil_mine", [`0x${n.toString(16)}`]);
  }

  /** Re-reads chain id and every account's pending nonce (after a reorg dropped queued txs, say). */
  async syncNonces(): Promise<void> {
    this.chainId = Number(await this.rpc<Hex>("eth_chainId"));
    const counts = await Promise.all(this.accounts.map((a) => this.rpc<Hex>("eth_getTransactionCount", [a.address, "pending"])));
    this.accounts.forEach((a, i) => this.nonces.set(a.address, Number(counts[i])));
  }

  private nonce(i: number): number {
    const a = this.accounts[i].address;
    const n = this.nonces.get(a)!;
    this.nonces.set(a, n + 1);
    return n;
  }

  /** Deploys the contracts (or finds them from a previous run) and queues the first transfers. Returns when the
   *  setup transactions are in the node's pool; they land in the next block. */
  async setup(): Promise<TrafficContracts> {
    await this.syncNonces();
    const file = this.o.dataDir ? path.join(this.o.dataDir, "traffic.json") : undefined;
    if (file) {
      try {
        const saved = JSON.parse(readFileSync(file, "utf8")) as TrafficContracts;
        const code = await this.rpc<Hex>("eth_getCode", [saved.token, "latest"]);
        if (code && code !== "0x") {
          this.contracts = saved;
          this.o.log?.(`traffic: reusing contracts from ${file}`);
          return saved;
        }
      } catch {
        // none yet
      }
    }
    const deployer = 0;
    const deploy = (name: ContractName, args: unknown[] = []) => {
      const nonce = this.nonce(deployer);
      const address = getContractAddress({ from: this.accounts[deployer].address, nonce: BigInt(nonce) });
      const data = encodeDeployData({ abi: art(name).abi, bytecode: art(name).bytecode, args });
      return { address, tx: { from: deployer, nonce, to: null, data, gas: 2_000_000n, kind: 2 as const } };
    };
    const token = deploy("DevToken", ["Chainproof Devnet Token", "CPT", 18, 10n ** 27n]);
    const xss = deploy("DevToken", [XSS_TOKEN_NAME, "<b>XSS</b>", 6, 10n ** 15n]);
    const nft = deploy("DevNFT");
    const multi = deploy("DevMulti");
    const storage = deploy("SimpleStorage");
    this.contracts = { token: token.address, xssToken: xss.address, nft: nft.address, multi: multi.address, storage: storage.address };
    const c = this.contracts;
    const txs: PlannedTx[] = [token.tx, xss.tx, nft.tx, multi.tx, storage.tx];
    // Hand out tokens so every account can send some.
    for (let i = 1; i <= 7; i++) txs.push(this.call(deployer, c.token, "DevToken", "transfer", [this.accounts[i].address, 10n ** 24n], 80_000n));
    txs.push(this.call(deployer, c.xssToken, "DevToken", "transfer", [this.accounts[1].address, 12345n], 80_000n));
    await this.send(txs);
    if (file) writeFileSync(file, JSON.stringify(this.contracts, null, 1));
    this.o.log?.(`traffic: deployed token ${c.token}, xss token ${c.xssToken}, nft ${c.nft}, multi ${c.multi}, storage ${c.storage}`);
    return this.contracts;
  }

  private call(from: number, to: Address, name: ContractName, fn: string, args: unknown[], gas: bigint, kind: 0 | 1 | 2 = 2): PlannedTx {
    return { from, nonce: this.nonce(from), to, data: encodeFunctionData({ abi: art(name).abi, functionName: fn, args }), gas, kind };
  }

  private pick(n: number): number {
    return Math.floor(this.rand() * n);
  }

  private randomAddress(): Address {
    let s = "0x";
    for (let i = 0; i < 20; i++) s += this.pick(256).toString(16).padStart(2, "0");
    return s as Address;
  }

  /** One block's worth of transactions into the pool. */
  async sendRound(): Promise<void> {
    if (!this.contracts) await this.setup();
    const c = this.contracts!;
    const r = ++this.round;
    const txs: PlannedTx[] = [];
    const other = (i: number) => (i + 1 + this.pick(6)) % 8; // never 8/9 (9 carries a 7702 delegation)
    const eth = (from: number, to: Address, kind: 0 | 1 | 2) =>
      txs.push({ from, nonce: this.nonce(from), to, value: BigInt(1 + this.pick(1_000_000)) * 10n ** 9n, gas: kind === 1 ? 30_000n : 21_000n, kind, accessList: kind === 1 });

    eth(1, this.accounts[other(1)].address, 0);
    eth(2, this.accounts[other(2)].address, 1);
    eth(3, this.pick(3) === 0 ? this.randomAddress() : this.accounts[other(3)].address, 2);
    // ERC-20: transfers, sometimes to fresh addresses; approve + transferFrom; mint; burn.
    txs.push(this.call(1, c.token, "DevToken", "transfer", [this.pick(2) ? this.randomAddress() : this.accounts[other(1)].address, BigInt(1 + this.pick(10 ** 6)) * 10n ** 12n], 80_000n));
    txs.push(this.call(2, c.token, "DevToken", "transfer", [this.accounts[other(2)].address, BigInt(1 + this.pick(10 ** 6)) * 10n ** 12n], 80_000n, 0));
    if (r % 3 === 0) {
      txs.push(this.call(5, c.token, "DevToken", "approve", [this.accounts[6].address, 10n ** 18n], 60_000n));
      txs.push(this.call(6, c.token, "DevToken", "transferFrom", [this.accounts[5].address, this.accounts[7].address, 10n ** 17n], 90_000n));
    }
    if (r % 4 === 0) txs.push(this.call(7, c.token, "DevToken", "burn", [10n ** 15n], 60_000n, 1));
    if (r % 5 === 0) txs.push(this.call(0, c.token, "DevToken", "mint", [this.accounts[other(0)].address, 10n ** 20n], 80_000n));
    if (r % 7 === 0) txs.push(this.call(1, c.xssToken, "DevToken", "transfer", [this.accounts[2].address, 1n], 80_000n));
    // ERC-721: a mint every round, a transfer of an owned one most rounds.
    const owner = other(3);
    txs.push(this.call(3, c.nft, "DevNFT", "mint", [this.accounts[owner].address], 120_000n));
    this.nfts.push({ id: this.nextNft++, owner });
    if (this.nfts.length > 1 && this.pick(3) > 0) {
      const k = this.pick(this.nfts.length - 1);
      const n = this.nfts[k];
      const to = other(n.owner);
      txs.push(this.call(n.owner, c.nft, "DevNFT", "transferFrom", [this.accounts[n.owner].address, this.accounts[to].address, n.id], 90_000n));
      n.owner = to;
    }
    // ERC-1155 from account 4's batch (minted in the first round: in the setup block it could be ordered before
    // the contract's deployment, which another account sends).
    if (r === 1) txs.push(this.call(4, c.multi, "DevMulti", "mintBatch", [this.accounts[4].address, [1n, 2n, 3n], [1000n, 1000n, 1000n]], 200_000n));
    if (r % 2 === 0) txs.push(this.call(4, c.multi, "DevMulti", "safeTransferFrom", [this.accounts[4].address, this.accounts[other(4)].address, BigInt(1 + this.pick(3)), 1n, "0x"], 90_000n));
    else txs.push(this.call(4, c.multi, "DevMulti", "safeBatchTransferFrom", [this.accounts[4].address, this.accounts[other(4)].address, [1n, 3n], [1n, 2n], "0x"], 150_000n));
    // SimpleStorage, and a call that reverts (explicit gas: it is mined, status 0).
    txs.push(this.call(5, c.storage, "SimpleStorage", "store", [BigInt(r)], 60_000n, (r % 3) as 0 | 1 | 2));
    txs.push(this.call(6, c.storage, "SimpleStorage", "fail", [], 50_000n));
    // A contract creation every 10 rounds.
    if (r % 10 === 0) txs.push({ from: 7, nonce: this.nonce(7), to: null, data: art("SimpleStorage").bytecode, gas: 400_000n, kind: 2 });
    // EIP-7702: account 9 delegates to SimpleStorage (account 8 pays), then is called like a contract.
    if (this.setCode && r % 5 === 1) {
      const auth = await this.accounts[9].signAuthorization!({ chainId: this.chainId, address: c.storage, nonce: this.nonce(9) });
      txs.push({
        from: 8, nonce: this.nonce(8), to: this.accounts[9].address, gas: 150_000n, kind: 4, authorizationList: [auth],
        data: encodeFunctionData({ abi: art("SimpleStorage").abi, functionName: "store", args: [BigInt(1000 + r)] }),
      });
    }
    await this.send(txs);
  }

  /** Sends in waves of at most one tx per sender: anvil handles a batch's calls concurrently, and a tx that
   *  overtakes its predecessor's nonce stays queued. */
  private async send(planned: PlannedTx[]): Promise<void> {
    const waves: PlannedTx[][] = [];
    const count = new Map<number, number>();
    for (const p of planned) {
      const k = count.get(p.from) ?? 0;
      count.set(p.from, k + 1);
      (waves[k] ??= []).push(p);
    }
    let rejected = 0;
    for (const wave of waves) rejected += await this.sendWave(wave);
    this.sent.total += planned.length - rejected;
    this.sent.rejected += rejected;
    if (rejected) await this.syncNonces();
  }

  private async sendWave(planned: PlannedTx[]): Promise<number> {
    const raws = await Promise.all(planned.map((p) => this.sign(p)));
    const body = raws.map((raw, i) => ({ jsonrpc: "2.0", id: this.rpcId + i, method: "eth_sendRawTransaction", params: [raw] }));
    this.rpcId += planned.length;
    const res = await fetch(this.o.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answers = (await res.json()) as { id: number; error?: { message: string } }[];
    let rejected = 0;
    for (const a of answers) {
      const p = planned[a.id - body[0].id];
      if (a.error) {
        rejected++;
        if (p?.kind === 4 && this.setCode) {
          this.setCode = false;
          this.o.log?.(`traffic: the node refused an EIP-7702 tx (${a.error.message}); no more type 4`);
        } else this.o.log?.(`traffic: tx rejected: ${a.error.message}`);
      } else if (p) this.sent.byType[p.kind] = (this.sent.byType[p.kind] ?? 0) + 1;
    }
    return rejected;
  }

  private async sign(p: PlannedTx): Promise<Hex> {
    const a = this.accounts[p.from];
    const base = { chainId: this.chainId, nonce: p.nonce, to: p.to ?? undefined, value: p.value ?? 0n, data: p.data, gas: p.gas };
    const prio = BigInt(1 + this.pick(3)) * GWEI;
    switch (p.kind) {
      case 0:
        return a.signTransaction({ ...base, type: "legacy", gasPrice: 20n * GWEI });
      case 1:
        return a.signTransaction({
          ...base, type: "eip2930", gasPrice: 20n * GWEI,
          accessList: p.accessList ? [{ address: this.accounts[0].address, storageKeys: [] }] : [],
        });
      case 2:
        return a.signTransaction({ ...base, type: "eip1559", maxFeePerGas: 50n * GWEI, maxPriorityFeePerGas: prio });
      case 4:
        return a.signTransaction({ ...base, to: p.to!, type: "eip7702", maxFeePerGas: 50n * GWEI, maxPriorityFeePerGas: prio, authorizationList: p.authorizationList! });
    }
  }

  /** Setup (if not yet), then `blocks` rounds, each mined into its own block (manual-mining devnets, tests). */
  async generate(blocks: number): Promise<void> {
    if (!this.contracts) {
      await this.setup();
      await this.mine();
      blocks--;
    }
    for (let i = 0; i < blocks; i++) {
      await this.sendRound();
      await this.mine();
    }
  }
}

interface PlannedTx {
  from: number;
  nonce: number;
  to: Address | null;
  data?: Hex;
  value?: bigint;
  gas: bigint;
  kind: 0 | 1 | 2 | 4;
  accessList?: boolean;
  authorizationList?: SignedAuthorization[];
}

export interface RunningTraffic {
  traffic: Traffic;
  stop(): Promise<void>;
}

/** Sends one round per new block of an interval-mining devnet until stopped. */
export function startTraffic(o: TrafficOptions & { pollMs?: number }): RunningTraffic {
  const traffic = new Traffic(o);
  let stopped = false;
  let lastBlock = -1;
  const loop = (async () => {
    while (!stopped) {
      try {
        const n = Number(await traffic.rpc<Hex>("eth_blockNumber"));
        if (n !== lastBlock) {
          lastBlock = n;
          if (!traffic.contracts) await traffic.setup();
          else await traffic.sendRound();
        }
      } catch (e) {
        if (!stopped) o.log?.(`traffic: ${e instanceof Error ? e.message : e}`);
      }
      await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
    }
  })();
  return {
    traffic,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
