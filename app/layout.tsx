import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { Providers } from "./_components/providers";
import { SearchBox } from "./_components/search-box";
import { ThemeToggle, UnitsToggle } from "./_components/toggles";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Chainproof", template: "%s · Chainproof" },
  description: "A self-hosted, verifying block explorer for Bitcoin-family and EVM chains.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0f1216" },
  ],
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* eslint-disable-next-line @next/next/no-sync-scripts */}
        <script src="/theme-init.js" />
      </head>
      <body>
        <a href="#content" className="skip">Skip to content</a>
        <Providers>
          <header className="site-header">
            <div className="bar">
              <Link href="/" className="brand" aria-label="Chainproof home">
                <span aria-hidden="true" className="logo">✓</span> Chainproof
              </Link>
              <nav className="site-nav" aria-label="Site">
                <Link href="/">Home</Link>
              </nav>
              <span className="tagline">every block verified before it is shown</span>
              <div className="header-tools">
                <UnitsToggle />
                <ThemeToggle />
              </div>
            </div>
            <SearchBox />
          </header>
          <main id="content" tabIndex={-1}>{children}</main>
          <footer className="site-footer">
            <span>Chainproof — self-hosted verifying explorer.</span>{" "}
            <a href="/api/graphql">GraphQL API</a>
          </footer>
        </Providers>
      </body>
    </html>
  );
}
