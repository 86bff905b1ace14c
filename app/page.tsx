import { HomeLive } from "./_components/home-live";
import { ErrorState } from "./_components/states";
import { errorText, gql } from "./_lib/gql";
import { CHAINS_QUERY, homeQuery, type ChainTip, type HomeData } from "./_lib/home-query";

export const dynamic = "force-dynamic";

export default async function Home() {
  const first = await gql<{ chains: ChainTip[] }>(CHAINS_QUERY);
  if (!first.data) return <ErrorState title="Could not load the chains" detail={errorText(first.errors)} />;
  const tips = first.data.chains;
  const { query, variables } = homeQuery(tips);
  const res = await gql<HomeData>(query, variables);
  if (!res.data) return <ErrorState title="Could not load the latest blocks" detail={errorText(res.errors)} />;
  return (
    <>
      <h1 className="sr-only">Chainproof explorer</h1>
      <HomeLive chainIds={tips.map((c) => c.id)} initial={res.data} />
    </>
  );
}
