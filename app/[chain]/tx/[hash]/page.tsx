import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Amount, FeeRate } from "../../../_components/amount";
import { Hash } from "../../../_components/hash";
import { BitcoinProofPanel, EvmProofPanel } from "../../../_components/merkle-proof";
import { ErrorState, NotFoundState } from "../../../_components/states";
import { Time } from "../../../_components/time";
import { VERIFICATION_FIELDS, VerificationBadges, type VerificationData } from "../../../_components/verification";
import { href, num, scaled, type Family } from "../../../_lib/format";
import { errorText, gql, isBadInput, isNotFound } from "../../../_lib/gql";
import { knownMethod } from "../../../../lib/evm/selectors";

export const dynamic = "force-dynamic";

const QUERY = /* GraphQL */ `
query TxPage($chain: ID!, $hash: String!) {
  chain(id: $chain) { id name family tipHeight }
  transaction(chain: $chain, hash: $hash) {
    __typename hash height position
    block { hash time txCount ... on BitcoinBlock { merkleRoot } ... on EvmBlock { transactionsRoot } }
    verification { ${VERIFICATION_FIELDS} }
    ... on BitcoinTransaction {
      wtxid txidMatchesRaw version locktime size vsize weight isCoinbase hasWitness inputValue outputValue fee
      inputs {
        vin isCoinbase prevTxid prevVout value address sequence scriptSigHex scriptSigAsm witness coinbaseHex
        prevTransaction { hash height }
        addressSummary { address }
      }
      outputs {
        vout value scriptType scriptPubKeyHex scriptPubKeyAsm address p2pkhEquivalent opReturnHex opReturnText
        addressSummary { address }
        spentBy { vin height transaction { hash } }
      }
      btcProof: merkleProof { siblings position root verified }
    }
    ... on EvmTransaction {
      type nonce gas gasPrice maxFeePerGas maxPriorityFeePerGas input methodId status gasUsed effectiveGasPrice value fee
      from { address } to { address isContract tokenName tokenSymbol } contractCreated { address tokenName tokenSymbol }
      logs { logIndex address { address tokenName tokenSymbol } topics data decoded { name signature params { name type value } } }
      tokenTransfers { logIndex batchIndex standard amount nftId token { address tokenName tokenSymbol tokenDecimals } from { address } to { address } }
      evmProof: merkleProof { nodes key root verified }
    }
  }
}`;

interface Addr { address: string; isContract?: boolean; tokenName?: string | null; tokenSymbol?: string | null; tokenDecimals?: number | null }
interface BtcIn {
  vin: number; isCoinbase: boolean; prevTxid: string | null; prevVout: number | null; value: string; address: string | null; sequence: string;
  scriptSigHex: string; scriptSigAsm: string; witness: string[]; coinbaseHex: string | null; prevTransaction: { hash: string; height: number } | null; addressSummary: Addr | null;
}
interface BtcOut {
  vout: number; value: string; scriptType: string; scriptPubKeyHex: string; scriptPubKeyAsm: string; address: string | null; opReturnHex: string | null; opReturnText: string | null;
  p2pkhEquivalent?: string | null; addressSummary: Addr | null; spentBy: { vin: number; height: number; transaction: { hash: string } } | null;
}
interface Tx {
  __typename: "BitcoinTransaction" | "EvmTransaction"; hash: string; height: number; position: number;
  block: { hash: string; time: number; txCount: number; merkleRoot?: string; transactionsRoot?: string };
  verification: VerificationData;
  wtxid?: string; txidMatchesRaw?: boolean; version?: number; locktime?: string; size?: number; vsize?: number; weight?: number; isCoinbase?: boolean; hasWitness?: boolean;
  inputValue?: string; outputValue?: string; fee: string; inputs?: BtcIn[]; outputs?: BtcOut[];
  btcProof?: { siblings: string[]; position: number; root: string; verified: boolean };
  evmProof?: { nodes: string[]; key: string; root: string; verified: boolean } | null;
  type?: number; nonce?: string; gas?: string; gasPrice?: string | null; maxFeePerGas?: string | null; maxPriorityFeePerGas?: string | null; input?: string; methodId?: string | null;
  status?: number; gasUsed?: string; effectiveGasPrice?: string; value?: string; from?: Addr; to?: Addr | null; contractCreated?: Addr | null;
  logs?: { logIndex: number; address: Addr; topics: string[]; data: string; decoded: { name: string; signature: string; params: { name: string; type: string; value: string }[] } | null }[];
  tokenTransfers?: { logIndex: number; batchIndex: number; standard: number; amount: string; nftId: string | null; token: Addr; from: Addr; to: Addr }[];
}
interface Data { chain: { id: string; name: string; family: Family; tipHeight: number | null }; transaction: Tx | null }
type Params = { chain: string; hash: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { hash } = await params;
  return { title: `Transaction ${hash.slice(0, 12)}…` };
}

export default async function TxPage({ params }: { params: Promise<Params> }) {
  const { chain, hash: rawHash } = await params;
  const hash = decodeURIComponent(rawHash);
  const res = await gql<Data>(QUERY, { chain, hash });
  if (!res.data) {
    if (isNotFound(res.errors) || isBadInput(res.errors)) return <NotFoundState what="Transaction" query={hash} detail={errorText(res.errors)} />;
    return <ErrorState title="Could not load this transaction" detail={errorText(res.errors)} retryHref={href.tx(chain, hash)} />;
  }
  const { chain: c, transaction: t } = res.data;
  if (!t) {
    if (res.errors) return <NotFoundState what="Transaction" query={hash} detail={errorText(res.errors)} />;
    notFound();
  }
  const confirmations = c.tipHeight != null ? c.tipHeight - t.height + 1 : null;
  const btc = t.__typename === "BitcoinTransaction";

  return (
    <article aria-labelledby="tx-title">
      <p className="crumbs"><Link href="/">Home</Link> / <Link href={href.chain(c.id)}>{c.name}</Link> / transaction</p>
      <h1 id="tx-title">Transaction</h1>
      <p><Hash value={t.hash} full /></p>
      <p className="actions"><Link href={href.trace(c.id, t.hash)} data-link="trace">Trace</Link> <span className="muted">where this transaction&apos;s value came from and went</span></p>
      <p className="muted" style={{ margin: "0.2rem 0 0" }}>Its block passed these checks before it was indexed:</p>
      <VerificationBadges v={t.verification} label="Block verification checks" />

      <section className="card" aria-labelledby="summary">
        <h2 id="summary">Summary</h2>
        <dl className="kv">
          <dt>Block</dt>
          <dd><Link href={href.block(c.id, t.height)}>{num(t.height)}</Link> <span className="muted">(transaction {t.position + 1} of {t.block.txCount})</span></dd>
          <dt>Time</dt><dd><Time unix={t.block.time} absolute /></dd>
          <dt>Confirmations</dt><dd>{confirmations == null ? "—" : num(confirmations)}</dd>
          {btc ? <BtcSummary t={t} family={c.family} /> : <EvmSummary t={t} chain={c.id} family={c.family} />}
        </dl>
      </section>

      {btc ? <BtcIo t={t} chain={c.id} family={c.family} /> : <EvmDetails t={t} chain={c.id} />}

      {btc && t.btcProof ? (
        <BitcoinProofPanel txid={t.hash} proof={t.btcProof} headerRoot={t.block.merkleRoot!} txCount={t.block.txCount} blockHref={href.block(c.id, t.height)} />
      ) : null}
      {!btc ? (
        t.evmProof ? (
          <EvmProofPanel proof={t.evmProof} position={t.position} headerRoot={t.block.transactionsRoot!} />
        ) : (
          <section className="card" aria-labelledby="proof-title">
            <h2 id="proof-title">Inclusion proof</h2>
            <p className="muted">The index does not keep this transaction&apos;s signed bytes yet, so no transactions-trie proof can be built. The block&apos;s transactionsRoot was verified when it was indexed.</p>
          </section>
        )
      ) : null}
    </article>
  );
}

function BtcSummary({ t, family }: { t: Tx; family: Family }) {
  return (
    <>
      <dt>Fee</dt>
      <dd>{t.isCoinbase ? <span className="muted">none (coinbase)</span> : <><Amount value={t.fee} family={family} /> · <FeeRate fee={t.fee} vsize={t.vsize!} /></>}</dd>
      <dt>Input / output</dt><dd><Amount value={t.inputValue!} family={family} /> → <Amount value={t.outputValue!} family={family} /></dd>
      <dt>Size</dt><dd>{num(t.size!)} B · {num(t.vsize!)} vB · {num(t.weight!)} WU</dd>
      <dt>Version / locktime</dt><dd>{t.version} / {t.locktime}</dd>
      <dt>Witness txid</dt><dd><Hash value={t.wtxid!} />{t.hasWitness ? <> <span className="tag">segwit</span></> : null}</dd>
      <dt>Raw bytes</dt><dd>{t.txidMatchesRaw ? <span className="ok">✓ stored bytes hash to this txid</span> : <span className="bad">✗ stored bytes do not hash to this txid</span>}</dd>
    </>
  );
}

function BtcIo({ t, chain, family }: { t: Tx; chain: string; family: Family }) {
  return (
    <section className="card" aria-labelledby="io-title">
      <h2 id="io-title">Inputs and outputs</h2>
      <div className="io">
        <div aria-labelledby="inputs-title" data-section="inputs">
          <h3 id="inputs-title">Inputs ({t.inputs!.length})</h3>
          {t.inputs!.map((i) => (
            <div className="io-item" key={i.vin} data-vin={i.vin}>
              <div className="row">
                <span className="muted">#{i.vin}</span>
                {i.isCoinbase ? <span className="tag">coinbase: new coins</span> : <Amount value={i.value} family={family} />}
              </div>
              {i.isCoinbase ? null : (
                <>
                  <div>
                    from{" "}
                    {i.addressSummary ? <Hash value={i.addressSummary.address} href={href.address(chain, i.addressSummary.address)} /> : <span className="muted">unknown script</span>}
                  </div>
                  <div className="muted" style={{ fontSize: ".88rem" }}>
                    ←{" "}
                    {i.prevTransaction ? (
                      <Link href={href.tx(chain, i.prevTransaction.hash)} data-link="funding" title={`${i.prevTransaction.hash}:${i.prevVout}`}>
                        funded by output {i.prevVout} of {i.prevTransaction.hash.slice(0, 10)}…{i.prevTransaction.hash.slice(-6)}
                      </Link>
                    ) : <span className="mono">{i.prevTxid?.slice(0, 12)}…:{i.prevVout} (not indexed)</span>}
                    {i.prevTransaction ? <> in block <Link href={href.block(chain, i.prevTransaction.height)}>{num(i.prevTransaction.height)}</Link></> : null}
                  </div>
                </>
              )}
              <details>
                <summary>{i.isCoinbase ? "Coinbase data" : "Script and witness"}</summary>
                {i.isCoinbase ? <pre>{i.coinbaseHex}</pre> : <><div className="muted">scriptSig</div><pre>{i.scriptSigAsm || "(empty)"}</pre></>}
                {i.witness.length > 0 ? <><div className="muted">witness ({i.witness.length} items)</div><pre>{i.witness.join("\n")}</pre></> : null}
                <div className="muted">sequence 0x{BigInt(i.sequence).toString(16)}</div>
              </details>
            </div>
          ))}
        </div>
        <div className="arrow" aria-hidden="true">→</div>
        <div aria-labelledby="outputs-title" data-section="outputs">
          <h3 id="outputs-title">Outputs ({t.outputs!.length})</h3>
          {t.outputs!.map((o) => (
            <div className="io-item" key={o.vout} data-vout={o.vout}>
              <div className="row">
                <span className="muted">#{o.vout} <span className="tag">{o.scriptType}</span></span>
                <Amount value={o.value} family={family} />
              </div>
              {o.scriptType === "op_return" || o.opReturnHex !== null ? (
                <div>
                  OP_RETURN{" "}
                  {o.opReturnText !== null ? <span className="optext" data-op-return-text>{o.opReturnText}</span> : null}
                  {o.opReturnHex ? <div className="muted mono" style={{ overflowWrap: "anywhere" }}>{o.opReturnHex}</div> : null}
                </div>
              ) : (
                <div>
                  to {o.addressSummary ? <Hash value={o.addressSummary.address} href={href.address(chain, o.addressSummary.address)} /> : <span className="muted">nonstandard script</span>}
                  {o.p2pkhEquivalent ? <div className="muted" style={{ fontSize: ".85rem" }}>public key; as P2PKH: <span className="mono">{o.p2pkhEquivalent}</span></div> : null}
                </div>
              )}
              <div className="muted" style={{ fontSize: ".88rem" }}>
                {o.spentBy ? (
                  <>→ <Link href={href.tx(chain, o.spentBy.transaction.hash)} data-link="spent-by" title={`${o.spentBy.transaction.hash} input ${o.spentBy.vin}`}>spent by {o.spentBy.transaction.hash.slice(0, 10)}…{o.spentBy.transaction.hash.slice(-6)}</Link> in block <Link href={href.block(chain, o.spentBy.height)}>{num(o.spentBy.height)}</Link></>
                ) : o.scriptType === "op_return" ? "unspendable" : <span className="ok">unspent</span>}
              </div>
              <details>
                <summary>scriptPubKey</summary>
                <pre>{o.scriptPubKeyAsm}</pre>
              </details>
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}

function tokenLabel(a: Addr): string {
  return a.tokenSymbol ?? a.tokenName ?? "tokens";
}

function EvmSummary({ t, chain, family }: { t: Tx; chain: string; family: Family }) {
  return (
    <>
      <dt>Status</dt><dd>{t.status === 1 ? <span className="badge ok">✓ success</span> : <span className="badge bad">✗ reverted</span>}</dd>
      <dt>From</dt><dd><Hash value={t.from!.address} href={href.address(chain, t.from!.address)} /></dd>
      <dt>To</dt>
      <dd>
        {t.to ? <><Hash value={t.to.address} href={href.address(chain, t.to.address)} />{t.to.isContract ? <> <span className="tag">contract</span></> : null}{t.to.tokenName ? <> <span className="muted">{t.to.tokenName}</span></> : null}</> : <span className="muted">contract creation</span>}
      </dd>
      {t.contractCreated ? <><dt>Contract created</dt><dd><Hash value={t.contractCreated.address} href={href.address(chain, t.contractCreated.address)} />{t.contractCreated.tokenName ? <> <span className="muted">{t.contractCreated.tokenName}</span></> : null}</dd></> : null}
      <dt>Value</dt><dd><Amount value={t.value!} family={family} /></dd>
      <dt>Fee</dt><dd><Amount value={t.fee} family={family} /> <span className="muted">({num(t.gasUsed!)} gas × {scaled(t.effectiveGasPrice!, 9)} gwei)</span></dd>
      <dt>Gas limit</dt><dd>{num(t.gas!)}</dd>
      <dt>Type / nonce</dt><dd>{t.type} / {t.nonce}</dd>
      {t.methodId ? <><dt>Method</dt><dd className="mono" title={t.methodId}>{knownMethod(t.methodId) ?? t.methodId}</dd></> : null}
    </>
  );
}

function EvmDetails({ t, chain }: { t: Tx; chain: string }) {
  return (
    <>
      <section className="card" aria-labelledby="tt-title">
        <h2 id="tt-title">Token transfers ({t.tokenTransfers!.length})</h2>
        {t.tokenTransfers!.length === 0 ? <p className="muted">None.</p> : (
          <div className="table-wrap">
            <table aria-label="Token transfers">
              <thead><tr><th scope="col">Token</th><th scope="col" className="hide-sm">From</th><th scope="col">To</th><th scope="col" className="num">Amount</th></tr></thead>
              <tbody>
                {t.tokenTransfers!.map((x) => (
                  <tr key={`${x.logIndex}:${x.batchIndex}`}>
                    <td>
                      <Link href={href.address(chain, x.token.address)} data-token-name>{x.token.tokenName ?? x.token.address}</Link>{" "}
                      <span className="tag">ERC-{x.standard}</span>
                    </td>
                    <td className="hide-sm"><Hash value={x.from.address} href={href.address(chain, x.from.address)} head={6} tail={4} /></td>
                    <td><Hash value={x.to.address} href={href.address(chain, x.to.address)} head={6} tail={4} /></td>
                    <td className="num">
                      {x.nftId != null ? <>id <span className="mono">{x.nftId}</span>{x.standard === 1155 ? <> × {x.amount}</> : null}</> : <>{scaled(x.amount, x.token.tokenDecimals ?? 0)} <span className="muted">{tokenLabel(x.token)}</span></>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="logs-title">
        <h2 id="logs-title">Logs ({t.logs!.length})</h2>
        {t.logs!.length === 0 ? <p className="muted">None.</p> : t.logs!.map((l) => (
          <div className="io-item" key={l.logIndex}>
            <div className="row">
              <span><span className="muted">#{l.logIndex}</span> {l.decoded ? <strong title={l.decoded.signature}>{l.decoded.name}</strong> : <span className="muted">undecoded event</span>}</span>
              <Hash value={l.address.address} href={href.address(chain, l.address.address)} head={6} tail={4} />
            </div>
            {l.decoded ? (
              <dl className="kv" style={{ marginTop: ".3rem" }}>
                {l.decoded.params.map((p) => (
                  <div key={p.name} style={{ display: "contents" }}>
                    <dt>{p.name} <span className="muted" style={{ fontWeight: 400 }}>{p.type}</span></dt>
                    <dd className="mono">{/^0x[0-9a-fA-F]{40}$/.test(p.value) ? <Hash value={p.value} href={href.address(chain, p.value)} /> : p.value}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
            <details>
              <summary>Raw topics and data</summary>
              <pre>{l.topics.join("\n")}</pre>
              <pre>{l.data}</pre>
            </details>
          </div>
        ))}
      </section>
      <section className="card" aria-labelledby="input-title">
        <h2 id="input-title">Input data</h2>
        {t.input === "0x" ? <p className="muted">None (plain value transfer).</p> : <pre>{t.input}</pre>}
      </section>
    </>
  );
}
