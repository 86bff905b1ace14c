// Request limits, one place. A public explorer API has to survive anyone: every limit answers a GraphQL error with
// an extensions.code and a non-500 status, never a stack trace.
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { GraphQLError, Kind, visit, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import { apiError, badInput } from "./errors";
import { DEFAULT_PAGE, MAX_PAGE } from "./pagination";

export const LIMITS = {
  /** Bytes of an HTTP body (yoga's maxRequestBodySize: 413 REQUEST_ENTITY_TOO_LARGE). Real queries are < 10 kB. */
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
 * A literal `first`/`last` outside 0..MAX_PAGE is refused during validation with the page-size message, before
 * the cost rules (which would otherwise call it merely "too complex"). Variables are checked by the resolvers.
 */
export function pageSizeRule(): Plugin {
  const rule = () => ({
    OperationDefinition(op: OperationDefinitionNode) {
      visit(op, {
        Argument(arg) {
          if ((arg.name.value === "first" || arg.name.value === "last") && arg.value.kind === Kind.INT) {
            const n = Number(arg.value.value);
            if (n < 0 || n > MAX_PAGE) {
              throw badInput(`${arg.name.value} must be between 0 and ${MAX_PAGE} (got ${n}); page with after/before cursors`, { argument: arg.name.value, max: MAX_PAGE });
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
const UNPAGED_LIST_WEIGHT: Record<string, number> = { points: 100, inputs: 10, outputs: 10, logs: 10, tokenTransfers: 5, chains: 5, search: 5, siblings: 1, witness: 1, checks: 1 };

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

/**
 * Sum over every selected field of (product of the list sizes above it): roughly the number of values the answer
 * holds. `first`/`last` count as given (capped at MAX_PAGE, which the resolvers enforce), unset pages as the default.
 */
export function listCost(doc: DocumentNode, vars: Record<string, unknown>): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const walk = (set: SelectionSetNode | undefined, mult: number, seen: Set<string>): number => {
    if (!set) return 0;
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const paged = sel.arguments?.some((a) => a.name.value === "first" || a.name.value === "last") || sel.name.value === "transactions" || sel.name.value === "blocks";
        let m = mult;
        if (paged) m *= Math.min(MAX_PAGE, Math.max(1, intArg(sel, "first", vars) ?? intArg(sel, "last", vars) ?? DEFAULT_PAGE));
        else if (UNPAGED_LIST_WEIGHT[sel.name.value]) m *= UNPAGED_LIST_WEIGHT[sel.name.value];
        cost += m + walk(sel.selectionSet, m, seen);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        cost += walk(sel.selectionSet, mult, seen);
      } else {
        const f = fragments.get(sel.name.value);
        if (f && !seen.has(f.name.value)) cost += walk(f.selectionSet, mult, new Set([...seen, f.name.value]));
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
