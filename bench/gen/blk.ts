// Writes blocks as Bitcoin Core blk*.dat files: [magic][u32 LE length][block] records, a new file once the
// next record would pass the size limit (Core: 128 MiB, MAX_BLOCKFILE_SIZE). No preallocation padding, no XOR.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import { regtest } from "../../lib/bitcoin/network";

export const BLOCKFILE_SIZE = 128 * 1024 * 1024;

export class BlkWriter {
  private fd = -1;
  private fileNo = -1;
  private size = 0;
  readonly files: string[] = [];
  bytes = 0;

  constructor(
    private readonly dir: string,
    private readonly magic: Uint8Array = regtest.magic,
    private readonly maxFile = BLOCKFILE_SIZE,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  write(block: Uint8Array): void {
    if (this.fd < 0 || this.size + 8 + block.length > this.maxFile) this.rotate();
    const head = Buffer.alloc(8);
    head.set(this.magic, 0);
    head.writeUInt32LE(block.length, 4);
    writeSync(this.fd, head);
    writeSync(this.fd, block);
    this.size += 8 + block.length;
    this.bytes += 8 + block.length;
  }

  private rotate(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fileNo++;
    const file = path.join(this.dir, `blk${String(this.fileNo).padStart(5, "0")}.dat`);
    this.fd = openSync(file, "w");
    this.files.push(file);
    this.size = 0;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
