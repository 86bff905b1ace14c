"use client";
// Charts of one chain's aggregates with recharts: one card per metric, a shared interval and range, and each card's
// exact GraphQL query one click away ("Copy as GraphQL").
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { gqlFetch } from "../../_lib/gql-client";

type Interval = "BLOCK" | "HOUR" | "DAY" | "WEEK" | "MONTH";

export const SERIES_QUERY = /* GraphQL */ `query Series($chain: ID!, $metric: SeriesMetric!, $interval: SeriesInterval!, $from: String, $to: String) {
  series(chain: $chain, metric: $metric, interval: $interval, from: $from, to: $to) {
    unit from to
    points { time height blocks value percentiles { p value } mix { key value } }
  }
}`;

interface Point { time: number; height: number | null; blocks: number; value: string | null; percentiles: { p: number; value: string }[] | null; mix: { key: string; value: string }[] | null }
interface Series { unit: string; from: string; to: string; points: Point[] }

const COMMON = ["TX_COUNT", "BLOCK_COUNT", "FEES_TOTAL", "FEE_RATE_PERCENTILES", "BLOCK_SIZE", "ACTIVE_ADDRESSES", "NEW_ADDRESSES"];
const BY_FAMILY = { BITCOIN: [...COMMON, "BLOCK_WEIGHT", "SCRIPT_TYPES"], EVM: [...COMMON, "GAS_USED", "TOKEN_TRANSFERS"] };
const TITLES: Record<string, string> = {
  TX_COUNT: "Transactions", BLOCK_COUNT: "Blocks", FEES_TOTAL: "Fees", FEE_RATE_PERCENTILES: "Fee rate (10/50/90th percentile)", BLOCK_SIZE: "Mean block size",
  ACTIVE_ADDRESSES: "Active addresses", NEW_ADDRESSES: "New addresses", BLOCK_WEIGHT: "Mean block weight", SCRIPT_TYPES: "Output script types", GAS_USED: "Gas used",
  TOKEN_TRANSFERS: "Token transfers",
};
const MIX_COLOURS = ["#2f6fde", "#d9822b", "#3a9b5c", "#b04fc2", "#c23b3b", "#6b7c93", "#1aa3a3", "#8a6d3b", "#e0b400", "#444", "#999"];

export function AnalyticsView({ chain, family, tipHeight }: { chain: string; family: "BITCOIN" | "EVM"; tipHeight: number | null }) {
  const [interval, setInterval] = useState<Interval>("DAY");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  return (
    <div className="analytics">
      <form className="analytics-controls" aria-label="Range and interval" onSubmit={(e) => e.preventDefault()}>
        <label>Interval{" "}
          <select name="interval" value={interval} onChange={(e) => setInterval(e.target.value as Interval)}>
            {(["BLOCK", "HOUR", "DAY", "WEEK", "MONTH"] as const).map((i) => <option key={i} value={i}>{i.toLowerCase()}</option>)}
          </select>
        </label>{" "}
        <label>From <input name="from" value={from} onChange={(e) => setFrom(e.target.value)} placeholder={interval === "BLOCK" ? "height" : "YYYY-MM-DD"} size={12} /></label>{" "}
        <label>To <input name="to" value={to} onChange={(e) => setTo(e.target.value)} placeholder={interval === "BLOCK" ? `${tipHeight ?? "tip"}` : "YYYY-MM-DD"} size={12} /></label>
        <span className="muted"> Empty range: the latest 100 blocks or 30 intervals. Times are UTC.</span>
      </form>
      <div className="chart-grid" style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(420px, 1fr))", gap: 16 }}>
        {BY_FAMILY[family].map((metric) => (
          <Chart key={metric} chain={chain} metric={metric} interval={metric === "ACTIVE_ADDRESSES" && interval === "HOUR" ? "DAY" : interval} from={from} to={to} />
        ))}
      </div>
    </div>
  );
}

function Chart({ chain, metric, interval, from, to }: { chain: string; metric: string; interval: Interval; from: string; to: string }) {
  const variables = useMemo(() => ({ chain, metric, interval, ...(from ? { from } : {}), ...(to ? { to } : {}) }), [chain, metric, interval, from, to]);
  const q = useQuery({ queryKey: ["series", variables], queryFn: () => gqlFetch<{ series: Series }>(SERIES_QUERY, variables) });
  const [showQuery, setShowQuery] = useState(false);
  const [copied, setCopied] = useState(false);
  const text = `${SERIES_QUERY}\n\n# variables\n${JSON.stringify(variables, null, 2)}`;
  const data = (q.data?.series.points ?? []).map((p) => {
    const row: Record<string, number | string | null> = { x: interval === "BLOCK" ? String(p.height) : label(p.time, interval), value: p.value === null ? null : Number(p.value) };
    for (const pc of p.percentiles ?? []) row[`p${pc.p}`] = Number(pc.value);
    for (const m of p.mix ?? []) row[m.key] = Number(m.value);
    return row;
  });
  const mixKeys = [...new Set((q.data?.series.points ?? []).flatMap((p) => (p.mix ?? []).map((m) => m.key)))];
  const copy = async () => {
    setShowQuery(true);
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false); // clipboard refused (insecure context): the query is shown to copy by hand
    }
  };
  return (
    <figure className="card chart" data-metric={metric} data-points={data.length} style={{ margin: 0 }}>
      <figcaption style={{ display: "flex", justifyContent: "space-between", gap: 8 }}>
        <strong>{TITLES[metric] ?? metric}</strong>
        <span className="muted">{q.data ? q.data.series.unit : ""}</span>
        <button type="button" onClick={copy} aria-expanded={showQuery}>{copied ? "Copied" : "Copy as GraphQL"}</button>
      </figcaption>
      {showQuery ? <pre className="mono" data-testid="chart-query" style={{ fontSize: 11, overflowX: "auto" }}>{text}</pre> : null}
      {q.error ? <p role="alert" className="banner bad">{(q.error as Error).message}</p> : null}
      {q.isLoading ? <p role="status">Loading…</p> : null}
      {q.data && !data.length ? <p className="muted">No blocks in this range.</p> : null}
      {data.length ? (
        <div style={{ width: "100%", height: 240 }}>
          <ResponsiveContainer>
            {metric === "SCRIPT_TYPES" ? (
              <BarChart data={data}>
                <CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="x" fontSize={10} /><YAxis fontSize={10} /><Tooltip /><Legend />
                {mixKeys.map((k, i) => <Bar key={k} dataKey={k} stackId="mix" fill={MIX_COLOURS[i % MIX_COLOURS.length]} isAnimationActive={false} />)}
              </BarChart>
            ) : (
              <LineChart data={data}>
                <CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="x" fontSize={10} /><YAxis fontSize={10} /><Tooltip />
                {metric === "FEE_RATE_PERCENTILES"
                  ? [["p10", "#9bb"], ["p50", "#2f6fde"], ["p90", "#c23b3b"]].map(([k, c]) => <Line key={k} type="monotone" dataKey={k} stroke={c} dot={data.length < 60} isAnimationActive={false} />)
                  : <Line type="monotone" dataKey="value" stroke="#2f6fde" dot={data.length < 60} isAnimationActive={false} connectNulls />}
              </LineChart>
            )}
          </ResponsiveContainer>
        </div>
      ) : null}
    </figure>
  );
}

function label(t: number, interval: Interval): string {
  const iso = new Date(t * 1000).toISOString();
  return interval === "HOUR" ? iso.slice(0, 13).replace("T", " ") + "h" : interval === "MONTH" ? iso.slice(0, 7) : iso.slice(0, 10);
}
