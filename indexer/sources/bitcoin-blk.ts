// A source over a Bitcoin Core blocks/ directory: every blk*.dat file (any *.dat but rev*.dat and xor.dat, so a
// directory of framed files like data/bitcoin/ works too), read in file-number order, de-obfuscated with xor.dat
// (Core 28+), framed, and ordered by prev-hash from genesis (the branch with the most work wins, first seen on
// ties). Only an index is kept in memory (hash, parent, bits, file, offset); blocks are read from disk on fetch.
// tip() rescans files that grew or changed and picks up new files, so a growing directory is followed, and files
// holding a side branch with more work turn into a reorg for the engine. A truncated last record and records that
// do not link to genesis are reported in the log, never skipped silently.
import { open, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { chainLink, deobfuscate, parseBlkFile, orderByPrevHash, type ChainLink } from "../../lib/bitcoin/blk";
import { parseHeader } from "../../lib/bitcoin/header";
import type { Network } from "../../lib/bitcoin/network";
import { reversedBytes } from "../../lib/bytes";
import type { RawBlock } from "./bitcoin-block";

interface Entry extends ChainLink {
  file: string;
  /** File offset of the block bytes (after the 8-byte record header). */
  offset: number;
  length: number;
}

interface FileState {
  size: number;
  mtimeMs: number;
  /** Offset after the last complete record: rescans continue from here. */
  scannedTo: number;
  entries: Entry[];
  /** Offset of the truncated record already reported. */
  reportedTail?: number;
}

export interface BlkSourceOptions {
  dir: string;
  network: Network;
  /** Hex XOR key; default: blocks/xor.dat when present. */
  xorKey?: string;
  log: (line: string) => void;
  slug: string;
}

export class BlkDirectorySource {
  private files = new Map<string, FileState>();
  private key: Uint8Array | undefined;
  private keyLoaded = false;
  private chain: Entry[] = [];
  private reported = { unlinkable: -1, stale: -1 };

  constructor(private readonly o: BlkSourceOptions) {}

  /** Heights 0..tip of the best chain after a rescan. -1 when genesis is not (yet) in the files. */
  async tip(): Promise<{ height: number; hash: Uint8Array }> {
    await this.rescan();
    const last = this.chain[this.chain.length - 1];
    return last ? { height: this.chain.length - 1, hash: reversedBytes(last.hash) } : { height: -1, hash: new Uint8Array(32) };
  }

  async hashAt(height: number): Promise<Uint8Array> {
    if (!this.chain.length) await this.rescan();
    const e = this.chain[height];
    if (!e) throw new Error(`${this.o.slug}: the blk files hold no block at height ${height} (best chain ends at ${this.chain.length - 1})`);
    return reversedBytes(e.hash);
  }

  async fetchRaw(from: number, to: number): Promise<RawBlock[]> {
    if (!this.chain.length) await this.rescan();
    const out: RawBlock[] = [];
    // One open per file per range.
    const handles = new Map<string, Awaited<ReturnType<typeof open>>>();
    try {
      for (let h = from; h <= to; h++) {
        const e = this.chain[h];
        if (!e) throw new Error(`${this.o.slug}: the blk files hold no block at height ${h} (best chain ends at ${this.chain.length - 1})`);
        let fh = handles.get(e.file);
        if (!fh) handles.set(e.file, (fh = await open(path.join(this.o.dir, e.file), "r")));
        const buf = new Uint8Array(e.length);
        const { bytesRead } = await fh.read(buf, 0, e.length, e.offset);
        if (bytesRead !== e.length) throw new Error(`${this.o.slug}: ${e.file} shrank: read ${bytesRead} of ${e.length} bytes at offset ${e.offset}`);
        const raw = this.key ? deobfuscate(buf, this.key, e.offset) : buf;
        out.push({ height: h, raw, claimedHash: e.hash });
      }
    } finally {
      await Promise.all([...handles.values()].map((f) => f.close()));
    }
    return out;
  }

  /** Re-reads what changed; re-orders only when something did. */
  async rescan(): Promise<void> {
    await this.loadKey();
    const names = (await readdir(this.o.dir)).filter((n) => /\.dat$/i.test(n) && !/^rev/i.test(n) && n.toLowerCase() !== "xor.dat");
    names.sort(compareBlkNames);
    let changed = names.length !== this.files.size;
    for (const name of names) {
      const st = await stat(path.join(this.o.dir, name));
      if (!st.isFile()) continue;
      const prev = this.files.get(name);
      if (prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs) continue;
      changed = true;
      await this.scanFile(name, st.size, st.mtimeMs, prev);
    }
    for (const name of [...this.files.keys()]) if (!names.includes(name)) this.files.delete(name);
    if (changed || !this.chain.length) this.order(names);
  }

  private async loadKey(): Promise<void> {
    if (this.keyLoaded) return;
    const k = this.o.xorKey
      ? Uint8Array.from(Buffer.from(this.o.xorKey, "hex"))
      : await readFile(path.join(this.o.dir, "xor.dat")).then((b) => Uint8Array.from(b), () => undefined);
    this.key = k && k.some((b) => b !== 0) ? k : undefined;
    this.keyLoaded = true;
  }

  private async scanFile(name: string, size: number, mtimeMs: number, prev: FileState | undefined): Promise<void> {
    const from = prev && size >= prev.scannedTo ? prev.scannedTo : 0;
    const state: FileState = from > 0 && prev ? { ...prev, entries: [...prev.entries] } : { size, mtimeMs, scannedTo: 0, entries: [] };
    const fh = await open(path.join(this.o.dir, name), "r");
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(size - from);
      await fh.read(bytes, 0, bytes.length, from);
    } finally {
      await fh.close();
    }
    const parsed = parseBlkFile(bytes, { network: this.o.network, xorKey: this.key, fileOffset: from });
    for (const r of parsed.records) {
      const link = chainLink(parseHeader(r.block));
      state.entries.push({ ...link, file: name, offset: r.offset + 8, length: r.length });
      state.scannedTo = r.offset + 8 + r.length;
    }
    state.size = size;
    state.mtimeMs = mtimeMs;
    const tail = parsed.truncatedTail;
    if (tail && state.reportedTail !== tail.offset) {
      state.reportedTail = tail.offset;
      this.o.log(
        `chain=${this.o.slug} level=warn msg="truncated block record at the end of ${name}" file=${name} offset=${tail.offset} ` +
          `declared=${tail.declared ?? "?"} available=${tail.available} note="ignored until the file grows (Core still writing, or a partial copy)"`,
      );
    }
    this.files.set(name, state);
  }

  private order(names: string[]): void {
    const all: Entry[] = [];
    for (const n of names) all.push(...(this.files.get(n)?.entries ?? []));
    const ordered = orderByPrevHash(all, this.o.network.genesisHash, (e) => e);
    this.chain = ordered.firstHeight === 0 ? ordered.chain : [];
    if (ordered.firstHeight !== 0 && all.length) {
      this.o.log(`chain=${this.o.slug} level=error msg="the blk files do not contain the ${this.o.network.name} genesis block ${this.o.network.genesisHash}; wrong network?" records=${all.length}`);
    }
    const staleCount = ordered.stale.reduce((n, b) => n + b.blocks.length, 0);
    if (ordered.unlinkable.length !== this.reported.unlinkable) {
      this.reported.unlinkable = ordered.unlinkable.length;
      if (ordered.unlinkable.length) {
        const sample = ordered.unlinkable.slice(0, 3).map((e) => `${e.hash}@${e.file}:${e.offset - 8}`).join(",");
        this.o.log(
          `chain=${this.o.slug} level=warn msg="blk records that do not link to genesis (parent not in the files yet, or duplicates)" ` +
            `unlinkable=${ordered.unlinkable.length} sample=${sample} best_height=${this.chain.length - 1}`,
        );
      }
    }
    if (staleCount !== this.reported.stale) {
      this.reported.stale = staleCount;
      if (staleCount) {
        this.o.log(`chain=${this.o.slug} level=info msg="blk files hold side branches with less work" stale_blocks=${staleCount} branches=${ordered.stale.length} best_height=${this.chain.length - 1}`);
      }
    }
  }
}

/** blk00000.dat < blk00001.dat < ... by number; other names after, naturally ordered. */
export function compareBlkNames(a: string, b: string): number {
  const na = /^blk(\d+)\.dat$/i.exec(a);
  const nb = /^blk(\d+)\.dat$/i.exec(b);
  if (na && nb) return Number(na[1]) - Number(nb[1]);
  if (na) return -1;
  if (nb) return 1;
  return a.localeCompare(b, "en", { numeric: true });
}
