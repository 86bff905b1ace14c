// Benchmark runner: `npm run bench [-- --only <name>[,<name>]] [--txs <n>] [--seed <n>] ...`
//   gen                  generate the synthetic chain (bench/gen) and report its speed
//   ingest-btc           full Bitcoin index vs parse+verify-only and COPY-only limits
//   ingest-verify-share  CPU profile of the index: hashing/verification share; sha256 node:crypto vs @noble/hashes
//   ingest-evm           EVM index vs fetch-only against anvil (--blocks, default 300)
//   api                  GraphQL latency/throughput of the site's server (--seconds, --connections, --history, --evm-blocks, --match)
//   summary              the README's table: every target against the newest saved result for it (bench/summary.ts)
// Default: all of them, with --txs 2000000 (the chain is generated once and reused from $CHAINPROOF_BENCH_DIR,
// default /tmp/cpbench). Results are printed and saved as JSON under <bench dir>/results/.
// Benchmarks print figures; they never assert on time.
import { DEFAULT_BATCH_BLOCKS, DEFAULT_BATCH_TXS } from "../indexer/config";
import { apiBench, apiResultName, printApi } from "./api-graphql";
import { generateChain } from "./gen/index";
import { summaryMarkdown } from "./summary";
import { arg, fmt, printTable, saveResult } from "./gen/util";
import { chainDir, ingestBtc, printIngestBtc } from "./ingest-btc";
import { ingestEvm, printEvm } from "./ingest-evm";
import { printVerifyShare, verifyShare } from "./ingest-verify-share";

const ALL = ["gen", "ingest-btc", "ingest-verify-share", "ingest-evm", "api", "summary"] as const;
type Name = (typeof ALL)[number];

const only = arg("only", "");
const selected: Name[] = only ? (only.split(",") as Name[]) : [...ALL];
for (const n of selected) if (!ALL.includes(n)) throw new Error(`unknown bench "${n}"; known: ${ALL.join(", ")}`);
const txs = Number(arg("txs", "2000000"));
const seed = Number(arg("seed", "1"));
const batchBlocks = Number(arg("batch-blocks", String(DEFAULT_BATCH_BLOCKS)));
const batchTxs = Number(arg("batch-txs", String(DEFAULT_BATCH_TXS)));
const concurrency = Number(arg("concurrency", "2"));
const log = (s: string) => console.error(s);

for (const name of selected) {
  console.error(`\n=== ${name} ===`);
  if (name === "gen") {
    const m = await generateChain(chainDir(txs, seed), txs, seed, log);
    console.log(`\ngen: ${fmt(m.stats.txs)} txs, ${m.tipHeight + 1} blocks, ${fmt(m.blockBytes / 1e6, 1)} MB in ${m.files.length} blk files`);
    printTable([
      ["speed", `${fmt(m.genTxPerSec)} tx/s wall, ${fmt(m.genTxPerCpuSec ?? NaN)} tx per CPU-second, ${fmt(m.genMBPerSec, 1)} MB/s (${fmt(m.genSeconds, 1)} s; figures of the run that generated it)`],
      ["inputs / outputs", `${fmt(m.stats.inputs)} / ${fmt(m.stats.outputs)}`],
      ["segwit txs", `${fmt((100 * m.stats.segwitTxs) / m.stats.txs, 1)}%`],
      ["outputs by type", JSON.stringify(m.stats.outputsByType)],
      ["fan-in / fan-out txs", `${m.stats.fanIn} / ${m.stats.fanOut}`],
      ["addresses / UTXO set", `${fmt(m.stats.addresses)} / ${fmt(m.stats.utxoSetSize)}`],
      ["hottest address outputs", m.stats.hottest.slice(0, 5).map((h) => fmt(h.outputs)).join(", ")],
    ]);
    saveResult(`gen-${txs}`, m);
  } else if (name === "ingest-btc") {
    const r = await ingestBtc({ txs, seed, batchBlocks, batchTxs, concurrency, log });
    printIngestBtc(r);
    saveResult(`ingest-btc-${txs}`, r);
  } else if (name === "ingest-verify-share") {
    const shareTxs = Number(arg("share-txs", String(Math.min(txs, 200_000))));
    const r = await verifyShare({ txs: shareTxs, seed, batchBlocks, log });
    printVerifyShare(r);
    saveResult(`ingest-verify-share-${shareTxs}`, r);
  } else if (name === "ingest-evm") {
    const r = await ingestEvm({ blocks: Number(arg("blocks", "300")), batchBlocks: Number(arg("evm-batch-blocks", "50")), concurrency, log });
    printEvm(r);
    saveResult(`ingest-evm-${r.settings.blocks}`, r);
  } else if (name === "api") {
    const apiTxs = Number(arg("api-txs", String(Math.min(txs, 200_000))));
    const r = await apiBench({ txs: apiTxs, seed, seconds: Number(arg("seconds", "10")), connections: Number(arg("connections", "16")), history: Number(arg("history", "1200000")), evmBlocks: Number(arg("evm-blocks", "2000")), match: arg("match", "") || undefined, log });
    printApi(r);
    saveResult(apiResultName(r), r);
  } else if (name === "summary") {
    console.log(`\nsummary (newest saved results, markdown for the README):\n\n${summaryMarkdown()}`);
  }
}
process.exit(0);
