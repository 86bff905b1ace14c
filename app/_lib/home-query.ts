// The home page's one live operation: every chain's sync figures with its newest blocks and newest transactions
// (Chain.latestBlocks / Chain.latestTransactions), so the server render and every 2 s poll are one request and a
// block indexed since the last poll shows up at once. No variables: the chain list comes with the answer.
export const BLOCKS_PER_CHAIN = 6;
export const TXS_PER_CHAIN = 6;

export const HOME_QUERY = /* GraphQL */ `query Home {
  chains {
    id family network name tipHeight tipHash nodeHeight status blocksPerSec txPerSec lastError updatedAt
    latestBlocks(first: ${BLOCKS_PER_CHAIN}) { hash height time txCount size verification { checks } }
    latestTransactions(first: ${TXS_PER_CHAIN}) {
      hash height position
      ... on BitcoinTransaction { outputValue isCoinbase }
      ... on EvmTransaction { value status }
    }
  }
}`;

export interface HomeTx { hash: string; height: number; position: number; outputValue?: string; isCoinbase?: boolean; value?: string; status?: number | null }
export interface HomeBlock { hash: string; height: number; time: number; txCount: number; size: number; verification: { checks: string[] } }
export interface HomeChain {
  id: string; family: "BITCOIN" | "EVM"; network: string; name: string; tipHeight: number | null; tipHash: string | null;
  nodeHeight: number | null; status: string; blocksPerSec: number; txPerSec: number; lastError: string | null; updatedAt: string;
  latestBlocks: HomeBlock[];
  latestTransactions: HomeTx[];
}
export interface HomeData { chains: HomeChain[] }
