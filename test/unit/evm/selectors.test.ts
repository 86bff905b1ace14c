import { describe, expect, it } from "vitest";
import { knownMethod } from "../../../lib/evm/selectors";

describe("knownMethod", () => {
  it("names well-known selectors and nothing else", () => {
    expect(knownMethod("0xa9059cbb")).toBe("transfer(address,uint256)");
    expect(knownMethod("0x6057361d")).toBe("store(uint256)");
    expect(knownMethod("0x2e64cec1")).toBe("retrieve()");
    expect(knownMethod("0xdeadbeef")).toBeUndefined();
  });
});
