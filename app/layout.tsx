import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Chainproof",
  description: "A self-hosted, verifying block explorer for Bitcoin-family and EVM chains.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <a href="/" className="brand">Chainproof</a>
          <span className="tagline">every block verified before it is shown</span>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
