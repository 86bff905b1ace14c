// The home page's one live operation: every chain's sync figures, its newest blocks, and the newest transactions
// of the blocks at and just above the last known tip (so a block indexed since the last poll shows up at once).
// Chain slugs are variables, each chain an alias, so one request serves every chain. Transactions are asked per
// block (not nested under `blocks`) to keep the API's list-cost estimate small.
export const CHAINS_QUERY = /* GraphQL */ `query HomeChains { chains { id tipHeight } }`;

export const BLOCKS_PER_CHAIN = 6;
export const TXS_PER_CHAIN = 6;
/** Blocks whose transactions are asked: tip+1 (new since the last poll) down to tip-3. */
const TX_BLOCK_OFFSETS = [1, 0, -1, -2, -3];

export interface ChainTip { id: string; tipHeight: number | null }

export function txBlockHeights(tip: number | null): number[] {
  if (tip == null) return [0];
  return TX_BLOCK_OFFSETS.map((o) => tip + o).filter((h) => h >= 0);
}

export function homeQuery(chains: ChainTip[]): { query: string; variables: Record<string, string> } {
  const vars = chains.map((_, i) => `$c${i}: ID!`).join(", ");
  const parts = chains.map((c, i) => {
    const txBlocks = txBlockHeights(c.tipHeight).map((h, k) => `
    t${i}_${k}: block(chain: $c${i}, height: ${h}) {
      height
      transactions(last: ${TXS_PER_CHAIN}) { edges { node {
        hash position
        ... on BitcoinTransaction { outputValue isCoinbase }
        ... on EvmTransaction { value status }
      } } }
    }`).join("");
    return `
    c${i}: blocks(chain: $c${i}, first: ${BLOCKS_PER_CHAIN}) {
      edges { node { hash height time txCount size verification { checks } } }
    }${txBlocks}`;
  }).join("\n");
  const query = `query Home${vars ? `(${vars})` : ""} {
    chains { id family network name tipHeight tipHash nodeHeight status blocksPerSec txPerSec lastError updatedAt }
    ${parts}
  }`;
  return { query, variables: Object.fromEntries(chains.map((c, i) => [`c${i}`, c.id])) };
}

export interface HomeChain {
  id: string; family: "BITCOIN" | "EVM"; network: string; name: string; tipHeight: number | null; tipHash: string | null;
  nodeHeight: number | null; status: string; blocksPerSec: number; txPerSec: number; lastError: string | null; updatedAt: string;
}
export interface HomeTx { hash: string; position: number; outputValue?: string; isCoinbase?: boolean; value?: string; status?: number }
export interface HomeBlock { hash: string; height: number; time: number; txCount: number; size: number; verification: { checks: string[] } }
export interface HomeTxBlock { height: number; transactions: { edges: { node: HomeTx }[] } }
// Aliased fields: c<i> (blocks connection) and t<i>_<k> (a block's transactions, null above the tip).
export type HomeData = { chains: HomeChain[] } & { [alias: string]: unknown };

export function blocksOf(data: HomeData, i: number): HomeBlock[] {
  const conn = data[`c${i}`] as { edges: { node: HomeBlock }[] } | undefined;
  return conn?.edges.map((e) => e.node) ?? [];
}

/** The newest transactions of chain i, newest first. */
export function txsOf(data: HomeData, i: number): { tx: HomeTx; height: number }[] {
  const blocks: HomeTxBlock[] = [];
  for (const [k, v] of Object.entries(data)) if (k.startsWith(`t${i}_`) && v) blocks.push(v as HomeTxBlock);
  blocks.sort((a, b) => b.height - a.height);
  const out: { tx: HomeTx; height: number }[] = [];
  for (const b of blocks) for (const e of [...b.transactions.edges].reverse()) if (out.length < TXS_PER_CHAIN) out.push({ tx: e.node, height: b.height });
  return out;
}
