// Vitest globalSetup: build the site once, before any test file starts, when the build is missing or stale.
// Without it, two e2e files that both find the build stale (site.test.ts via startSite, start.test.ts via
// `npm start`) build at the same time, and one build replaces .next under the other file's running server.
// Enable with `globalSetup: ["test/helpers/site-global-setup.ts"]` in vitest.config.ts.
import { ensureSiteBuilt } from "./site-server";

export default async function setup(): Promise<void> {
  await ensureSiteBuilt();
}
