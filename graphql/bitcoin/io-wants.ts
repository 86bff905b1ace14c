// Which neighbour rows a query will read through a tx's inputs and outputs, decided once per parsed operation from
// its field names (yoga's parse cache hands the same document to every request with the same text, so this runs
// once per distinct query). By name, not by type: a false positive only joins rows nobody reads, never changes an
// answer, since the joined rows are the rows the loaders would read.
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type OperationDefinitionNode, type SelectionSetNode } from "graphql";
import type { IoNeighbours } from "./io-rows";

/** Input fields that read the input's address row (BitcoinInput); outputs read it only for addressSummary. */
const INPUT_ADDRESS_FIELDS = new Set(["address", "addressLabel", "addressSummary"]);
/** BitcoinTransaction fields that parse its raw bytes. */
const RAW_FIELDS = new Set(["inputs", "outputs", "wtxid", "txidMatchesRaw", "hex"]);

const cache = new WeakMap<OperationDefinitionNode, IoNeighbours>();

export function ioNeighboursWanted(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): IoNeighbours {
  let w = cache.get(operation);
  if (!w) cache.set(operation, (w = scan(operation.selectionSet, fragments)));
  return w;
}

function scan(root: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): IoNeighbours {
  const want: IoNeighbours = { addresses: false, spenders: false, funders: false, raw: false };
  const seen = new Set<string>();
  // parent: the name of the field whose selection set this is; grand: the name of that field's parent.
  const walk = (set: SelectionSetNode, parent: string, grand: string) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const name = s.name.value;
        if ((parent === "inputs" && INPUT_ADDRESS_FIELDS.has(name)) || (parent === "outputs" && name === "addressSummary")) want.addresses = true;
        if (parent === "spentBy" && name === "transaction") want.spenders = true;
        if (parent === "inputs" && name === "prevTransaction") want.funders = true;
        if ((parent === "prevTransaction" || (parent === "transaction" && grand === "spentBy")) && RAW_FIELDS.has(name)) want.raw = true;
        if (s.selectionSet) walk(s.selectionSet, name, parent);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        walk(s.selectionSet, parent, grand);
      } else {
        // A fragment spread: walked once per (fragment, field path), however often it is spread.
        const key = `${s.name.value}@${grand}.${parent}`;
        const f = fragments[s.name.value];
        if (f && !seen.has(key)) {
          seen.add(key);
          walk(f.selectionSet, parent, grand);
        }
      }
    }
  };
  walk(root, "", "");
  return want;
}

const selectsIoCache = new WeakMap<FieldNode, boolean>();

/** Whether the field being resolved (a transaction) selects its own inputs or outputs, through fragments too. */
export function selectsInputsOrOutputs(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">): boolean {
  return info.fieldNodes.some((node) => {
    let s = selectsIoCache.get(node);
    if (s === undefined) selectsIoCache.set(node, (s = !!node.selectionSet && selectsIo(node.selectionSet, info.fragments, new Set())));
    return s;
  });
}

function selectsIo(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): boolean {
  return set.selections.some((s) => {
    if (s.kind === Kind.FIELD) return s.name.value === "inputs" || s.name.value === "outputs";
    if (s.kind === Kind.INLINE_FRAGMENT) return selectsIo(s.selectionSet, fragments, seen);
    const f = fragments[s.name.value];
    if (!f || seen.has(s.name.value)) return false;
    seen.add(s.name.value);
    return selectsIo(f.selectionSet, fragments, seen);
  });
}
