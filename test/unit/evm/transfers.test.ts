import { describe, expect, it } from "vitest";
import { decodeEventLog, encodeAbiParameters, encodeEventTopics, parseAbi, type Hex } from "viem";
import { decodeKnownEvent, decodeTransfers, ERC1155_ABI, TRANSFER_BATCH_TOPIC, TRANSFER_SINGLE_TOPIC, TRANSFER_TOPIC, transfersFromReceipts } from "../../../lib/evm/transfers";
import type { RpcLog } from "../../../lib/evm/types";
import { loadFixture, loadFixtures } from "./fixtures";

const pad = (addr: string) => `0x${addr.slice(2).padStart(64, "0")}` as Hex;

describe("decodeTransfers on real receipts", () => {
  it("finds the ERC-20, ERC-721 and ERC-1155 transfers of block 17034870", () => {
    const rows = transfersFromReceipts(loadFixture(17034870).receipts!);
    const count = (s: number) => rows.filter((r) => r.standard === s).length;
    expect(count(20)).toBe(176);
    expect(count(721)).toBe(55);
    expect(count(1155)).toBe(8);
    for (const r of rows.filter((x) => x.standard === 721)) {
      expect(r.amount).toBe(1n);
      expect(typeof r.tokenId).toBe("bigint");
    }
  });

  it("decodes fields exactly as the log says", () => {
    const logs = loadFixture(7000000).receipts!.flatMap((r) => r.logs);
    const log = logs.find((l) => l.topics[0] === TRANSFER_TOPIC && l.topics.length === 3)!;
    const [row] = decodeTransfers([log]);
    expect(row).toEqual({
      logIndex: Number(log.logIndex),
      batchIndex: 0,
      standard: 20,
      token: log.address.toLowerCase(),
      from: `0x${log.topics[1].slice(26)}`,
      to: `0x${log.topics[2].slice(26)}`,
      amount: BigInt(log.data),
    });
    expect(decodeTransfers(logs).filter((r) => r.standard === 20)).toHaveLength(82);
  });

  it("skips malformed logs without throwing", () => {
    const good = loadFixture(7000000).receipts!.flatMap((r) => r.logs).find((l) => l.topics[0] === TRANSFER_TOPIC)!;
    const bad: RpcLog[] = [
      { ...good, topics: good.topics.slice(0, 2) }, // too few topics
      { ...good, data: `${good.data}00` as Hex }, // 33 bytes of data
      { ...good, data: "0x" }, // 3 topics, no amount
      { ...good, topics: [...good.topics, good.topics[1]], data: good.data }, // 721 shape with data
      { ...good, topics: [] },
      { ...good, data: "0xzz" as Hex },
    ];
    expect(decodeTransfers(bad)).toEqual([]);
    expect(decodeTransfers([...bad, good])).toHaveLength(1);
  });

  it("gives one row per id of an ERC-1155 TransferBatch", () => {
    const [op, from, to] = ["0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222", "0x3333333333333333333333333333333333333333"] as const;
    const topics = encodeEventTopics({ abi: ERC1155_ABI, eventName: "TransferBatch", args: { operator: op, from, to } }) as Hex[];
    const data = encodeAbiParameters([{ type: "uint256[]" }, { type: "uint256[]" }], [[1n, 2n, 3n], [10n, 20n, 30n]]);
    const log: RpcLog = { address: "0x4444444444444444444444444444444444444444", topics, data, logIndex: "0x7" };
    const rows = decodeTransfers([log]);
    expect(rows).toEqual([1n, 2n, 3n].map((id, i) => ({ logIndex: 7, batchIndex: i, standard: 1155, token: log.address, from, to, tokenId: id, amount: BigInt(10 * (i + 1)) })));
    const unequal = encodeAbiParameters([{ type: "uint256[]" }, { type: "uint256[]" }], [[1n, 2n], [10n]]);
    expect(decodeTransfers([{ ...log, data: unequal }])).toEqual([]);
    expect(decodeKnownEvent(log)).toMatchObject({ name: "TransferBatch", standard: "erc1155", args: { operator: op, from, to, ids: "[1, 2, 3]", values: "[10, 20, 30]" } });
  });
});

describe("decodeKnownEvent", () => {
  it("names ERC-20 and ERC-721 Transfers with string args", () => {
    const logs = loadFixture(17034870).receipts!.flatMap((r) => r.logs);
    const erc20 = logs.find((l) => l.topics[0] === TRANSFER_TOPIC && l.topics.length === 3)!;
    const from = `0x${erc20.topics[1].slice(26)}`;
    const to = `0x${erc20.topics[2].slice(26)}`;
    const value = BigInt(erc20.data).toString();
    expect(decodeKnownEvent(erc20)).toEqual({
      name: "Transfer",
      signature: "Transfer(address,address,uint256)",
      standard: "erc20",
      args: { from, to, value },
      params: [
        { name: "from", type: "address", value: from },
        { name: "to", type: "address", value: to },
        { name: "value", type: "uint256", value },
      ],
    });
    const nft = logs.find((l) => l.topics[0] === TRANSFER_TOPIC && l.topics.length === 4)!;
    expect(decodeKnownEvent(nft)).toMatchObject({ name: "Transfer", standard: "erc721", args: { tokenId: BigInt(nft.topics[3]).toString() } });
  });

  it("names Approval and ApprovalForAll", () => {
    const abi = parseAbi(["event Approval(address indexed owner, address indexed spender, uint256 value)", "event ApprovalForAll(address indexed owner, address indexed operator, bool approved)"]);
    const owner = "0x1111111111111111111111111111111111111111";
    const spender = "0x2222222222222222222222222222222222222222";
    const approval: RpcLog = {
      address: owner,
      topics: encodeEventTopics({ abi, eventName: "Approval", args: { owner, spender } }) as Hex[],
      data: encodeAbiParameters([{ type: "uint256" }], [2n ** 256n - 1n]),
    };
    expect(decodeKnownEvent(approval)).toMatchObject({ name: "Approval", standard: "erc20", args: { owner, spender, value: (2n ** 256n - 1n).toString() } });
    const forAll: RpcLog = {
      address: owner,
      topics: [encodeEventTopics({ abi, eventName: "ApprovalForAll" })[0] as Hex, pad(owner), pad(spender)],
      data: encodeAbiParameters([{ type: "bool" }], [true]),
    };
    expect(decodeKnownEvent(forAll)).toMatchObject({ name: "ApprovalForAll", standard: "erc721", args: { owner, operator: spender, approved: "true" } });
  });

  it("decodes a deployment's own events via extraAbi, and ignores the unknown", () => {
    const abi = parseAbi(["event ValueChanged(address indexed by, uint256 value)"]);
    const by = "0x1111111111111111111111111111111111111111";
    const log: RpcLog = { address: by, topics: encodeEventTopics({ abi, eventName: "ValueChanged", args: { by } }) as Hex[], data: encodeAbiParameters([{ type: "uint256" }], [42n]) };
    expect(decodeKnownEvent(log)).toBeUndefined();
    expect(decodeKnownEvent(log, abi)).toEqual({
      name: "ValueChanged",
      signature: "ValueChanged(address,uint256)",
      standard: "extra",
      args: { by, value: "42" },
      params: [
        { name: "by", type: "address", value: by },
        { name: "value", type: "uint256", value: "42" },
      ],
    });
    expect(decodeKnownEvent({ ...log, topics: [] })).toBeUndefined();
  });

  it("names WETH deposits found in real receipts", () => {
    const logs = loadFixture(17034870).receipts!.flatMap((r) => r.logs);
    const deposit = logs.find((l) => decodeKnownEvent(l)?.standard === "weth");
    expect(deposit).toBeDefined();
    expect(decodeKnownEvent(deposit!)!.signature).toMatch(/^(Deposit|Withdrawal)\(address,uint256\)$/);
  });
});

describe("decodeTransfers against viem's decodeEventLog", () => {
  // The reference: every transfer event decoded by viem's ABI decoder, as lib/evm/transfers.ts did before its
  // fixed-size fast path.
  const ERC20 = parseAbi(["event Transfer(address indexed from, address indexed to, uint256 value)"]);
  const ERC721 = parseAbi(["event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)"]);
  function reference(logs: RpcLog[]) {
    return logs.flatMap((log, position) => {
      const logIndex = log.logIndex != null ? Number(log.logIndex) : position;
      const token = log.address.toLowerCase();
      const lo = (a: unknown) => String(a).toLowerCase();
      try {
        const topic0 = log.topics[0]?.toLowerCase();
        const n = (log.data.length - 2) / 2;
        if (topic0 === TRANSFER_TOPIC && log.topics.length === 3 && n === 32) {
          const d = decodeEventLog({ abi: ERC20, topics: log.topics as never, data: log.data, strict: true });
          return [{ logIndex, batchIndex: 0, standard: 20, token, from: lo(d.args.from), to: lo(d.args.to), amount: d.args.value }];
        }
        if (topic0 === TRANSFER_TOPIC && log.topics.length === 4 && n === 0) {
          const d = decodeEventLog({ abi: ERC721, topics: log.topics as never, data: log.data, strict: true });
          return [{ logIndex, batchIndex: 0, standard: 721, token, from: lo(d.args.from), to: lo(d.args.to), tokenId: d.args.tokenId, amount: 1n }];
        }
        if (topic0 === TRANSFER_SINGLE_TOPIC && log.topics.length === 4 && n === 64) {
          const d = decodeEventLog({ abi: ERC1155_ABI, topics: log.topics as never, data: log.data, strict: true });
          const a = d.args as { from: string; to: string; id: bigint; value: bigint };
          return [{ logIndex, batchIndex: 0, standard: 1155, token, from: lo(a.from), to: lo(a.to), tokenId: a.id, amount: a.value }];
        }
      } catch {
        return [];
      }
      return [];
    });
  }

  it("agrees on every transfer log of every mainnet fixture", () => {
    let n = 0;
    for (const f of loadFixtures()) {
      const logs = (f.receipts ?? []).flatMap((r) => r.logs);
      const fixed = decodeTransfers(logs).filter((t) => t.standard !== 1155 || t.batchIndex === 0);
      const single = fixed.filter((t) => !(t.standard === 1155 && logs.find((l) => Number(l.logIndex) === t.logIndex)?.topics[0] === TRANSFER_BATCH_TOPIC));
      expect(single).toEqual(reference(logs));
      n += single.length;
    }
    expect(n).toBeGreaterThan(900);
  });

  it("agrees on ERC-1155 TransferSingle and odd amounts", () => {
    const abi = ERC1155_ABI;
    const topics = encodeEventTopics({ abi, eventName: "TransferSingle", args: { operator: pad("0x01").slice(0, 42) as Hex, from: `0x${"ab".repeat(20)}`, to: `0x${"cd".repeat(20)}` } });
    const log = { address: `0x${"11".repeat(20)}`, topics, data: encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [2n ** 256n - 1n, 0n]), logIndex: "0x3" } as unknown as RpcLog;
    expect(decodeTransfers([log])).toEqual(reference([log]));
    expect(decodeTransfers([log])[0]).toMatchObject({ standard: 1155, tokenId: 2n ** 256n - 1n, amount: 0n, to: `0x${"cd".repeat(20)}` });
    expect(decodeTransfers([{ ...log, data: `${log.data.slice(0, -1)}g` } as RpcLog])).toEqual([]);
    expect(decodeTransfers([{ ...log, topics: [log.topics[0], log.topics[1], "0x12", log.topics[3]] } as RpcLog])).toEqual([]);
  });
});
