// Blocks' Merkle trees for inclusion proofs, from one statement per block and shared by concurrent requests.
// Why sharing stays exact: an entry is keyed by block hash and kept (or shared) only when its root equals that
// block's header root, and the header, so its root and the tree under it, is fixed by the hash. So a tree read
// before a request arrived is the tree that request would read. A build whose root does not match (stored txids
// incomplete, or the block lost a reorg while being read) is never kept, and a request that joined someone else's
// such build reads again itself, so what it reports rests on its own read.
import { rawRows } from "../sql";
import { buildTreeFromLeaves, TreeCache, treeRoot, type MerkleTree } from "./merkle-tree";

export interface BlockTree {
  tree: MerkleTree;
  /** The merkle root in the block's header (btc_block), internal byte order. */
  headerRoot: Uint8Array;
  /** The tree's root is the header's: the stored txids are the block's. */
  matches: boolean;
}

/** The header's root and every txid of the block, concatenated in block order (one value: no per-row objects). */
const TREE_SQL = `
  SELECT bb.merkle_root AS "merkleRoot",
    (SELECT string_agg(t.txid, ''::bytea ORDER BY t.position) FROM btc_tx t WHERE t.chain_id = b.chain_id AND t.height = b.height) AS leaves
  FROM block b JOIN btc_block bb ON bb.chain_id = b.chain_id AND bb.hash = b.hash
  WHERE b.chain_id = $1::smallint AND b.hash = decode($2, 'hex')`;

export class BlockTrees {
  private readonly building = new Map<string, Promise<BlockTree>>();
  /** Statements run (tests check that concurrent and repeated requests share them). */
  reads = 0;

  constructor(private readonly cache = new TreeCache()) {}

  async get(chainId: number, blockHash: Uint8Array): Promise<BlockTree> {
    const hash = Buffer.from(blockHash).toString("hex");
    const key = `${chainId}:${hash}`;
    const cached = this.cache.get(key);
    if (cached) return { tree: cached, headerRoot: treeRoot(cached), matches: true };
    const inFlight = this.building.get(key);
    if (inFlight) {
      const shared = await inFlight;
      return shared.matches ? shared : this.read(chainId, hash);
    }
    const p = this.read(chainId, hash).then((t) => {
      if (t.matches) this.cache.put(key, t.tree, t.headerRoot);
      return t;
    });
    this.building.set(key, p);
    try {
      return await p;
    } finally {
      this.building.delete(key);
    }
  }

  private async read(chainId: number, hash: string): Promise<BlockTree> {
    this.reads++;
    const [row] = await rawRows<{ merkleRoot: Uint8Array; leaves: Buffer | null }>(TREE_SQL, [chainId, hash]);
    if (!row) throw new Error(`btc_block row missing for block ${hash}`);
    const tree = buildTreeFromLeaves(row.leaves ?? Buffer.alloc(0));
    return { tree, headerRoot: row.merkleRoot, matches: Buffer.from(treeRoot(tree)).equals(Buffer.from(row.merkleRoot)) };
  }
}
