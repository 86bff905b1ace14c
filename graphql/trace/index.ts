// Trace API: follow value from a transaction, an outpoint or an address, backward (where it came from) and/or
// forward (where it went), bounded by depth (hops, ≤ 10) and a node limit (≤ 1000). Bitcoin walks the UTXO graph,
// EVM native value and token transfers; see bitcoin.ts / evm.ts. One statement resolves the start, then one per
// hop (a Bitcoin hop cut by the node limit while its rows led mostly to nodes already found takes two): a depth-6
// trace runs 7, at most 13 (plus the request's chain list).
import { chainBySlug, type Context } from "../context";
import { ADDRESS_SCAN_ROWS, traceBitcoin } from "./bitcoin";
import { traceEvm } from "./evm";
import { checkBounds, decodeCursor, dirsOf, encodeCursor, nodeCursor, openFrontier, type Direction } from "./types";

export const typeDefs = /* GraphQL */ `
extend type Query {
  """
  The flow of value around a starting point: a transaction (txid / 0x hash), a Bitcoin outpoint "txid:vout", or an
  address. BACKWARD follows where the value came from, FORWARD where it went, BOTH does both from the start (each
  side keeps its direction). depth counts hops (1..10), limit caps the nodes (1..1000). truncated says the limit, or
  an address's history bound, cut something off; cursor (and each node's cursor) passed as \`after\` continues from
  what was left open.
  """
  trace(chain: ID!, from: String!, direction: TraceDirection = BOTH, depth: Int = 3, limit: Int = 200, after: String): Trace!
}

enum TraceDirection {
  BACKWARD
  FORWARD
  BOTH
}

enum TraceNodeKind {
  TRANSACTION
  ADDRESS
  "A Bitcoin output not (yet) spent, or the outpoint a trace started from."
  OUTPUT
}

type Trace {
  "Id of the start node (empty when resuming from a cursor)."
  root: ID!
  nodes: [TraceNode!]!
  edges: [TraceEdge!]!
  """
  The walk was cut short (some neighbours are missing; the cursor continues): by the node limit, or because an
  address step reads at most ${ADDRESS_SCAN_ROWS} of the address's history rows (newest first) per request.
  """
  truncated: Boolean!
  "Continues every node left open (by the depth bound, the node limit or the history bound); null when nothing is left."
  cursor: String
  "SQL statements this trace ran."
  statements: Int!
}

type TraceNode {
  "The txid / 0x hash, txid:vout, or address: usable as \`from\`."
  id: ID!
  kind: TraceNodeKind!
  label: String!
  height: Int
  "TRANSACTION: total output value; OUTPUT: its value; ADDRESS: balance."
  value: BigInt
  "Hops from the start."
  depth: Int!
  "Has neighbours not in this graph (depth bound or node limit)."
  expandable: Boolean!
  "Pass as \`after\` to expand this node (in the direction it was reached in, both for the start)."
  cursor: String
}

type TraceEdge {
  id: ID!
  from: ID!
  to: ID!
  "Satoshis, wei or token units."
  value: BigInt
  "Bitcoin: the output's index in the funding transaction."
  outputIndex: Int
  "Height of the transaction that moved the value."
  height: Int
  "The transaction that moved the value."
  txid: String
  "EVM token transfers: the token's symbol (else its address); null for native value."
  asset: String
  "Bitcoin: the address the output paid."
  address: String
}
`;

interface TraceArgs { chain: string; from: string; direction?: Direction | null; depth?: number | null; limit?: number | null; after?: string | null }

export async function trace(ctx: Context, a: TraceArgs) {
  const chain = await chainBySlug(ctx, a.chain);
  const depth = a.depth ?? 3;
  const limit = a.limit ?? 200;
  checkBounds(depth, limit);
  const dirs = dirsOf(a.direction ?? "BOTH");
  const after = a.after ? decodeCursor(a.after, chain.id) : null;
  const args = { from: a.from, dirs, depth, limit, after };
  const g = chain.family === "evm" ? await traceEvm(ctx, chain, args) : await traceBitcoin(ctx, chain, args);
  const nodes = [...g.nodes.values()];
  const reached = (id: string) => {
    const d = dirs.filter((x) => g.expanded.has(`${x}:${id}`));
    return d.length ? d : dirs;
  };
  const root = after ? "" : nodes.find((n) => n.depth === 0)?.id ?? "";
  return {
    root,
    nodes: nodes.map((n) => ({
      id: n.id, kind: n.kind, label: n.label, height: n.height, value: n.value, depth: n.depth, expandable: n.open.size > 0,
      cursor: nodeCursor(chain.id, n, reached(n.id)),
    })),
    edges: [...g.edges.values()],
    truncated: g.truncated,
    cursor: encodeCursor(chain.id, openFrontier(g)),
    statements: g.statements,
  };
}

export const resolvers = {
  Query: {
    trace: (_: unknown, a: TraceArgs, ctx: Context) => trace(ctx, a),
  },
};
