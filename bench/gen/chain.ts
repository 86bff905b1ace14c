// A realistic synthetic Bitcoin chain, seeded and deterministic, for ingest and API benchmarks.
//
// Shape (mainnet-like, see README-figures.md for the measured mix):
// - blocks of ~1,200–3,600 transactions (uniform), capped at a 4,000,000 weight budget;
// - addresses: ~58% p2wpkh, ~27% p2tr, ~15% legacy p2pkh (by address), plus rare OP_RETURN outputs;
// - 1–3 inputs and 2 outputs typical, with fan-in (100–600 inputs) and fan-out (100–1,000 outputs) outliers;
// - address reuse: half of all outputs pay a fresh address, the other half a power-law (Zipf, s≈1) pick among
//   the addresses seen so far, so a few addresses become very hot; coinbases pay one of 8 "pool" addresses;
// - every input spends a real earlier output (the generator keeps the UTXO set; spends within the same block
//   happen when a just-created output is picked), values balance with a fee of vsize × feerate;
// - coinbase: BIP34 height, subsidy + fees, BIP141 witness commitment (reserved value = 32 zero bytes);
// - valid Merkle roots and PoW at regtest difficulty (nBits 0x207fffff: the nonce grind takes ~2 hashes).
// Signatures and pubkeys are random bytes of the right shape (DER-like 71/72-byte ECDSA with sighash byte,
// 64-byte Schnorr, 33-byte compressed keys): scripts are never executed by the indexer.
// Not modelled: coinbase maturity (bootstrap coinbases are spent at once), p2sh/p2wsh, RBF/CPFP structure.

import { bip34Prefix } from "../../lib/bitcoin/codec";
import { sha256d, sha256dParts } from "../../lib/bitcoin/hash";
import { merkleRoot } from "../../lib/bitcoin/merkle";
import { regtest } from "../../lib/bitcoin/network";
import { checkProofOfWork } from "../../lib/bitcoin/pow";
import { blockSubsidy } from "../../lib/bitcoin/stats";
import { hexToBytes } from "../../lib/bytes";
import { mix32, Prng } from "./prng";

export const REGTEST_BITS = 0x207fffff;
export const GENESIS_TIME = 1296688602;

// Regtest genesis = mainnet genesis coinbase with regtest time/bits/nonce (Core's CreateGenesisBlock).
const GENESIS_COINBASE = hexToBytes(
  "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000",
);

export type AddrType = "p2wpkh" | "p2tr" | "p2pkh";
const NO_ADDR = -1;

export interface GenOptions {
  seed: number;
  /** Stop after the block that brings the chain (coinbases included) to at least this many transactions. */
  txs: number;
  /** Transactions per block, uniform in [min, max] (default 1200..3600). */
  minBlockTxs?: number;
  maxBlockTxs?: number;
}

export interface GenBlock {
  height: number;
  /** Internal byte order. */
  hash: Uint8Array;
  raw: Uint8Array;
  txCount: number;
  inputs: number;
  outputs: number;
}

export interface GenStats {
  blocks: number;
  txs: number;
  inputs: number;
  outputs: number;
  bytes: number;
  segwitTxs: number;
  fanIn: number;
  fanOut: number;
  intraBlockSpends: number;
  outputsByType: Record<AddrType | "op_return", number>;
  addresses: number;
  /** Outputs paid to each of the hottest address indexes (0.. = pool addresses, then Zipf ranks). */
  hottest: { index: number; outputs: number; script: string }[];
  utxoSetSize: number;
}

interface Utxo {
  txNo: number;
  vout: number;
  value: number;
  addr: number;
  block: number;
}

/** The UTXO set as growable typed arrays (struct of arrays): millions of small objects would make every major GC
 *  walk them. txids live in 128 KiB slabs addressed by a tx number. */
class UtxoSet {
  private cap = 1 << 16;
  length = 0;
  private txNo = new Int32Array(this.cap);
  private vout = new Int32Array(this.cap);
  private value = new Float64Array(this.cap);
  private addr = new Int32Array(this.cap);
  private block = new Int32Array(this.cap);
  private slabs: Uint8Array[] = [];
  private txCount = 0;

  /** Stores a txid, returns its number. */
  addTxid(hash: Uint8Array): number {
    const n = this.txCount++;
    if ((n & 4095) === 0) this.slabs.push(new Uint8Array(32 * 4096));
    this.slabs[n >>> 12].set(hash, (n & 4095) * 32);
    return n;
  }

  txid(n: number): Uint8Array {
    const off = (n & 4095) * 32;
    return this.slabs[n >>> 12].subarray(off, off + 32);
  }

  push(u: Utxo): void {
    if (this.length === this.cap) this.grow();
    const i = this.length++;
    this.txNo[i] = u.txNo;
    this.vout[i] = u.vout;
    this.value[i] = u.value;
    this.addr[i] = u.addr;
    this.block[i] = u.block;
  }

  /** Removes entry i (swap with the last). */
  take(i: number): Utxo {
    const u: Utxo = { txNo: this.txNo[i], vout: this.vout[i], value: this.value[i], addr: this.addr[i], block: this.block[i] };
    const last = --this.length;
    this.txNo[i] = this.txNo[last];
    this.vout[i] = this.vout[last];
    this.value[i] = this.value[last];
    this.addr[i] = this.addr[last];
    this.block[i] = this.block[last];
    return u;
  }

  private grow(): void {
    this.cap *= 2;
    const g = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a);
      return b;
    };
    this.txNo = g(this.txNo);
    this.vout = g(this.vout);
    this.value = g(this.value);
    this.addr = g(this.addr);
    this.block = g(this.block);
  }
}

/** Growable byte writer (little-endian). */
class Writer {
  buf = new Uint8Array(1 << 22);
  view = new DataView(this.buf.buffer);
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }
  u64(v: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, v % 4294967296, true);
    this.view.setUint32(this.pos + 4, Math.floor(v / 4294967296), true);
    this.pos += 8;
  }
  varint(n: number): void {
    this.ensure(9);
    if (n < 0xfd) this.buf[this.pos++] = n;
    else if (n <= 0xffff) {
      this.buf[this.pos] = 0xfd;
      this.view.setUint16(this.pos + 1, n, true);
      this.pos += 3;
    } else {
      this.buf[this.pos] = 0xfe;
      this.view.setUint32(this.pos + 1, n, true);
      this.pos += 5;
    }
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

const INPUT_VBYTES: Record<AddrType, number> = { p2wpkh: 68, p2tr: 58, p2pkh: 148 };
const OUTPUT_VBYTES: Record<AddrType, number> = { p2wpkh: 31, p2tr: 43, p2pkh: 34 };
const DUST = 546;
const WEIGHT_BUDGET = 3_990_000;
const POOL_ADDRESSES = 8;

export function genesisBlock(): Uint8Array {
  const w = new Writer();
  w.u32(1);
  w.bytes(new Uint8Array(32));
  const merkle = sha256d(GENESIS_COINBASE);
  w.bytes(merkle);
  w.u32(GENESIS_TIME);
  w.u32(REGTEST_BITS);
  w.u32(2);
  w.varint(1);
  w.bytes(GENESIS_COINBASE);
  return w.buf.slice(0, w.pos);
}

/** The synthetic chain, genesis first. Blocks are yielded one at a time (constant memory apart from the UTXO set). */
export class ChainGenerator {
  readonly stats: GenStats;
  private readonly rng: Prng;
  private readonly pool = new Uint8Array(1 << 20);
  private readonly seed: number;
  private utxos = new UtxoSet();
  private nextAddr = POOL_ADDRESSES;
  private readonly addrOutputs = new Map<number, number>();
  private prevHash = new Uint8Array(32);
  private height = -1;
  private readonly body = new Writer();
  private readonly cb = new Writer();
  private readonly block = new Writer();
  private readonly scratch = new Uint8Array(40);

  constructor(private readonly opts: GenOptions) {
    this.seed = opts.seed >>> 0;
    this.rng = new Prng(this.seed);
    this.rng.fill(this.pool);
    this.stats = {
      blocks: 0, txs: 0, inputs: 0, outputs: 0, bytes: 0, segwitTxs: 0, fanIn: 0, fanOut: 0, intraBlockSpends: 0,
      outputsByType: { p2wpkh: 0, p2tr: 0, p2pkh: 0, op_return: 0 }, addresses: POOL_ADDRESSES, hottest: [], utxoSetSize: 0,
    };
  }

  addrType(k: number): AddrType {
    const r = mix32(this.seed, k) % 100;
    return r < 58 ? "p2wpkh" : r < 85 ? "p2tr" : "p2pkh";
  }

  /** scriptPubKey of address index k. */
  script(k: number): Uint8Array {
    const w = new Writer();
    this.writeScript(w, k);
    return w.buf.slice(1, w.pos);
  }

  private program(k: number, len: number): Uint8Array {
    const p = this.scratch;
    for (let j = 0; j < len; j += 4) {
      const v = mix32(k ^ this.seed, j + 0x5bd1e995);
      p[j] = v;
      p[j + 1] = v >>> 8;
      p[j + 2] = v >>> 16;
      p[j + 3] = v >>> 24;
    }
    return p.subarray(0, len);
  }

  /** varint length + scriptPubKey of address k. */
  private writeScript(w: Writer, k: number): void {
    const t = this.addrType(k);
    if (t === "p2wpkh") {
      w.u8(22);
      w.u8(0x00);
      w.u8(0x14);
      w.bytes(this.program(k, 20));
    } else if (t === "p2tr") {
      w.u8(34);
      w.u8(0x51);
      w.u8(0x20);
      w.bytes(this.program(k, 32));
    } else {
      w.u8(25);
      w.u8(0x76);
      w.u8(0xa9);
      w.u8(0x14);
      w.bytes(this.program(k, 20));
      w.u8(0x88);
      w.u8(0xac);
    }
  }

  private randomBytes(n: number): Uint8Array {
    const off = this.rng.u32() % (this.pool.length - n);
    return this.pool.subarray(off, off + n);
  }

  /** Output address: half fresh, half a log-uniform (Zipf s≈1) rank among those seen so far. */
  private pickAddress(): number {
    if (this.rng.chance(0.5)) return this.nextAddr++;
    const n = this.nextAddr;
    return Math.min(n - 1, Math.floor(Math.exp(this.rng.float() * Math.log(n))) - 1);
  }

  /** Spend a UTXO: half the time one of the ~20% most recent, else any (swap-remove keeps it O(1)). */
  private takeUtxo(): Utxo {
    const n = this.utxos.length;
    const i = this.rng.chance(0.5) ? n - 1 - Math.floor(this.rng.float() * Math.max(1, n * 0.2)) : Math.floor(this.rng.float() * n);
    return this.utxos.take(i);
  }

  private feerate(): number {
    return Math.min(500, 1 + Math.floor(-Math.log(1 - this.rng.float()) * 12));
  }

  private sig(der: boolean): Uint8Array {
    if (!der) return this.randomBytes(64);
    const len = this.rng.chance(0.5) ? 71 : 72;
    const s = Uint8Array.from(this.randomBytes(len));
    s[0] = 0x30;
    s[1] = len - 3;
    s[len - 1] = 0x01;
    return s;
  }

  private pubkey(): Uint8Array {
    const k = Uint8Array.from(this.randomBytes(33));
    k[0] = 0x02 | (k[1] & 1);
    return k;
  }

  /** Next block (genesis first), or undefined once opts.txs transactions exist. */
  next(): GenBlock | undefined {
    if (this.height >= 0 && this.stats.txs >= this.opts.txs) return undefined;
    this.height++;
    if (this.height === 0) {
      const raw = genesisBlock();
      return this.finish(raw, 1, 1, 1);
    }
    return this.buildBlock();
  }

  private buildBlock(): GenBlock {
    const rng = this.rng;
    const height = this.height;
    const minTxs = this.opts.minBlockTxs ?? 1200;
    const maxTxs = this.opts.maxBlockTxs ?? 3600;
    let target = rng.int(minTxs, maxTxs);
    // Warm-up: the first blocks cannot spend more than the coinbases have fanned out.
    target = Math.min(target, Math.floor(this.utxos.length / 2), this.opts.txs - this.stats.txs - 1);
    const body = this.body;
    body.pos = 0;
    const txids: Uint8Array[] = [new Uint8Array(32)];
    const wtxids: Uint8Array[] = [new Uint8Array(32)];
    const fanOut = this.utxos.length < 20_000 ? 2500 : 1;
    let weight = 80 * 4 + 3 * 4 + 2000 + fanOut * 43 * 4; // header, tx count, coinbase
    let fees = 0;
    let ins = 0;
    let outs = 0;
    const blockStart = this.stats.blocks;

    for (let t = 0; t < target && this.utxos.length > 0; t++) {
      // Shape.
      let nIn: number;
      let nOut: number;
      const r = rng.float();
      if (r < 0.001 && this.utxos.length > 2000) {
        nIn = rng.int(100, 600);
        nOut = 1;
        this.stats.fanIn++;
      } else if (r < 0.003) {
        nIn = 1;
        nOut = rng.int(100, 1000);
        this.stats.fanOut++;
      } else {
        const a = rng.float();
        nIn = a < 0.62 ? 1 : a < 0.85 ? 2 : a < 0.95 ? 3 : rng.int(4, 12);
        const b = rng.float();
        nOut = b < 0.1 ? 1 : b < 0.88 ? 2 : rng.int(3, 6);
      }
      nIn = Math.min(nIn, this.utxos.length);
      const opReturn = rng.chance(0.01);
      const outAddrs = new Array<number>(nOut);
      let outVbytes = 0;
      for (let o = 0; o < nOut; o++) {
        outAddrs[o] = this.pickAddress();
        outVbytes += OUTPUT_VBYTES[this.addrType(outAddrs[o])];
      }
      if (opReturn) outVbytes += 8 + 1 + 2 + 20;
      const rate = this.feerate();
      const spent: Utxo[] = [];
      let inTotal = 0;
      let inVbytes = 0;
      const fee = () => (11 + inVbytes + outVbytes) * rate;
      while (spent.length < nIn || (inTotal - fee() < DUST * nOut && this.utxos.length > 0 && spent.length < 1000)) {
        const u = this.takeUtxo();
        spent.push(u);
        inTotal += u.value;
        inVbytes += INPUT_VBYTES[this.addrType(u.addr)];
      }
      let txFee = fee();
      if (inTotal - txFee < DUST) {
        // Could not fund it (tiny UTXOs): give the inputs back and move on.
        for (const u of spent) this.utxos.push(u);
        continue;
      }
      const txWeightEst = (inVbytes + outVbytes + 11) * 4;
      if (weight + txWeightEst > WEIGHT_BUDGET) {
        for (const u of spent) this.utxos.push(u);
        break;
      }
      // Values: payment(s) then change; everything above dust.
      let avail = inTotal - txFee;
      while (nOut > 1 && avail < DUST * nOut) {
        nOut--;
        outAddrs.pop();
      }
      const values = new Array<number>(nOut);
      for (let o = 0; o < nOut - 1; o++) {
        const share = nOut === 2 ? 0.05 + rng.float() * 0.9 : (0.3 + rng.float() * 1.4) / nOut;
        let v = Math.floor(avail * share);
        const left = avail - v;
        const minLeft = DUST * (nOut - 1 - o);
        if (v < DUST) v = DUST;
        if (left < minLeft) v = avail - minLeft;
        values[o] = v;
        avail -= v;
      }
      values[nOut - 1] = avail;

      // Serialize.
      const segwit = spent.some((u) => this.addrType(u.addr) !== "p2pkh");
      const start = body.pos;
      body.u32(2);
      if (segwit) {
        body.u8(0);
        body.u8(1);
      }
      body.varint(spent.length);
      const witnessPlan: (Uint8Array[] | null)[] = new Array(spent.length);
      for (let i = 0; i < spent.length; i++) {
        const u = spent[i];
        body.bytes(this.utxos.txid(u.txNo));
        body.u32(u.vout);
        const type = this.addrType(u.addr);
        if (type === "p2pkh") {
          const sig = this.sig(true);
          const pk = this.pubkey();
          body.varint(2 + sig.length + pk.length);
          body.u8(sig.length);
          body.bytes(sig);
          body.u8(pk.length);
          body.bytes(pk);
          witnessPlan[i] = null;
        } else {
          body.u8(0);
          witnessPlan[i] = type === "p2wpkh" ? [this.sig(true), this.pubkey()] : [this.sig(false)];
        }
        body.u32(0xfffffffd);
        if (u.block === blockStart) this.stats.intraBlockSpends++;
      }
      body.varint(nOut + (opReturn ? 1 : 0));
      for (let o = 0; o < nOut; o++) {
        body.u64(values[o]);
        this.writeScript(body, outAddrs[o]);
        this.stats.outputsByType[this.addrType(outAddrs[o])]++;
      }
      if (opReturn) {
        body.u64(0);
        body.u8(22);
        body.u8(0x6a);
        body.u8(20);
        body.bytes(this.randomBytes(20));
        this.stats.outputsByType.op_return++;
      }
      let wStart = 0;
      let wEnd = 0;
      if (segwit) {
        wStart = body.pos - start;
        for (const stack of witnessPlan) {
          if (!stack) {
            body.u8(0);
            continue;
          }
          body.varint(stack.length);
          for (const item of stack) {
            body.varint(item.length);
            body.bytes(item);
          }
        }
        wEnd = body.pos - start;
      }
      body.u32(rng.chance(0.5) ? height - 1 : 0);
      const raw = body.buf.subarray(start, body.pos);
      const id = segwit ? sha256dParts(raw.subarray(0, 4), raw.subarray(6, wStart), raw.subarray(wEnd)) : sha256d(raw);
      const txNo = this.utxos.addTxid(id);
      const txid = this.utxos.txid(txNo);
      txids.push(txid);
      wtxids.push(segwit ? sha256d(raw) : txid);
      const stripped = segwit ? raw.length - 2 - (wEnd - wStart) : raw.length;
      weight += stripped * 3 + raw.length;
      // The estimate decided the fee; fine: real wallets estimate too.
      fees += txFee;
      ins += spent.length;
      outs += nOut + (opReturn ? 1 : 0);
      if (segwit) this.stats.segwitTxs++;
      for (let o = 0; o < nOut; o++) {
        const u: Utxo = { txNo, vout: o, value: values[o], addr: outAddrs[o], block: blockStart };
        this.utxos.push(u);
        this.countAddr(outAddrs[o]);
      }
      txFee = 0;
    }

    // Coinbase: BIP34 height + extranonce; pays subsidy + fees to a pool address (or, while the UTXO set is
    // small, fans out to fresh addresses), then the witness commitment.
    const value = blockSubsidy(height, regtest) + fees;
    const cb = this.cb;
    cb.pos = 0;
    cb.u32(2);
    cb.u8(0);
    cb.u8(1);
    cb.varint(1);
    cb.bytes(new Uint8Array(32));
    cb.u32(0xffffffff);
    const prefix = bip34Prefix(height);
    const extra = this.randomBytes(8);
    cb.varint(prefix.length + extra.length);
    cb.bytes(prefix);
    cb.bytes(extra);
    cb.u32(0xffffffff);
    cb.varint(fanOut + 1);
    const cbAddrs: number[] = [];
    const cbValues: number[] = [];
    for (let o = 0; o < fanOut; o++) {
      const v = o === fanOut - 1 ? value - Math.floor(value / fanOut) * (fanOut - 1) : Math.floor(value / fanOut);
      const a = fanOut > 1 ? this.nextAddr++ : rng.int(0, POOL_ADDRESSES - 1);
      cb.u64(v);
      this.writeScript(cb, a);
      this.stats.outputsByType[this.addrType(a)]++;
      cbAddrs.push(a);
      cbValues.push(v);
    }
    const wroot = merkleRoot(wtxids).root;
    const commitment = sha256dParts(wroot, new Uint8Array(32));
    cb.u64(0);
    cb.u8(38);
    cb.bytes(Uint8Array.of(0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed));
    cb.bytes(commitment);
    const cbWStart = cb.pos;
    cb.u8(1);
    cb.u8(32);
    cb.bytes(new Uint8Array(32));
    const cbWEnd = cb.pos;
    cb.u32(0);
    const cbRaw = cb.buf.subarray(0, cb.pos);
    const cbTxNo = this.utxos.addTxid(sha256dParts(cbRaw.subarray(0, 4), cbRaw.subarray(6, cbWStart), cbRaw.subarray(cbWEnd)));
    const cbTxid = this.utxos.txid(cbTxNo);
    txids[0] = cbTxid;
    for (let o = 0; o < fanOut; o++) {
      this.utxos.push({ txNo: cbTxNo, vout: o, value: cbValues[o], addr: cbAddrs[o], block: blockStart });
      this.countAddr(cbAddrs[o]);
    }
    this.stats.segwitTxs++;

    // Header: grind the nonce (regtest target: about every second hash qualifies).
    const b = this.block;
    b.pos = 0;
    b.u32(0x20000000);
    b.bytes(this.prevHash);
    b.bytes(merkleRoot(txids).root);
    b.u32(GENESIS_TIME + height * 600 + rng.int(-300, 300));
    b.u32(REGTEST_BITS);
    b.u32(0);
    const header = b.buf.subarray(0, 80);
    const hv = new DataView(header.buffer, header.byteOffset, 80);
    for (let nonce = 0; ; nonce++) {
      hv.setUint32(76, nonce, true);
      if (checkProofOfWork(sha256d(header), REGTEST_BITS, regtest).ok) break;
    }
    b.varint(txids.length);
    b.bytes(cbRaw);
    b.bytes(body.buf.subarray(0, body.pos));
    return this.finish(b.buf.slice(0, b.pos), txids.length, ins + 1, outs + fanOut + 1);
  }

  private countAddr(a: number): void {
    if (a < 64) this.addrOutputs.set(a, (this.addrOutputs.get(a) ?? 0) + 1);
  }

  private finish(raw: Uint8Array, txCount: number, inputs: number, outputs: number): GenBlock {
    const hash = Uint8Array.from(sha256d(raw.subarray(0, 80)));
    this.prevHash = hash;
    const s = this.stats;
    s.blocks++;
    s.txs += txCount;
    s.inputs += inputs;
    s.outputs += outputs;
    s.bytes += raw.length;
    s.addresses = this.nextAddr;
    s.utxoSetSize = this.utxos.length;
    return { height: this.height, hash, raw, txCount, inputs, outputs };
  }

  /** The hottest addresses (pool addresses and the top Zipf ranks) with their output counts. */
  hottest(n = 10): GenStats["hottest"] {
    return [...this.addrOutputs.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([index, outputs]) => ({ index, outputs, script: Buffer.from(this.script(index)).toString("hex") }));
  }
}
