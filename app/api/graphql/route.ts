// Next.js route for the public GraphQL API under `next dev` (`npm start` serves /api/graphql before Next sees it:
// graphql/site-server.ts); all behaviour lives in graphql/yoga.ts.
import { createApi } from "../../../graphql/yoga";

// Next wants the platform's Response class back.
const yoga = createApi({ Response: globalThis.Response });
const handle = (req: Request) => yoga.handleRequest(req, {});
export { handle as GET, handle as POST, handle as OPTIONS };

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
