import { HomeLive } from "./_components/home-live";
import { ErrorState } from "./_components/states";
import { errorText, gql } from "./_lib/gql";
import { HOME_QUERY, type HomeData } from "./_lib/home-query";

export const dynamic = "force-dynamic";

export default async function Home() {
  // The same single operation the client polls (app/_lib/home-query.ts), so the first paint is its first answer.
  const res = await gql<HomeData>(HOME_QUERY);
  if (!res.data) return <ErrorState title="Could not load the latest blocks" detail={errorText(res.errors)} />;
  return (
    <>
      <h1 className="sr-only">Chainproof explorer</h1>
      <HomeLive initial={res.data} />
    </>
  );
}
