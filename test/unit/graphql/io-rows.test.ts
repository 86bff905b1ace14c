// splitIo: one statement's rows of both tables back into each tx's inputs and outputs, in Prisma's shapes.
import { describe, expect, it } from "vitest";
import { splitIo, type IoRow } from "../../../graphql/bitcoin/io-rows";

const row = (kind: 0 | 1, txId: bigint, n: number, extra: Partial<IoRow> = {}): IoRow => ({
  kind, chainId: 1, txId, n, prevTxId: null, prevVout: null, value: 10n, addressId: null, scriptType: null, spentByTxId: null, spentByVin: null, spentHeight: null, ...extra,
});

describe("splitIo", () => {
  it("gives each tx its inputs by vin and outputs by vout, in the order asked, empty lists for a tx without rows", () => {
    const rows = [
      row(0, 7n, 0, { prevTxId: 3n, prevVout: 1, addressId: 9n }),
      row(0, 7n, 1, { prevTxId: 4n, prevVout: 0 }),
      row(1, 5n, 0, { scriptType: 2, spentByTxId: 7n, spentByVin: 1, spentHeight: 12n }),
      row(1, 7n, 0, { scriptType: 5 }),
    ];
    const [a, b, c] = splitIo([7n, 5n, 6n], rows);
    expect(a.inputs).toEqual([
      { chainId: 1, txId: 7n, vin: 0, prevTxId: 3n, prevVout: 1, value: 10n, addressId: 9n },
      { chainId: 1, txId: 7n, vin: 1, prevTxId: 4n, prevVout: 0, value: 10n, addressId: null },
    ]);
    expect(a.outputs).toEqual([{ chainId: 1, txId: 7n, vout: 0, value: 10n, scriptType: 5, addressId: null, spentByTxId: null, spentByVin: null, spentHeight: null }]);
    expect(b).toEqual({ inputs: [], outputs: [{ chainId: 1, txId: 5n, vout: 0, value: 10n, scriptType: 2, addressId: null, spentByTxId: 7n, spentByVin: 1, spentHeight: 12n }] });
    expect(c).toEqual({ inputs: [], outputs: [] });
  });
});
