import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../indexer/config";

describe("loadConfig", () => {
  it("defaults to the bundled Bitcoin demo chain and an anvil devnet", () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.port).toBe(3000);
    expect(c.chains.map((x) => [x.id, x.source.kind])).toEqual([["btc-demo", "bitcoin-blk"], ["devnet", "evm-devnet"]]);
  });

  it("uses configured nodes instead of the demo chains", () => {
    const c = loadConfig({ CHAINPROOF_BTC_RPC_URL: "http://127.0.0.1:8332", CHAINPROOF_BTC_NETWORK: "regtest", CHAINPROOF_EVM_RPC_URL: "http://localhost:8545" });
    expect(c.chains.map((x) => x.id)).toEqual(["btc-regtest", "evm"]);
  });

  it.each([
    [{ CHAINPROOF_BOGUS: "1" }, /unknown setting CHAINPROOF_BOGUS/],
    [{ PORT: "http" }, /PORT must be an integer/],
    [{ CHAINPROOF_ON_INVALID: "ignore" }, /CHAINPROOF_ON_INVALID must be one of stop \| retry/],
    [{ CHAINPROOF_BTC_RPC_URL: "localhost:8332" }, /CHAINPROOF_BTC_RPC_URL must be an http\(s\) URL/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL must be a postgres/],
    [{ CHAINPROOF_BTC_NETWORK: "litecoin" }, /CHAINPROOF_BTC_NETWORK must be one of/],
    [{ CHAINPROOF_CHAINS_FILE: "/nonexistent.json" }, /CHAINPROOF_CHAINS_FILE/],
  ])("rejects %o with a message naming the setting", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
