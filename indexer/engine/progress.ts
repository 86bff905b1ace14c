// Sync figures: blocks/s and tx/s over a sliding window, ETA, and their display. On a terminal one line is
// redrawn in place; otherwise (journald, files, CI) a logfmt line every few seconds, since \r-animated output
// is noise there. The same figures go into the chain row (via `figures()`) for the site.
import type { Figures } from "./checkpoint";
import { logfmt, type EngineLog } from "./log";

/** Where the live line is drawn; process.stderr by default. */
export interface ProgressOut {
  isTTY?: boolean;
  write(s: string): unknown;
}

export interface ProgressOptions {
  slug: string;
  log: EngineLog;
  out?: ProgressOut;
  /** Non-TTY log interval. */
  logEveryMs?: number;
  now?: () => number;
}

const WINDOW_MS = 10_000;
const DRAW_EVERY_MS = 250;

interface Sample {
  at: number;
  blocks: number;
  txs: number;
}

export class Progress {
  private samples: Sample[] = [];
  private blocks = 0;
  private txs = 0;
  private height: number | null = null;
  private node: number | null = null;
  private lastShown = 0;
  private drawn = false;
  private readonly out: ProgressOut;
  private readonly now: () => number;

  constructor(private readonly o: ProgressOptions) {
    this.out = o.out ?? process.stderr;
    this.now = o.now ?? Date.now;
    this.samples.push({ at: this.now(), blocks: 0, txs: 0 });
  }

  committed(height: number, blocks: number, txs: number): void {
    this.height = height;
    this.blocks += blocks;
    this.txs += txs;
    const at = this.now();
    this.samples.push({ at, blocks: this.blocks, txs: this.txs });
    // Keep one sample older than the window so the rate always spans it.
    while (this.samples.length > 2 && this.samples[1].at < at - WINDOW_MS) this.samples.shift();
    this.show();
  }

  /** Where the index stands without anything committed (start, rollback). */
  at(height: number | null): void {
    this.height = height;
  }

  nodeHeight(h: number): void {
    this.node = h;
  }

  figures(): Figures {
    const at = this.now();
    const first = this.samples[0];
    const secs = Math.max((at - first.at) / 1000, 0.001);
    return {
      nodeHeight: this.node,
      blocksPerSec: round1((this.blocks - first.blocks) / secs),
      txPerSec: round1((this.txs - first.txs) / secs),
    };
  }

  /** Draws (TTY) or logs (otherwise), rate-limited; `force` for state changes such as "caught up". */
  show(force = false): void {
    const at = this.now();
    const every = this.out.isTTY ? DRAW_EVERY_MS : (this.o.logEveryMs ?? 5_000);
    if (!force && at - this.lastShown < every) return;
    this.lastShown = at;
    const f = this.figures();
    const behind = this.node !== null && this.height !== null ? Math.max(this.node - this.height, 0) : null;
    const pct = this.node ? ((this.height ?? 0) / this.node) * 100 : null;
    const eta = behind !== null && f.blocksPerSec > 0 ? behind / f.blocksPerSec : null;
    if (this.out.isTTY) {
      const line = `${this.o.slug}  ${this.height ?? "-"}/${this.node ?? "?"}  ${pct === null ? "" : pct.toFixed(2) + "%"}  ` +
        `${f.blocksPerSec} blk/s  ${f.txPerSec} tx/s  ETA ${eta === null ? "-" : formatDuration(eta)}`;
      this.out.write(`\r\x1b[2K${line}`);
      this.drawn = true;
    } else {
      this.o.log(logfmt({ chain: this.o.slug, level: "info", msg: "progress", height: this.height ?? undefined, node_height: this.node ?? undefined, pct: pct === null ? undefined : Number(pct.toFixed(2)), blocks_per_sec: f.blocksPerSec, tx_per_sec: f.txPerSec, eta_s: eta === null ? undefined : Math.round(eta) }));
    }
  }

  /** Ends the live line so later output starts on a fresh one. */
  close(): void {
    if (this.drawn) this.out.write("\n");
    this.drawn = false;
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

export function formatDuration(secs: number): string {
  const s = Math.round(secs);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
