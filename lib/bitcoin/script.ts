// scriptPubKey classification (Core's Solver in script/solver.cpp) and Core-format asm for display.

/** Output script types. Names match Core's `type` where Core has one (nulldata → op_return, pubkeyhash → p2pkh, ...). */
export type ScriptType = "nonstandard" | "p2pk" | "p2pkh" | "p2sh" | "multisig" | "op_return" | "p2wpkh" | "p2wsh" | "p2tr" | "witness_unknown" | "anchor";

/** Stable smallint codes for the database. Append only: never renumber. */
export const SCRIPT_TYPE_CODE = {
  nonstandard: 0,
  p2pk: 1,
  p2pkh: 2,
  p2sh: 3,
  multisig: 4,
  op_return: 5,
  p2wpkh: 6,
  p2wsh: 7,
  p2tr: 8,
  witness_unknown: 9,
  /** Pay-to-anchor (OP_1 <0x4e73>), Core 28+. */
  anchor: 10,
} as const satisfies Record<ScriptType, number>;

const TYPE_BY_CODE = Object.fromEntries(Object.entries(SCRIPT_TYPE_CODE).map(([k, v]) => [v, k])) as Record<number, ScriptType>;

export function scriptTypeFromCode(code: number): ScriptType {
  const t = TYPE_BY_CODE[code];
  if (!t) throw new RangeError(`unknown script type code ${code}; known codes are 0..${Object.keys(TYPE_BY_CODE).length - 1}`);
  return t;
}

export type ClassifiedScript =
  | { type: "nonstandard" }
  | { type: "p2pk"; pubkey: Uint8Array }
  | { type: "p2pkh"; hash: Uint8Array }
  | { type: "p2sh"; hash: Uint8Array }
  | { type: "multisig"; required: number; pubkeys: Uint8Array[] }
  /** pushes: each pushed item after OP_RETURN (OP_1..OP_16 as their number byte); data: them concatenated. */
  | { type: "op_return"; pushes: Uint8Array[]; data: Uint8Array }
  | { type: "p2wpkh" | "p2wsh" | "p2tr"; version: number; program: Uint8Array }
  | { type: "witness_unknown"; version: number; program: Uint8Array }
  | { type: "anchor"; version: 1; program: Uint8Array };

export const OP_0 = 0x00;
export const OP_PUSHDATA1 = 0x4c;
export const OP_PUSHDATA2 = 0x4d;
export const OP_PUSHDATA4 = 0x4e;
export const OP_1NEGATE = 0x4f;
export const OP_1 = 0x51;
export const OP_16 = 0x60;
export const OP_RETURN = 0x6a;
export const OP_DUP = 0x76;
export const OP_EQUAL = 0x87;
export const OP_EQUALVERIFY = 0x88;
export const OP_HASH160 = 0xa9;
export const OP_CHECKSIG = 0xac;
export const OP_CHECKMULTISIG = 0xae;
/** Core: scripts longer than this are unspendable. */
export const MAX_SCRIPT_SIZE = 10_000;

export interface ScriptOp {
  opcode: number;
  /** Pushed bytes for push opcodes (0x00..0x4e); a view into the script. */
  data?: Uint8Array;
  /** Offset of the opcode in the script. */
  offset: number;
}

/** Core's GetOp over a script. Stops at the first malformed push; `error` is then its offset. */
export function decodeScript(script: Uint8Array): { ops: ScriptOp[]; error?: number } {
  const ops: ScriptOp[] = [];
  let pos = 0;
  while (pos < script.length) {
    const offset = pos;
    const opcode = script[pos++];
    if (opcode > OP_PUSHDATA4) {
      ops.push({ opcode, offset });
      continue;
    }
    let size: number;
    if (opcode < OP_PUSHDATA1) size = opcode;
    else {
      const width = opcode === OP_PUSHDATA1 ? 1 : opcode === OP_PUSHDATA2 ? 2 : 4;
      if (pos + width > script.length) return { ops, error: offset };
      size = 0;
      for (let i = width - 1; i >= 0; i--) size = size * 256 + script[pos + i];
      pos += width;
    }
    if (pos + size > script.length) return { ops, error: offset };
    ops.push({ opcode, data: script.subarray(pos, pos + size), offset });
    pos += size;
  }
  return { ops };
}

/** Core's CScript::IsUnspendable: OP_RETURN-led or oversized scripts never enter the UTXO set. */
export function isUnspendable(script: Uint8Array): boolean {
  return (script.length > 0 && script[0] === OP_RETURN) || script.length > MAX_SCRIPT_SIZE;
}

/** CPubKey::ValidSize: length agrees with the header byte. */
function validPubkeySize(key: Uint8Array): boolean {
  if (key.length === 33) return key[0] === 0x02 || key[0] === 0x03;
  if (key.length === 65) return key[0] === 0x04 || key[0] === 0x06 || key[0] === 0x07;
  return false;
}

function witnessProgram(s: Uint8Array): { version: number; program: Uint8Array } | undefined {
  if (s.length < 4 || s.length > 42) return undefined;
  if (s[0] !== OP_0 && (s[0] < OP_1 || s[0] > OP_16)) return undefined;
  if (s[1] + 2 !== s.length) return undefined;
  return { version: s[0] === OP_0 ? 0 : s[0] - 0x50, program: s.subarray(2) };
}

/** classifyScript(s).type without building its parts: the indexer classifies every output, and the views and
 *  objects classifyScript returns were a fifth of that work. The common templates are matched here; the rest
 *  (op_return, p2pk, multisig, nonstandard) go through classifyScript, so the two cannot disagree on those. */
export function scriptType(s: Uint8Array): ScriptType {
  const n = s.length;
  if (n === 23 && s[0] === OP_HASH160 && s[1] === 20 && s[22] === OP_EQUAL) return "p2sh";
  if (n >= 4 && n <= 42 && s[1] + 2 === n && (s[0] === OP_0 || (s[0] >= OP_1 && s[0] <= OP_16))) {
    if (s[0] === OP_0) return n === 22 ? "p2wpkh" : n === 34 ? "p2wsh" : "nonstandard";
    if (s[0] === OP_1 && n === 34) return "p2tr";
    if (s[0] === OP_1 && n === 4 && s[2] === 0x4e && s[3] === 0x73) return "anchor";
    return "witness_unknown";
  }
  if (n === 25 && s[0] === OP_DUP && s[1] === OP_HASH160 && s[2] === 20 && s[23] === OP_EQUALVERIFY && s[24] === OP_CHECKSIG) return "p2pkh";
  return classifyScript(s).type;
}

export function classifyScript(s: Uint8Array): ClassifiedScript {
  // P2SH first: Core checks it before witness programs.
  if (s.length === 23 && s[0] === OP_HASH160 && s[1] === 20 && s[22] === OP_EQUAL) return { type: "p2sh", hash: s.subarray(2, 22) };
  const wp = witnessProgram(s);
  if (wp) {
    const { version, program } = wp;
    if (version === 0 && program.length === 20) return { type: "p2wpkh", version, program };
    if (version === 0 && program.length === 32) return { type: "p2wsh", version, program };
    if (version === 1 && program.length === 32) return { type: "p2tr", version, program };
    if (version === 1 && program.length === 2 && program[0] === 0x4e && program[1] === 0x73) return { type: "anchor", version: 1, program };
    if (version !== 0) return { type: "witness_unknown", version, program };
    return { type: "nonstandard" };
  }
  if (s.length >= 1 && s[0] === OP_RETURN) {
    const { ops, error } = decodeScript(s.subarray(1));
    if (error !== undefined || ops.some((o) => o.opcode > OP_16)) return { type: "nonstandard" };
    const pushes = ops.map((o) => o.data ?? smallIntBytes(o.opcode));
    const data = new Uint8Array(pushes.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pushes) {
      data.set(p, at);
      at += p.length;
    }
    return { type: "op_return", pushes, data };
  }
  if ((s.length === 35 && s[0] === 33) || (s.length === 67 && s[0] === 65)) {
    const pubkey = s.subarray(1, s.length - 1);
    if (s[s.length - 1] === OP_CHECKSIG && validPubkeySize(pubkey)) return { type: "p2pk", pubkey };
  }
  if (s.length === 25 && s[0] === OP_DUP && s[1] === OP_HASH160 && s[2] === 20 && s[23] === OP_EQUALVERIFY && s[24] === OP_CHECKSIG) {
    return { type: "p2pkh", hash: s.subarray(3, 23) };
  }
  const multisig = matchMultisig(s);
  if (multisig) return multisig;
  return { type: "nonstandard" };
}

// OP_1NEGATE, OP_RESERVED, OP_1..OP_16 inside OP_RETURN data: the value they push.
function smallIntBytes(op: number): Uint8Array {
  if (op === OP_1NEGATE) return Uint8Array.of(0x81);
  if (op >= OP_1 && op <= OP_16) return Uint8Array.of(op - 0x50);
  return new Uint8Array(0);
}

function matchMultisig(s: Uint8Array): ClassifiedScript | undefined {
  if (s.length < 1 || s[s.length - 1] !== OP_CHECKMULTISIG) return undefined;
  const { ops, error } = decodeScript(s);
  if (error !== undefined || ops.length < 4) return undefined;
  const first = ops[0].opcode;
  const last = ops[ops.length - 2].opcode;
  if (first < OP_1 || first > OP_16 || last < OP_1 || last > OP_16) return undefined;
  const required = first - 0x50;
  const pubkeys: Uint8Array[] = [];
  for (let i = 1; i < ops.length - 2; i++) {
    const d = ops[i].data;
    if (!d || !validPubkeySize(d)) return undefined;
    pubkeys.push(d);
  }
  const keys = last - 0x50;
  if (pubkeys.length !== keys || keys < required) return undefined;
  return { type: "multisig", required, pubkeys };
}

// ---------------------------------------------------------------- asm

const NAMES: Record<number, string> = {
  0x00: "0", 0x4c: "OP_PUSHDATA1", 0x4d: "OP_PUSHDATA2", 0x4e: "OP_PUSHDATA4", 0x4f: "-1", 0x50: "OP_RESERVED",
  0x61: "OP_NOP", 0x62: "OP_VER", 0x63: "OP_IF", 0x64: "OP_NOTIF", 0x65: "OP_VERIF", 0x66: "OP_VERNOTIF", 0x67: "OP_ELSE",
  0x68: "OP_ENDIF", 0x69: "OP_VERIFY", 0x6a: "OP_RETURN", 0x6b: "OP_TOALTSTACK", 0x6c: "OP_FROMALTSTACK", 0x6d: "OP_2DROP",
  0x6e: "OP_2DUP", 0x6f: "OP_3DUP", 0x70: "OP_2OVER", 0x71: "OP_2ROT", 0x72: "OP_2SWAP", 0x73: "OP_IFDUP", 0x74: "OP_DEPTH",
  0x75: "OP_DROP", 0x76: "OP_DUP", 0x77: "OP_NIP", 0x78: "OP_OVER", 0x79: "OP_PICK", 0x7a: "OP_ROLL", 0x7b: "OP_ROT",
  0x7c: "OP_SWAP", 0x7d: "OP_TUCK", 0x7e: "OP_CAT", 0x7f: "OP_SUBSTR", 0x80: "OP_LEFT", 0x81: "OP_RIGHT", 0x82: "OP_SIZE",
  0x83: "OP_INVERT", 0x84: "OP_AND", 0x85: "OP_OR", 0x86: "OP_XOR", 0x87: "OP_EQUAL", 0x88: "OP_EQUALVERIFY",
  0x89: "OP_RESERVED1", 0x8a: "OP_RESERVED2", 0x8b: "OP_1ADD", 0x8c: "OP_1SUB", 0x8d: "OP_2MUL", 0x8e: "OP_2DIV",
  0x8f: "OP_NEGATE", 0x90: "OP_ABS", 0x91: "OP_NOT", 0x92: "OP_0NOTEQUAL", 0x93: "OP_ADD", 0x94: "OP_SUB", 0x95: "OP_MUL",
  0x96: "OP_DIV", 0x97: "OP_MOD", 0x98: "OP_LSHIFT", 0x99: "OP_RSHIFT", 0x9a: "OP_BOOLAND", 0x9b: "OP_BOOLOR",
  0x9c: "OP_NUMEQUAL", 0x9d: "OP_NUMEQUALVERIFY", 0x9e: "OP_NUMNOTEQUAL", 0x9f: "OP_LESSTHAN", 0xa0: "OP_GREATERTHAN",
  0xa1: "OP_LESSTHANOREQUAL", 0xa2: "OP_GREATERTHANOREQUAL", 0xa3: "OP_MIN", 0xa4: "OP_MAX", 0xa5: "OP_WITHIN",
  0xa6: "OP_RIPEMD160", 0xa7: "OP_SHA1", 0xa8: "OP_SHA256", 0xa9: "OP_HASH160", 0xaa: "OP_HASH256",
  0xab: "OP_CODESEPARATOR", 0xac: "OP_CHECKSIG", 0xad: "OP_CHECKSIGVERIFY", 0xae: "OP_CHECKMULTISIG",
  0xaf: "OP_CHECKMULTISIGVERIFY", 0xb0: "OP_NOP1", 0xb1: "OP_CHECKLOCKTIMEVERIFY", 0xb2: "OP_CHECKSEQUENCEVERIFY",
  0xb3: "OP_NOP4", 0xb4: "OP_NOP5", 0xb5: "OP_NOP6", 0xb6: "OP_NOP7", 0xb7: "OP_NOP8", 0xb8: "OP_NOP9", 0xb9: "OP_NOP10",
  0xba: "OP_CHECKSIGADD", 0xff: "OP_INVALIDOPCODE",
};

/** Core's GetOpName. */
export function opcodeName(op: number): string {
  if (op >= OP_1 && op <= OP_16) return String(op - 0x50);
  return NAMES[op] ?? "OP_UNKNOWN";
}

const SIGHASH_NAMES: Record<number, string> = {
  0x01: "ALL", 0x02: "NONE", 0x03: "SINGLE", 0x81: "ALL|ANYONECANPAY", 0x82: "NONE|ANYONECANPAY", 0x83: "SINGLE|ANYONECANPAY",
};

function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += (x < 16 ? "0" : "") + x.toString(16);
  return s;
}

/** CScriptNum of up to 4 bytes, non-minimal allowed (as asm display does). */
function scriptNum(d: Uint8Array): number {
  if (d.length === 0) return 0;
  let n = 0;
  for (let i = d.length - 1; i >= 0; i--) n = n * 256 + (i === d.length - 1 ? d[i] & 0x7f : d[i]);
  return d[d.length - 1] & 0x80 ? -n : n;
}

/** BIP66 strict DER signature plus a sighash byte (Core's IsValidSignatureEncoding). */
function isDerSignature(sig: Uint8Array): boolean {
  if (sig.length < 9 || sig.length > 73) return false;
  if (sig[0] !== 0x30 || sig[1] !== sig.length - 3) return false;
  const lenR = sig[3];
  if (5 + lenR >= sig.length) return false;
  const lenS = sig[5 + lenR];
  if (lenR + lenS + 7 !== sig.length) return false;
  if (sig[2] !== 0x02 || lenR === 0 || sig[4] & 0x80) return false;
  if (lenR > 1 && sig[4] === 0x00 && !(sig[5] & 0x80)) return false;
  if (sig[lenR + 4] !== 0x02 || lenS === 0 || sig[lenR + 6] & 0x80) return false;
  if (lenS > 1 && sig[lenR + 6] === 0x00 && !(sig[lenR + 7] & 0x80)) return false;
  return true;
}

/**
 * Script as Core's ScriptToAsmStr prints it: pushes of up to 4 bytes as decimal numbers, longer ones as hex,
 * opcodes by name, "[error]" at a malformed push. sighashDecode (for scriptSigs, as in decoderawtransaction)
 * prints a DER signature's trailing sighash byte as [ALL] etc.
 */
export function scriptToAsm(script: Uint8Array, opts: { sighashDecode?: boolean } = {}): string {
  const { ops, error } = decodeScript(script);
  const parts: string[] = [];
  const decodeSighash = opts.sighashDecode && !isUnspendable(script);
  for (const op of ops) {
    if (op.data === undefined) {
      parts.push(opcodeName(op.opcode));
    } else if (op.data.length <= 4) {
      parts.push(String(scriptNum(op.data)));
    } else if (decodeSighash && isDerSignature(op.data) && SIGHASH_NAMES[op.data[op.data.length - 1]]) {
      parts.push(`${hex(op.data.subarray(0, -1))}[${SIGHASH_NAMES[op.data[op.data.length - 1]]}]`);
    } else {
      parts.push(hex(op.data));
    }
  }
  if (error !== undefined) parts.push("[error]");
  return parts.join(" ");
}
