"use client";
import { useEffect, useState } from "react";
import { useUnits } from "./providers";

export function UnitsToggle() {
  const { mode, setMode } = useUnits();
  return (
    <div className="seg" role="group" aria-label="Amount units">
      <button type="button" aria-pressed={mode === "coin"} onClick={() => setMode("coin")}>BTC · ETH</button>
      <button type="button" aria-pressed={mode === "base"} onClick={() => setMode("base")}>sat · gwei</button>
    </div>
  );
}

type Theme = "system" | "light" | "dark";
const THEME_KEY = "chainproof.theme";

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>("system");
  useEffect(() => {
    const t = document.documentElement.dataset.theme;
    setTheme(t === "light" || t === "dark" ? t : "system");
  }, []);
  const next: Record<Theme, Theme> = { system: "light", light: "dark", dark: "system" };
  const label: Record<Theme, string> = { system: "◐ Auto", light: "☀ Light", dark: "☾ Dark" };
  return (
    <button
      type="button"
      className="theme-toggle"
      aria-label={`Theme: ${theme}. Switch to ${next[theme]}`}
      onClick={() => {
        const t = next[theme];
        setTheme(t);
        try {
          if (t === "system") localStorage.removeItem(THEME_KEY);
          else localStorage.setItem(THEME_KEY, t);
        } catch {
          // storage disabled
        }
        if (t === "system") delete document.documentElement.dataset.theme;
        else document.documentElement.dataset.theme = t;
      }}
    >
      {label[theme]}
    </button>
  );
}
