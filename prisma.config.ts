import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// Offline: Prisma's native schema-engine is downloaded from outside npm, so every CLI command uses the
// wasm-backed stand-in in prisma/engine/ instead (see docs/schema.md).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL("./prisma/engine/schema-engine-shim.mjs", import.meta.url));

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // Only migrate/introspect need a URL; `generate` runs without one (npm install on a fresh clone).
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unset" },
});
