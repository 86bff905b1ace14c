import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Integration and e2e files each start their own embedded PostgreSQL; two cores, so two at a time.
    maxWorkers: 2,
    // Build the site once, before any browser test starts a server on it.
    globalSetup: ["test/helpers/site-global-setup.ts"],
  },
});
