// ioNeighboursWanted: which neighbour rows a query reads through inputs/outputs, from its field names (through
// inline fragments and fragment spreads), so the inputs/outputs statement joins exactly those in; and
// selectsInputsOrOutputs: whether the root transaction field shows its own inputs or outputs (then they are read with it).
import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { ioNeighboursWanted, selectsInputsOrOutputs } from "../../../graphql/bitcoin/io-wants";

function wanted(query: string) {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  return ioNeighboursWanted(op, fragments);
}

describe("ioNeighboursWanted", () => {
  it("joins nothing for inputs/outputs that read only their own rows (values, an output's address from its script)", () => {
    expect(wanted(`{ transaction(chain: "c", hash: "h") { ... on BitcoinTransaction { inputs { value prevVout }
      outputs { value address scriptType spentBy { vin height } } } } }`)).toEqual({ addresses: false, spenders: false, funders: false, raw: false });
  });

  it("joins funders when an input's prevTransaction is read (a nested trace)", () => {
    expect(wanted(`{ transaction(chain: "c", hash: "h") { ... on BitcoinTransaction { inputs { value prevTransaction { hash inputs { value } } } } } }`))
      .toEqual({ addresses: false, spenders: false, funders: true, raw: true });
  });

  it("joins input addresses for address, addressLabel or addressSummary, output addresses for addressSummary", () => {
    expect(wanted(`{ transaction(chain: "c", hash: "h") { ... on BitcoinTransaction { inputs { address } } } }`)).toEqual({ addresses: true, spenders: false, funders: false, raw: false });
    expect(wanted(`{ transaction(chain: "c", hash: "h") { ... on BitcoinTransaction { inputs { addressLabel } } } }`)).toEqual({ addresses: true, spenders: false, funders: false, raw: false });
    expect(wanted(`{ transaction(chain: "c", hash: "h") { ... on BitcoinTransaction { outputs { addressSummary { balance } } } } }`)).toEqual({ addresses: true, spenders: false, funders: false, raw: false });
  });

  it("joins spenders when spentBy's transaction is read", () => {
    expect(wanted(`{ transaction(chain: "c", hash: "h") { ... on BitcoinTransaction { outputs { spentBy { transaction { hash } } } } } }`)).toEqual({ addresses: false, spenders: true, funders: false, raw: false });
  });

  it("reads the joined txs' raw bytes only when they are parsed (their inputs, outputs, wtxid, hex)", () => {
    expect(wanted(`{ transaction(chain: "c", hash: "h") { ... on BitcoinTransaction { inputs { prevTransaction { hash } } } } }`)).toEqual({ addresses: false, spenders: false, funders: true, raw: false });
    expect(wanted(`{ transaction(chain: "c", hash: "h") { ... on BitcoinTransaction { outputs { spentBy { transaction { ... on BitcoinTransaction { hex } } } } } } }`))
      .toEqual({ addresses: false, spenders: true, funders: false, raw: true });
    // The root transaction's own inputs are not a joined tx's.
    expect(wanted(`{ transaction(chain: "c", hash: "h") { ... on BitcoinTransaction { wtxid inputs { value } outputs { spentBy { transaction { hash } } } } } }`))
      .toEqual({ addresses: false, spenders: true, funders: false, raw: false });
    // Through a fragment spread under prevTransaction.
    expect(wanted(`{ transaction(chain: "c", hash: "h") { ... on BitcoinTransaction { inputs { prevTransaction { ...P } } } } } fragment P on BitcoinTransaction { outputs { value } }`))
      .toEqual({ addresses: false, spenders: false, funders: true, raw: true });
  });

  it("follows fragment spreads and inline fragments, each fragment under the field it is spread in", () => {
    const q = `query { transaction(chain: "c", hash: "h") { ...T } }
      fragment T on BitcoinTransaction { inputs { ...I } outputs { ... on BitcoinOutput { spentBy { ...S } } } }
      fragment I on BitcoinInput { addressSummary { address } }
      fragment S on BitcoinSpend { transaction { hash } }`;
    expect(wanted(q)).toEqual({ addresses: true, spenders: true, funders: false, raw: false });
    // The same fragment spread under a field that is not inputs does not count.
    expect(wanted(`{ address(chain: "c", address: "a") { ...I } } fragment I on BitcoinAddress { address }`)).toEqual({ addresses: false, spenders: false, funders: false, raw: false });
  });
});

/** The root field's node and the document's fragments, as a resolver's info has them. */
function rootField(query: string) {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  return { fieldNodes: [op.selectionSet.selections[0] as FieldNode], fragments };
}

describe("selectsInputsOrOutputs", () => {
  it("sees inputs or outputs selected on the field itself, through inline fragments and fragment spreads", () => {
    expect(selectsInputsOrOutputs(rootField(`{ transaction(chain: "c", hash: "h") { hash ... on BitcoinTransaction { inputs { vin } } } }`))).toBe(true);
    expect(selectsInputsOrOutputs(rootField(`{ transaction(chain: "c", hash: "h") { ...T } } fragment T on BitcoinTransaction { ...U } fragment U on BitcoinTransaction { outputs { vout } }`))).toBe(true);
  });

  it("does not count inputs or outputs further down (a spender's, a block's) or a field without them", () => {
    expect(selectsInputsOrOutputs(rootField(`{ transaction(chain: "c", hash: "h") { hash block { hash } } }`))).toBe(false);
    expect(selectsInputsOrOutputs(rootField(`{ transaction(chain: "c", hash: "h") { ... on BitcoinTransaction { merkleProof { verified } } } }`))).toBe(false);
    expect(selectsInputsOrOutputs(rootField(`{ transaction(chain: "c", hash: "h") { block { transactions { edges { node { ... on BitcoinTransaction { inputs { vin } } } } } } } }`))).toBe(false);
    // A fragment spread twice (or cyclically through another) is walked once.
    expect(selectsInputsOrOutputs(rootField(`{ transaction(chain: "c", hash: "h") { ...T ...T } } fragment T on BitcoinTransaction { hash }`))).toBe(false);
  });
});
