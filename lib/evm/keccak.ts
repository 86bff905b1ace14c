// keccak256 (the pre-FIPS padding Ethereum uses). Hashing is most of block verification (every tx, signing hash,
// receipt, trie node, bloom item, recovered key), so the speed of one short hash matters. Measured per hash of
// ≤ 135 bytes (one permutation) on the bench machine: hash-wasm's WASM keccak 1.0 µs, the `keccak` package's
// prebuilt N-API binding 2.1 µs (call overhead), the JS permutation below 3.5 µs, js-sha3 4.0 µs, noble 9.5 µs.
// So keccak256 runs on hash-wasm (MIT, no install script, the WASM ships inside its JS; browser-safe) once it
// has compiled, which is asynchronous and takes a few ms after load; until then, where WebAssembly is missing,
// or if the compiled module fails its known-answer check, the JS permutation runs. Both give the same bytes
// (test/unit/evm/keccak.test.ts checks each against noble).
import { createKeccak } from "hash-wasm";

// The JS fallback. Its round function is generated from the spec; edit the generator's logic, not single lines.

const RATE = 136; // bytes absorbed per permutation for a 256-bit capacity-512 sponge

// Round constants of keccak-f[1600] (FIPS 202 §3.2.5), low and high 32-bit halves.
const RC_LO = Int32Array.from([0x1, 0x8082, 0x808a, 0x80008000, 0x808b, 0x80000001, 0x80008081, 0x8009, 0x8a, 0x88, 0x80008009, 0x8000000a, 0x8000808b, 0x8b, 0x8089, 0x8003, 0x8002, 0x80, 0x800a, 0x8000000a, 0x80008081, 0x8080, 0x80000001, 0x80008008]);
const RC_HI = Int32Array.from([0x0, 0x0, 0x80000000, 0x80000000, 0x0, 0x0, 0x80000000, 0x80000000, 0x0, 0x0, 0x0, 0x0, 0x0, 0x80000000, 0x80000000, 0x80000000, 0x80000000, 0x80000000, 0x0, 0x80000000, 0x80000000, 0x80000000, 0x0, 0x80000000]);

/**
 * keccak-f[1600] on a state of 25 lanes stored as 50 int32 (lane i: low word 2i, high word 2i+1).
 * Generated from the spec with every lane in a local variable — V8 keeps them in registers, which is
 * what makes this several times faster than an array-indexed loop.
 */
function keccakF1600(s: Int32Array): void {
  let l0 = s[0], l1 = s[2], l2 = s[4], l3 = s[6], l4 = s[8], l5 = s[10], l6 = s[12], l7 = s[14], l8 = s[16], l9 = s[18], l10 = s[20], l11 = s[22], l12 = s[24], l13 = s[26], l14 = s[28], l15 = s[30], l16 = s[32], l17 = s[34], l18 = s[36], l19 = s[38], l20 = s[40], l21 = s[42], l22 = s[44], l23 = s[46], l24 = s[48];
  let h0 = s[1], h1 = s[3], h2 = s[5], h3 = s[7], h4 = s[9], h5 = s[11], h6 = s[13], h7 = s[15], h8 = s[17], h9 = s[19], h10 = s[21], h11 = s[23], h12 = s[25], h13 = s[27], h14 = s[29], h15 = s[31], h16 = s[33], h17 = s[35], h18 = s[37], h19 = s[39], h20 = s[41], h21 = s[43], h22 = s[45], h23 = s[47], h24 = s[49];
  for (let round = 0; round < 24; round++) {
    // θ
    const c0l = l0 ^ l5 ^ l10 ^ l15 ^ l20;
    const c0h = h0 ^ h5 ^ h10 ^ h15 ^ h20;
    const c1l = l1 ^ l6 ^ l11 ^ l16 ^ l21;
    const c1h = h1 ^ h6 ^ h11 ^ h16 ^ h21;
    const c2l = l2 ^ l7 ^ l12 ^ l17 ^ l22;
    const c2h = h2 ^ h7 ^ h12 ^ h17 ^ h22;
    const c3l = l3 ^ l8 ^ l13 ^ l18 ^ l23;
    const c3h = h3 ^ h8 ^ h13 ^ h18 ^ h23;
    const c4l = l4 ^ l9 ^ l14 ^ l19 ^ l24;
    const c4h = h4 ^ h9 ^ h14 ^ h19 ^ h24;
    const d0l = c4l ^ ((c1l << 1) | (c1h >>> 31));
    const d0h = c4h ^ ((c1h << 1) | (c1l >>> 31));
    l0 ^= d0l; h0 ^= d0h;
    l5 ^= d0l; h5 ^= d0h;
    l10 ^= d0l; h10 ^= d0h;
    l15 ^= d0l; h15 ^= d0h;
    l20 ^= d0l; h20 ^= d0h;
    const d1l = c0l ^ ((c2l << 1) | (c2h >>> 31));
    const d1h = c0h ^ ((c2h << 1) | (c2l >>> 31));
    l1 ^= d1l; h1 ^= d1h;
    l6 ^= d1l; h6 ^= d1h;
    l11 ^= d1l; h11 ^= d1h;
    l16 ^= d1l; h16 ^= d1h;
    l21 ^= d1l; h21 ^= d1h;
    const d2l = c1l ^ ((c3l << 1) | (c3h >>> 31));
    const d2h = c1h ^ ((c3h << 1) | (c3l >>> 31));
    l2 ^= d2l; h2 ^= d2h;
    l7 ^= d2l; h7 ^= d2h;
    l12 ^= d2l; h12 ^= d2h;
    l17 ^= d2l; h17 ^= d2h;
    l22 ^= d2l; h22 ^= d2h;
    const d3l = c2l ^ ((c4l << 1) | (c4h >>> 31));
    const d3h = c2h ^ ((c4h << 1) | (c4l >>> 31));
    l3 ^= d3l; h3 ^= d3h;
    l8 ^= d3l; h8 ^= d3h;
    l13 ^= d3l; h13 ^= d3h;
    l18 ^= d3l; h18 ^= d3h;
    l23 ^= d3l; h23 ^= d3h;
    const d4l = c3l ^ ((c0l << 1) | (c0h >>> 31));
    const d4h = c3h ^ ((c0h << 1) | (c0l >>> 31));
    l4 ^= d4l; h4 ^= d4h;
    l9 ^= d4l; h9 ^= d4h;
    l14 ^= d4l; h14 ^= d4h;
    l19 ^= d4l; h19 ^= d4h;
    l24 ^= d4l; h24 ^= d4h;
    // ρ and π
    const b0l = l0, b0h = h0;
    const b16l = (h5 << 4) | (l5 >>> 28), b16h = (l5 << 4) | (h5 >>> 28);
    const b7l = (l10 << 3) | (h10 >>> 29), b7h = (h10 << 3) | (l10 >>> 29);
    const b23l = (h15 << 9) | (l15 >>> 23), b23h = (l15 << 9) | (h15 >>> 23);
    const b14l = (l20 << 18) | (h20 >>> 14), b14h = (h20 << 18) | (l20 >>> 14);
    const b10l = (l1 << 1) | (h1 >>> 31), b10h = (h1 << 1) | (l1 >>> 31);
    const b1l = (h6 << 12) | (l6 >>> 20), b1h = (l6 << 12) | (h6 >>> 20);
    const b17l = (l11 << 10) | (h11 >>> 22), b17h = (h11 << 10) | (l11 >>> 22);
    const b8l = (h16 << 13) | (l16 >>> 19), b8h = (l16 << 13) | (h16 >>> 19);
    const b24l = (l21 << 2) | (h21 >>> 30), b24h = (h21 << 2) | (l21 >>> 30);
    const b20l = (h2 << 30) | (l2 >>> 2), b20h = (l2 << 30) | (h2 >>> 2);
    const b11l = (l7 << 6) | (h7 >>> 26), b11h = (h7 << 6) | (l7 >>> 26);
    const b2l = (h12 << 11) | (l12 >>> 21), b2h = (l12 << 11) | (h12 >>> 21);
    const b18l = (l17 << 15) | (h17 >>> 17), b18h = (h17 << 15) | (l17 >>> 17);
    const b9l = (h22 << 29) | (l22 >>> 3), b9h = (l22 << 29) | (h22 >>> 3);
    const b5l = (l3 << 28) | (h3 >>> 4), b5h = (h3 << 28) | (l3 >>> 4);
    const b21l = (h8 << 23) | (l8 >>> 9), b21h = (l8 << 23) | (h8 >>> 9);
    const b12l = (l13 << 25) | (h13 >>> 7), b12h = (h13 << 25) | (l13 >>> 7);
    const b3l = (l18 << 21) | (h18 >>> 11), b3h = (h18 << 21) | (l18 >>> 11);
    const b19l = (h23 << 24) | (l23 >>> 8), b19h = (l23 << 24) | (h23 >>> 8);
    const b15l = (l4 << 27) | (h4 >>> 5), b15h = (h4 << 27) | (l4 >>> 5);
    const b6l = (l9 << 20) | (h9 >>> 12), b6h = (h9 << 20) | (l9 >>> 12);
    const b22l = (h14 << 7) | (l14 >>> 25), b22h = (l14 << 7) | (h14 >>> 25);
    const b13l = (l19 << 8) | (h19 >>> 24), b13h = (h19 << 8) | (l19 >>> 24);
    const b4l = (l24 << 14) | (h24 >>> 18), b4h = (h24 << 14) | (l24 >>> 18);
    // χ
    l0 = b0l ^ (~b1l & b2l); h0 = b0h ^ (~b1h & b2h);
    l1 = b1l ^ (~b2l & b3l); h1 = b1h ^ (~b2h & b3h);
    l2 = b2l ^ (~b3l & b4l); h2 = b2h ^ (~b3h & b4h);
    l3 = b3l ^ (~b4l & b0l); h3 = b3h ^ (~b4h & b0h);
    l4 = b4l ^ (~b0l & b1l); h4 = b4h ^ (~b0h & b1h);
    l5 = b5l ^ (~b6l & b7l); h5 = b5h ^ (~b6h & b7h);
    l6 = b6l ^ (~b7l & b8l); h6 = b6h ^ (~b7h & b8h);
    l7 = b7l ^ (~b8l & b9l); h7 = b7h ^ (~b8h & b9h);
    l8 = b8l ^ (~b9l & b5l); h8 = b8h ^ (~b9h & b5h);
    l9 = b9l ^ (~b5l & b6l); h9 = b9h ^ (~b5h & b6h);
    l10 = b10l ^ (~b11l & b12l); h10 = b10h ^ (~b11h & b12h);
    l11 = b11l ^ (~b12l & b13l); h11 = b11h ^ (~b12h & b13h);
    l12 = b12l ^ (~b13l & b14l); h12 = b12h ^ (~b13h & b14h);
    l13 = b13l ^ (~b14l & b10l); h13 = b13h ^ (~b14h & b10h);
    l14 = b14l ^ (~b10l & b11l); h14 = b14h ^ (~b10h & b11h);
    l15 = b15l ^ (~b16l & b17l); h15 = b15h ^ (~b16h & b17h);
    l16 = b16l ^ (~b17l & b18l); h16 = b16h ^ (~b17h & b18h);
    l17 = b17l ^ (~b18l & b19l); h17 = b17h ^ (~b18h & b19h);
    l18 = b18l ^ (~b19l & b15l); h18 = b18h ^ (~b19h & b15h);
    l19 = b19l ^ (~b15l & b16l); h19 = b19h ^ (~b15h & b16h);
    l20 = b20l ^ (~b21l & b22l); h20 = b20h ^ (~b21h & b22h);
    l21 = b21l ^ (~b22l & b23l); h21 = b21h ^ (~b22h & b23h);
    l22 = b22l ^ (~b23l & b24l); h22 = b22h ^ (~b23h & b24h);
    l23 = b23l ^ (~b24l & b20l); h23 = b23h ^ (~b24h & b20h);
    l24 = b24l ^ (~b20l & b21l); h24 = b24h ^ (~b20h & b21h);
    // ι
    l0 ^= RC_LO[round]; h0 ^= RC_HI[round];
  }
  s[0] = l0; s[1] = h0;
  s[2] = l1; s[3] = h1;
  s[4] = l2; s[5] = h2;
  s[6] = l3; s[7] = h3;
  s[8] = l4; s[9] = h4;
  s[10] = l5; s[11] = h5;
  s[12] = l6; s[13] = h6;
  s[14] = l7; s[15] = h7;
  s[16] = l8; s[17] = h8;
  s[18] = l9; s[19] = h9;
  s[20] = l10; s[21] = h10;
  s[22] = l11; s[23] = h11;
  s[24] = l12; s[25] = h12;
  s[26] = l13; s[27] = h13;
  s[28] = l14; s[29] = h14;
  s[30] = l15; s[31] = h15;
  s[32] = l16; s[33] = h16;
  s[34] = l17; s[35] = h17;
  s[36] = l18; s[37] = h18;
  s[38] = l19; s[39] = h19;
  s[40] = l20; s[41] = h20;
  s[42] = l21; s[43] = h21;
  s[44] = l22; s[45] = h22;
  s[46] = l23; s[47] = h23;
  s[48] = l24; s[49] = h24;
}

const state = new Int32Array(50);

/** keccak256 in JS alone (the fallback; tests compare it with the WASM one). Not re-entrant across threads, but
 *  JS runs one call at a time. */
export function keccak256Js(data: Uint8Array): Uint8Array {
  const s = state;
  s.fill(0);
  const len = data.length;
  let pos = 0;
  // Whole blocks straight from the input.
  for (; pos + RATE <= len; pos += RATE) {
    for (let w = 0, p = pos; w < 34; w++, p += 4) s[w] ^= data[p] | (data[p + 1] << 8) | (data[p + 2] << 16) | (data[p + 3] << 24);
    keccakF1600(s);
  }
  // Last partial block with keccak padding: 0x01 after the data, 0x80 on the block's last byte.
  const tail = new Uint8Array(RATE);
  tail.set(data.subarray(pos));
  tail[len - pos] ^= 0x01;
  tail[RATE - 1] ^= 0x80;
  for (let w = 0, p = 0; w < 34; w++, p += 4) s[w] ^= tail[p] | (tail[p + 1] << 8) | (tail[p + 2] << 16) | (tail[p + 3] << 24);
  keccakF1600(s);
  const out = new Uint8Array(32);
  for (let w = 0; w < 8; w++) {
    const v = s[w];
    out[4 * w] = v;
    out[4 * w + 1] = v >>> 8;
    out[4 * w + 2] = v >>> 16;
    out[4 * w + 3] = v >>> 24;
  }
  return out;
}

let wasm: ((data: Uint8Array) => Uint8Array) | undefined;

/** keccak256(data) as 32 bytes: WASM once ready, else the JS permutation. */
export function keccak256(data: Uint8Array): Uint8Array {
  return wasm ? wasm(data) : keccak256Js(data);
}

/** Settles with the backend keccak256 uses from now on. Awaiting it is optional (results never differ); the
 *  indexer does, so its first blocks do not run on the slower JS. */
export const keccakReady: Promise<"wasm" | "js"> = (async () => {
  if (typeof WebAssembly !== "object") return "js";
  try {
    const h = await createKeccak(256);
    const f = (data: Uint8Array) => h.init().update(data).digest("binary");
    // A known answer per padding case (empty, short, exactly one block) before trusting it with verification.
    for (const n of [0, 55, 135, 136, 300]) {
      const d = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 255);
      const a = f(d);
      const b = keccak256Js(d);
      if (a.length !== 32 || a.some((x, i) => x !== b[i])) return "js";
    }
    wasm = f;
    return "wasm";
  } catch {
    return "js";
  }
})();
