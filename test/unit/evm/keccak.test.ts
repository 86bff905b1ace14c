import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { toHex } from "../../../lib/evm/fields";
import { keccak256, keccak256Js, keccakReady } from "../../../lib/evm/keccak";

describe("keccak256", () => {
  it("runs on the WASM backend in Node once ready", async () => {
    expect(await keccakReady).toBe("wasm");
  });

  it("matches the known vectors", () => {
    expect(toHex(keccak256(new Uint8Array(0)))).toBe("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    expect(toHex(keccak256(new TextEncoder().encode("Transfer(address,address,uint256)")))).toBe(
      "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
    );
  });

  // Both backends: the WASM one (keccak256 after keccakReady) and the JS fallback.
  for (const [name, hash] of [["wasm", keccak256], ["js", keccak256Js]] as const) {
    it(`${name}: agrees with noble at every length around the 136-byte block boundary`, async () => {
      await keccakReady;
      for (let n = 0; n <= 600; n++) {
        const d = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 255);
        expect(toHex(hash(d)), `length ${n}`).toBe(toHex(keccak_256(d)));
      }
    });

    it(`${name}: agrees with noble on a large input (past the WASM's 16 KiB chunk) and on a subarray view`, async () => {
      await keccakReady;
      const big = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 2654435761) >>> 24);
      expect(toHex(hash(big))).toBe(toHex(keccak_256(big)));
      const view = big.subarray(17, 5000);
      expect(toHex(hash(view))).toBe(toHex(keccak_256(view)));
      // The result is a copy, not a view of WASM memory the next call overwrites.
      const first = hash(Uint8Array.of(1));
      const copy = toHex(first);
      hash(Uint8Array.of(2));
      expect(toHex(first)).toBe(copy);
    });
  }
});

describe("browser safety of proof verification", () => {
  // trie.ts verifies proofs client-side: its whole import graph must avoid node: modules and Buffer (hash-wasm is
  // WASM embedded in plain JS, made for browsers).
  it("trie.ts imports only pure local modules", () => {
    const dir = join(import.meta.dirname, "../../../lib/evm");
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(join(dir, `${file}.ts`), "utf8").replace(/\/\/.*$/gm, ""); // code, not comments
      expect(src, file).not.toMatch(/\bBuffer\b|from "node:|require\(/);
      for (const [, spec] of src.matchAll(/from "([^"]+)"/g)) {
        if (spec.startsWith("./")) visit(spec.slice(2));
        else expect(spec, `${file} imports ${spec}`).toMatch(/^@noble\/|^hash-wasm$/);
      }
    };
    visit("trie");
    expect([...seen].sort()).toEqual(["fields", "keccak", "rlp", "trie"]);
  });
});
