import { describe, expect, it } from "vitest";
import { parseBlock } from "../../../lib/bitcoin/codec";
import { classifyScript, decodeScript, isUnspendable, SCRIPT_TYPE_CODE, scriptToAsm, scriptType, scriptTypeFromCode, type ScriptType } from "../../../lib/bitcoin/script";
import { bytesToHex, hexToBytes } from "../../../lib/bytes";
import { allFixtureBlocks, fixtureBlock, HASH_702861, HASH_831332 } from "./fixtures";

const GENESIS_OUT =
  "4104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac";

describe("classifyScript", () => {
  const cases: Array<[string, ScriptType]> = [
    [GENESIS_OUT, "p2pk"],
    ["2102b4632d08485ff1df2db55b9dafd23347d1c47a457072a1e87be26896549a8737ac", "p2pk"],
    ["76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac", "p2pkh"],
    ["a914e9c3dd0c07aac76179ebc76a6c78d4d67c6c160a87", "p2sh"],
    ["0014751e76e8199196d454941c45d1b3a323f1433bd6", "p2wpkh"],
    ["00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262", "p2wsh"],
    ["512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "p2tr"],
    ["51024e73", "anchor"],
    ["5210751e76e8199196d454941c45d1b3a323", "witness_unknown"],
    ["0010751e76e8199196d454941c45d1b3a323", "nonstandard"], // v0 with a 16-byte program
    ["6a0b68656c6c6f20776f726c64", "op_return"],
    ["6a", "op_return"],
    ["6aac", "nonstandard"], // OP_RETURN followed by a non-push
    [
      "5121022afc20bf379bc96a2f4e9e63ffceb8652b2b6a097f63fbee6ecec2a49a48010e2103a767c7221e9f15f870f1ad9311f5ab937d79fcaeee15bb2c722bca515581b4c052ae",
      "multisig",
    ],
    ["52210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179851ae", "nonstandard"], // 2-of-1
    ["", "nonstandard"],
    ["4c", "nonstandard"],
  ];
  for (const [hex, type] of cases) {
    it(`${hex.slice(0, 24) || "(empty)"}… is ${type}`, () => {
      expect(classifyScript(hexToBytes(hex)).type).toBe(type);
      expect(scriptType(hexToBytes(hex))).toBe(type);
    });
  }

  it("scriptType agrees with classifyScript on every output of every fixture block, and on near-templates", () => {
    let n = 0;
    for (const b of allFixtureBlocks()) {
      for (const tx of parseBlock(b.bytes).txs) {
        for (const o of tx.outputs) {
          expect(scriptType(o.scriptPubKey)).toBe(classifyScript(o.scriptPubKey).type);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(10_000);
    // Every template with one byte changed or the length off by one either way.
    for (const [hex] of cases) {
      const s = hexToBytes(hex);
      for (let i = 0; i < s.length; i++) {
        for (const v of [0x00, 0x01, 0x14, 0x20, 0x4e, 0x51, 0x60, 0x61, 0x87, 0x88, 0xa9, 0xac, 0xff]) {
          const t = s.slice();
          t[i] = v;
          expect(scriptType(t), `${hex} byte ${i} = ${v}`).toBe(classifyScript(t).type);
        }
      }
      for (const t of [s.slice(0, -1), Uint8Array.of(...s, 0x00)]) expect(scriptType(t)).toBe(classifyScript(t).type);
    }
  });

  it("op_return data, multisig keys, witness programs", () => {
    const op = classifyScript(hexToBytes("6a0b68656c6c6f20776f726c645102abcd"));
    expect(op.type === "op_return" && new TextDecoder().decode(op.pushes[0])).toBe("hello world");
    expect(op.type === "op_return" && bytesToHex(op.data)).toBe("68656c6c6f20776f726c6401abcd");
    const ms = classifyScript(hexToBytes(cases[13][0]));
    expect(ms.type === "multisig" && [ms.required, ms.pubkeys.length]).toEqual([1, 2]);
    const tr = classifyScript(hexToBytes(cases[6][0]));
    expect(tr.type === "p2tr" && [tr.version, bytesToHex(tr.program).slice(0, 8)]).toEqual([1, "79be667e"]);
  });

  it("stable numeric codes round-trip", () => {
    for (const [type, code] of Object.entries(SCRIPT_TYPE_CODE)) expect(scriptTypeFromCode(code)).toBe(type);
    expect(SCRIPT_TYPE_CODE.p2pkh).toBe(2);
    expect(() => scriptTypeFromCode(99)).toThrow(RangeError);
  });

  it("real blocks: every output classifies; 831332 has taproot, 702861 segwit, early blocks p2pk", () => {
    const counts = (hash: string) => {
      const c: Record<string, number> = {};
      for (const tx of parseBlock(fixtureBlock(hash).bytes).txs) for (const o of tx.outputs) c[classifyScript(o.scriptPubKey).type] = (c[classifyScript(o.scriptPubKey).type] ?? 0) + 1;
      return c;
    };
    const c831332 = counts(HASH_831332);
    expect(c831332.p2tr).toBeGreaterThan(100);
    expect(c831332.op_return).toBeGreaterThan(0);
    expect(counts(HASH_702861).p2wpkh).toBeGreaterThan(1000);
    const early = parseBlock(allFixtureBlocks().find((b) => b.record.file === "btcd/blocks1-256")!.bytes);
    expect(classifyScript(early.txs[0].outputs[0].scriptPubKey).type).toBe("p2pk");
  });
});

describe("scriptToAsm (Core's format)", () => {
  it("standard scripts", () => {
    expect(scriptToAsm(hexToBytes("76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac"))).toBe(
      "OP_DUP OP_HASH160 62e907b15cbf27d5425399ebf6f0fb50ebb88f18 OP_EQUALVERIFY OP_CHECKSIG",
    );
    expect(scriptToAsm(hexToBytes(GENESIS_OUT))).toBe(GENESIS_OUT.slice(2, -2) + " OP_CHECKSIG");
    expect(scriptToAsm(hexToBytes("0014751e76e8199196d454941c45d1b3a323f1433bd6"))).toBe("0 751e76e8199196d454941c45d1b3a323f1433bd6");
    expect(scriptToAsm(hexToBytes("51024e73"))).toBe("1 29518");
    expect(scriptToAsm(hexToBytes("6a0b68656c6c6f20776f726c64"))).toBe("OP_RETURN 68656c6c6f20776f726c64");
  });

  it("small pushes as numbers, named opcodes, errors", () => {
    // genesis coinbase scriptSig: 04ffff001d 0104 45…
    expect(scriptToAsm(hexToBytes("04ffff001d010445"))).toBe("486604799 4 [error]");
    expect(scriptToAsm(hexToBytes("4f00b1b2ba"))).toBe("-1 0 OP_CHECKLOCKTIMEVERIFY OP_CHECKSEQUENCEVERIFY OP_CHECKSIGADD");
    expect(scriptToAsm(hexToBytes("0181"))).toBe("-1");
    expect(scriptToAsm(hexToBytes("bbff"))).toBe("OP_UNKNOWN OP_INVALIDOPCODE");
    expect(scriptToAsm(hexToBytes("4c02abcd"))).toBe("-19883");
  });

  it("sighash decoding for scriptSigs", () => {
    const sig =
      "3044022077b3f5e3f8a7c64c7c1f2b0c14f62cc6f8d05a09a0da0c8d24b61d2c3b3d21f002203c5f1a0c3b4e5d4f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b01";
    const script = hexToBytes("47" + sig);
    expect(scriptToAsm(script)).toBe(sig);
    expect(scriptToAsm(script, { sighashDecode: true })).toBe(sig.slice(0, -2) + "[ALL]");
  });

  it("decodeScript and isUnspendable", () => {
    expect(decodeScript(hexToBytes("4d0100ff")).ops[0].data).toEqual(Uint8Array.of(0xff));
    expect(decodeScript(hexToBytes("4d01")).error).toBe(0);
    expect(isUnspendable(hexToBytes("6a"))).toBe(true);
    expect(isUnspendable(new Uint8Array(10_001))).toBe(true);
    expect(isUnspendable(hexToBytes("51"))).toBe(false);
  });
});
