// Request limits, one place. A public explorer API has to survive anyone: every limit answers a GraphQL error with
// an extensions.code and a non-500 status, never a stack trace.
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { GraphQLError, Kind, visit, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import { apiError, badInput } from "./errors";
import { DEFAULT_PAGE, MAX_PAGE } from "./pagination";

export const LIMITS = {
  /** Bytes of an HTTP body (graphql/body-limit.ts: 413 REQUEST_ENTITY_TOO_LARGE). Real queries are < 10 kB. */
  maxBodyBytes: 100_000,
  /** Lexer tokens of a query document (parse stops at the limit, so a huge query costs little). */
  maxTokens: 3_000,
  /** Selection depth; the deepest useful path (address → tx → input → prevTransaction → output → spentBy → tx) is ~10. */
  maxDepth: 14,
  maxAliases: 30,
  maxDirectives: 20,
  /** graphql-armor's structural cost: fields weighted 1.5^depth, times literal first/last. A coarse net; listCost below is the precise one. */
  maxStructuralCost: 500_000,
  /** Estimated objects returned: each field weighs the product of the page sizes above it (see listCost). */
  maxListCost: 100_000,
  /** Wall time of one operation's execution. */
  executionTimeoutMs: 10_000,
};

/** Armor errors get one code so clients can tell "your query is too big" from a typo. */
const tooComplex = [(_: unknown, error: GraphQLError) => {
  (error.extensions as Record<string, unknown>).code = "QUERY_TOO_COMPLEX";
}];

export function armor(): Plugin {
  return EnvelopArmorPlugin({
    maxTokens: { n: LIMITS.maxTokens, onReject: tooComplex },
    maxDepth: { n: LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true, onReject: tooComplex },
    maxAliases: { n: LIMITS.maxAliases, onReject: tooComplex },
    maxDirectives: { n: LIMITS.maxDirectives, onReject: tooComplex },
    costLimit: { maxCost: LIMITS.maxStructuralCost, ignoreIntrospection: true, onReject: tooComplex },
    blockFieldSuggestion: { enabled: true },
  }) as Plugin;
}

// ------------------------------------------------------------------------------------------------- page size

/**
 * Paged fields that take a page size, with the size assumed when the document gives none (the resolver's default)
 * and the largest the resolver accepts. Any other field with a first/last argument counts as DEFAULT_PAGE..MAX_PAGE.
 */
export const PAGED_FIELDS: Record<string, { dflt: number; max: number }> = {
  blocks: { dflt: DEFAULT_PAGE, max: MAX_PAGE },
  transactions: { dflt: DEFAULT_PAGE, max: MAX_PAGE },
  utxos: { dflt: DEFAULT_PAGE, max: MAX_PAGE },
  tokenBalances: { dflt: DEFAULT_PAGE, max: MAX_PAGE },
  latestBlocks: { dflt: 10, max: 20 },
  latestTransactions: { dflt: 10, max: 20 },
  top: { dflt: 10, max: MAX_PAGE },
};
const maxPageOf = (field: string) => PAGED_FIELDS[field]?.max ?? MAX_PAGE;

/**
 * A literal `first`/`last` outside the field's 0..max is refused during validation with the page-size message,
 * before the cost rules (which would otherwise call it merely "too complex"). Variables are checked by the resolvers.
 */
export function pageSizeRule(): Plugin {
  const rule = () => ({
    OperationDefinition(op: OperationDefinitionNode) {
      visit(op, {
        Field(field) {
          for (const arg of field.arguments ?? []) {
            if ((arg.name.value === "first" || arg.name.value === "last") && arg.value.kind === Kind.INT) {
              const n = Number(arg.value.value);
              const max = maxPageOf(field.name.value);
              if (n < 0 || n > max) {
                throw badInput(`${arg.name.value} must be between 0 and ${max} (got ${n}); page with after/before cursors`, { argument: arg.name.value, max });
              }
            }
          }
        },
      });
    },
  });
  return { onValidate: ({ addValidationRule }) => addValidationRule(rule) };
}

// ------------------------------------------------------------------------------------------------- list cost

/** Lists without paging arguments, and how many items we assume each holds. */
const UNPAGED_LIST_WEIGHT: Record<string, number> = { points: 100, inputs: 10, outputs: 10, logs: 10, tokenTransfers: 5, chains: 5, search: 5, siblings: 1, witness: 1, checks: 1, params: 5, topics: 4 };

function intArg(field: FieldNode, name: string, vars: Record<string, unknown>): number | undefined {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  const v: ValueNode = arg.value;
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.VARIABLE) {
    const x = vars[v.name.value];
    return typeof x === "number" ? x : undefined;
  }
  return undefined;
}

const isPaged = (f: FieldNode) => f.name.value in PAGED_FIELDS || !!f.arguments?.some((a) => a.name.value === "first" || a.name.value === "last");

/** A Relay connection's selection (it asks for edges or nodes) as opposed to a plain list of items. */
const isConnection = (set: SelectionSetNode | undefined) =>
  !!set?.selections.some((s) => s.kind === Kind.FIELD && (s.name.value === "edges" || s.name.value === "nodes"));

/**
 * Sum over every selected field of (product of the list sizes above it): roughly the number of values the answer
 * holds. `first`/`last` count as given (capped at the field's maximum, which the resolvers enforce), unset pages as
 * the field's default. A page multiplies once: a connection is one object, its `edges` (or `nodes`) are the page's
 * items, an edge's `node` is the same item as the edge (not counted again) and `pageInfo` is one object.
 */
export function listCost(doc: DocumentNode, vars: Record<string, unknown>): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  /** `page`: items of the paged connection whose selection this is; `inEdge`: this is an edges selection. */
  const walk = (set: SelectionSetNode | undefined, mult: number, seen: Set<string>, page?: number, inEdge = false): number => {
    if (!set) return 0;
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        if (page !== undefined && (name === "edges" || name === "nodes")) {
          // The page's items, counted once.
          cost += page + walk(sel.selectionSet, page, seen, undefined, name === "edges");
        } else if (inEdge && name === "node") {
          cost += walk(sel.selectionSet, mult, seen);
        } else if (isPaged(sel)) {
          const size = Math.min(maxPageOf(name), Math.max(1, intArg(sel, "first", vars) ?? intArg(sel, "last", vars) ?? PAGED_FIELDS[name]?.dflt ?? DEFAULT_PAGE));
          const items = mult * size;
          cost += isConnection(sel.selectionSet)
            ? mult + walk(sel.selectionSet, mult, seen, items)
            : items + walk(sel.selectionSet, items, seen);
        } else {
          const m = page === undefined && UNPAGED_LIST_WEIGHT[name] ? mult * UNPAGED_LIST_WEIGHT[name] : mult;
          cost += m + walk(sel.selectionSet, m, seen);
        }
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        cost += walk(sel.selectionSet, mult, seen, page, inEdge);
      } else {
        const f = fragments.get(sel.name.value);
        if (f && !seen.has(f.name.value)) cost += walk(f.selectionSet, mult, new Set([...seen, f.name.value]), page, inEdge);
      }
      if (cost > 1e12) return cost;
    }
    return cost;
  };
  let total = 0;
  for (const d of doc.definitions) if (d.kind === Kind.OPERATION_DEFINITION) total += walk(d.selectionSet, 1, new Set());
  return total;
}

/** Rejects over-large answers before any resolver runs, and bounds execution time. */
export function costAndTimeout(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution, executeFn, setExecuteFn }) {
      const cost = listCost(args.document, (args.variableValues ?? {}) as Record<string, unknown>);
      if (cost > LIMITS.maxListCost) {
        setResultAndStopExecution({
          errors: [apiError("QUERY_TOO_COMPLEX", `query would return about ${Math.round(cost)} values; the limit is ${LIMITS.maxListCost}. Ask for smaller pages or fewer nested lists.`, { cost, maxCost: LIMITS.maxListCost })],
        });
        return;
      }
      setExecuteFn((execArgs) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise((resolve) => {
          timer = setTimeout(
            () => resolve({ errors: [apiError("TIMEOUT", `query took longer than ${LIMITS.executionTimeoutMs} ms and was stopped; ask for less`)] }),
            LIMITS.executionTimeoutMs,
          );
        });
        return Promise.race([Promise.resolve(executeFn(execArgs)), timeout]).finally(() => clearTimeout(timer)) as ReturnType<typeof executeFn>;
      });
    },
  };
}
