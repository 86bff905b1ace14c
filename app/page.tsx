import { prisma } from "../graphql/prisma";

export const dynamic = "force-dynamic";

export default async function Home() {
  const chains = await prisma().chain.findMany({ orderBy: { id: "asc" } });
  return (
    <section>
      <h1>Chains</h1>
      {chains.length === 0 ? (
        <p className="muted">No chains yet: the indexer registers them as it starts.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="Chains and sync status">
            <thead>
              <tr><th>Chain</th><th>Family</th><th>Network</th><th>Height</th><th>Node tip</th><th>Status</th><th>Source</th></tr>
            </thead>
            <tbody>
              {chains.map((c) => (
                <tr key={c.id} data-chain={c.slug}>
                  <td>{c.name}</td>
                  <td>{c.family}</td>
                  <td>{c.network}</td>
                  <td className="mono">{c.tipHeight?.toString() ?? "—"}</td>
                  <td className="mono">{c.nodeHeight?.toString() ?? "—"}</td>
                  <td className={c.status === "failed" ? "bad" : undefined}>{c.status}{c.lastError ? `: ${c.lastError}` : ""}</td>
                  <td className="muted">{c.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
