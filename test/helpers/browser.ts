// Debian's chromium driven by playwright-core: no browser download, flags that keep it off the network.
import { chromium, type Browser } from "playwright-core";
import path from "node:path";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
    ],
  });
}

/** Where the e2e run saves screenshots for people to look at. */
export const SCREENSHOTS = path.resolve("test-results/screenshots");
