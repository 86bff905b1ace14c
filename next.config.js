/** @type {import('next').NextConfig} */
const nextConfig = {
  // The database driver stack stays a plain Node dependency rather than being bundled. So do graphql and the JIT
  // executor: graphql-jit compiles queries against the schema's graphql classes, and a bundled copy of either side
  // would be a second `graphql` whose type checks (instanceof) fail on the other's schema.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "postgres", "graphql", "graphql-jit", "@envelop/graphql-jit"],
  poweredByHeader: false,
  reactStrictMode: true,
  // One type gate for the whole project (`npm run typecheck`, run by .ci/run) rather than a second one here.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
