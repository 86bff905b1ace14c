"use client";
// Client-wide state: the TanStack Query client (live data) and the units preference (persisted in localStorage).
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useState } from "react";
import type { UnitMode } from "../_lib/format";

const UNITS_KEY = "chainproof.units";
const UnitsContext = createContext<{ mode: UnitMode; setMode: (m: UnitMode) => void }>({ mode: "coin", setMode: () => {} });

export function useUnits() {
  return useContext(UnitsContext);
}

export function Providers({ children }: { children: React.ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 1_000, retry: 1 } } }));
  const [mode, setModeState] = useState<UnitMode>("coin");
  useEffect(() => {
    try {
      const stored = localStorage.getItem(UNITS_KEY);
      if (stored === "coin" || stored === "base") setModeState(stored);
    } catch {
      // storage disabled: keep the default
    }
  }, []);
  const setMode = useCallback((m: UnitMode) => {
    setModeState(m);
    try {
      localStorage.setItem(UNITS_KEY, m);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  }, []);
  return (
    <QueryClientProvider client={client}>
      <UnitsContext.Provider value={{ mode, setMode }}>{children}</UnitsContext.Provider>
    </QueryClientProvider>
  );
}
