// Regenerates artifacts.json (ABI + creation bytecode of every contract here) with solc-js, so the devnet needs
// no compiler at runtime:  npx tsx indexer/devnet/contracts/compile.ts
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.dirname(fileURLToPath(import.meta.url));
const solc = createRequire(import.meta.url)("solc") as { compile(input: string): string; version(): string };

const sources = Object.fromEntries(
  readdirSync(dir).filter((f) => f.endsWith(".sol")).sort().map((f) => [f, { content: readFileSync(path.join(dir, f), "utf8") }]),
);
const input = {
  language: "Solidity",
  sources,
  settings: {
    // Cancun: no PUSH0-era surprises on older chains, and anvil runs it under any newer fork.
    evmVersion: "cancun",
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
  },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
if (errors.length) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}
const artifacts: Record<string, { abi: unknown; bytecode: string }> = {};
for (const [file, contracts] of Object.entries(out.contracts as Record<string, Record<string, { abi: unknown; evm: { bytecode: { object: string } } }>>)) {
  for (const [name, c] of Object.entries(contracts)) {
    artifacts[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
    void file;
  }
}
writeFileSync(path.join(dir, "artifacts.json"), JSON.stringify({ compiler: solc.version(), contracts: artifacts }, null, 1) + "\n");
console.log(`compiled ${Object.keys(artifacts).join(", ")} with solc ${solc.version()}`);
