// The test chain's family rows, in the real Bitcoin tables: one btc_tx per transaction, btc_address_tx history
// and btc_address summaries (upserted with `on conflict do update`), so rollback has summaries to restore.
import { makeId, type IdCounters, type Tx } from "../../../indexer/engine/adapter";
import { txEncoding, txid, type TcBlock } from "./chain";

export function addressScript(index: number): Buffer {
  return Buffer.from(`tc-addr-${index}`);
}

interface AddrDelta {
  script: Buffer;
  delta: bigint;
  received: bigint;
  sent: bigint;
  txs: number;
  first: number;
  last: number;
}

export async function writeTcBlocks(sql: Tx, ids: IdCounters, blocks: TcBlock[]): Promise<void> {
  const txRows = { id: [] as string[], txid: [] as string[], height: [] as number[], position: [] as number[], size: [] as number[], coinbase: [] as string[], value: [] as number[], raw: [] as string[] };
  // Per (address, tx) deltas; the id is filled in once addresses are resolved.
  const history: { addr: number; height: number; position: number; txId: string; delta: bigint }[] = [];
  const summaries = new Map<number, AddrDelta>();
  for (const b of blocks) {
    b.txs.forEach((tx, position) => {
      const id = makeId(ids.chainId, ids.nextTxSeq++).toString();
      const raw = Buffer.from(txEncoding(b.header.height, position, tx));
      txRows.id.push(id);
      txRows.txid.push(Buffer.from(txid(b.header.height, position, tx)).toString("hex"));
      txRows.height.push(b.header.height);
      txRows.position.push(position);
      txRows.size.push(raw.length);
      txRows.coinbase.push(tx.from < 0 ? "t" : "f");
      txRows.value.push(tx.value);
      txRows.raw.push(raw.toString("hex"));
      const deltas = new Map<number, bigint>();
      if (tx.from >= 0) deltas.set(tx.from, -BigInt(tx.value));
      deltas.set(tx.to, (deltas.get(tx.to) ?? 0n) + BigInt(tx.value));
      for (const [addr, delta] of deltas) {
        history.push({ addr, height: b.header.height, position, txId: id, delta });
        const s = summaries.get(addr) ?? { script: addressScript(addr), delta: 0n, received: 0n, sent: 0n, txs: 0, first: b.header.height, last: b.header.height };
        s.delta += delta;
        if (delta > 0n) s.received += delta;
        else s.sent -= delta;
        s.txs++;
        s.last = b.header.height;
        summaries.set(addr, s);
      }
    });
  }

  await sql`
    insert into btc_tx (id, chain_id, txid, height, position, version, locktime, size, vsize, weight, is_coinbase, has_witness,
      input_count, output_count, input_value, output_value, fee, raw)
    select u.id, ${ids.chainId}, decode(u.txid, 'hex'), u.height, u.position, 1, 0, u.size, u.size, u.size * 4, u.coinbase, false,
      case when u.coinbase then 0 else 1 end, 1, case when u.coinbase then 0 else u.value end, u.value, 0, decode(u.raw, 'hex')
    from unnest(${txRows.id}::bigint[], ${txRows.txid}::text[], ${txRows.height}::bigint[], ${txRows.position}::int[],
      ${txRows.size}::int[], ${txRows.coinbase}::bool[], ${txRows.value}::bigint[], ${txRows.raw}::text[])
      as u(id, txid, height, position, size, coinbase, value, raw)`;

  // Existing addresses keep their ids; new ones get the next ids in order of first appearance, as a clean index would.
  const addrs = [...summaries.keys()];
  const known = await sql`select id::text as id, script from btc_address where chain_id = ${ids.chainId} and script in (select decode(x, 'hex') from unnest(${addrs.map((a) => addressScript(a).toString("hex"))}::text[]) x)`;
  const idOf = new Map<string, string>(known.map((r) => [Buffer.from(r.script).toString(), r.id]));
  for (const a of addrs) {
    const key = addressScript(a).toString();
    if (!idOf.has(key)) idOf.set(key, makeId(ids.chainId, ids.nextAddrSeq++).toString());
  }
  const s = [...summaries.values()];
  await sql`
    insert into btc_address (id, chain_id, script, script_type, balance, received, sent, tx_count, utxo_count, first_height, last_height)
    select u.id, ${ids.chainId}, decode(u.script, 'hex'), 0, u.delta, u.received, u.sent, u.txs, 0, u.first, u.last
    from unnest(${s.map((x) => idOf.get(x.script.toString())!)}::bigint[], ${s.map((x) => x.script.toString("hex"))}::text[],
      ${s.map((x) => x.delta.toString())}::bigint[], ${s.map((x) => x.received.toString())}::bigint[], ${s.map((x) => x.sent.toString())}::bigint[],
      ${s.map((x) => x.txs)}::int[], ${s.map((x) => x.first)}::bigint[], ${s.map((x) => x.last)}::bigint[])
      as u(id, script, delta, received, sent, txs, first, last)
    on conflict (chain_id, script) do update set
      balance = btc_address.balance + excluded.balance, received = btc_address.received + excluded.received,
      sent = btc_address.sent + excluded.sent, tx_count = btc_address.tx_count + excluded.tx_count,
      last_height = greatest(btc_address.last_height, excluded.last_height)`;

  await sql`
    insert into btc_address_tx (chain_id, address_id, height, position, tx_id, delta)
    select ${ids.chainId}, u.addr, u.height, u.position, u.tx, u.delta
    from unnest(${history.map((x) => idOf.get(addressScript(x.addr).toString())!)}::bigint[], ${history.map((x) => x.height)}::bigint[],
      ${history.map((x) => x.position)}::int[], ${history.map((x) => x.txId)}::bigint[], ${history.map((x) => x.delta.toString())}::bigint[])
      as u(addr, height, position, tx, delta)`;
}

/** Undo everything above `height`: summaries are reversed from the history rows, addresses first seen above it
 *  go, and the id counters restart after the highest remaining ids, exactly where a clean index would be. */
export async function rollbackTcBlocks(sql: Tx, ids: IdCounters, height: number): Promise<void> {
  const chainId = ids.chainId;
  await sql`
    with d as (
      select address_id, sum(delta) as delta, sum(greatest(delta, 0)) as received, sum(greatest(-delta, 0)) as sent, count(*) as txs
      from btc_address_tx where chain_id = ${chainId} and height > ${height} group by address_id)
    update btc_address a set balance = a.balance - d.delta, received = a.received - d.received, sent = a.sent - d.sent, tx_count = a.tx_count - d.txs
    from d where a.id = d.address_id`;
  await sql`delete from btc_address_tx where chain_id = ${chainId} and height > ${height}`;
  await sql`delete from btc_address where chain_id = ${chainId} and first_height > ${height}`;
  await sql`
    update btc_address a set last_height = (select max(t.height) from btc_address_tx t where t.chain_id = a.chain_id and t.address_id = a.id)
    where a.chain_id = ${chainId} and a.last_height > ${height}`;
  await sql`delete from btc_tx where chain_id = ${chainId} and height > ${height}`;
  const lo = makeId(chainId, 0n).toString();
  const hi = makeId(chainId + 1, 0n).toString();
  const [tx] = await sql`select (coalesce(max(id) - ${lo}::bigint + 1, 0))::text as n from btc_tx where id >= ${lo}::bigint and id < ${hi}::bigint`;
  const [addr] = await sql`select (coalesce(max(id) - ${lo}::bigint + 1, 0))::text as n from btc_address where id >= ${lo}::bigint and id < ${hi}::bigint`;
  ids.nextTxSeq = BigInt(tx.n);
  ids.nextAddrSeq = BigInt(addr.n);
}
