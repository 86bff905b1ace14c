// Whether the built site (.next) is older than anything it is built from, so `npm start` and the browser tests
// never serve a stale build.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./config";

const SOURCES = ["app", "graphql", "lib", "generated", "next.config.js"];

export function siteBuildIsStale(root: string = ROOT): boolean {
  const buildId = path.join(root, ".next/BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((p) => newestMtime(path.join(root, p)) > built);
}

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}
