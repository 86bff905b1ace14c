// Next.js route for the public GraphQL API; all behaviour lives in graphql/yoga.ts.
import { yoga } from "../../../graphql/yoga";

const handle = (req: Request) => yoga.handleRequest(req, {});
export { handle as GET, handle as POST, handle as OPTIONS };

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
