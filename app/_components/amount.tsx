"use client";
import { formatNative, type Family } from "../_lib/format";
import { useUnits } from "./providers";

/** A native amount (satoshis or wei as a decimal string) in the unit the reader chose. */
export function Amount({ value, family, signed = false }: { value: string; family: Family; signed?: boolean }) {
  const { mode } = useUnits();
  const { amount, unit } = formatNative(value, family, mode);
  const positive = signed && !amount.startsWith("-") && BigInt(value) !== 0n;
  const cls = signed ? (amount.startsWith("-") ? "amount neg" : positive ? "amount pos" : "amount") : "amount";
  const raw = family === "BITCOIN" ? `${value} sat` : `${value} wei`;
  return (
    <span className={cls} title={raw} data-value={value}>
      {positive ? "+" : ""}
      {amount} <span className="unit">{unit}</span>
    </span>
  );
}

/** A fee rate in sat/vB (Bitcoin) – unit-independent. */
export function FeeRate({ fee, vsize }: { fee: string; vsize: number }) {
  if (vsize <= 0) return <span>—</span>;
  const rate = Number(BigInt(fee) * 100n / BigInt(vsize)) / 100;
  return <span className="amount">{rate.toLocaleString("en-US", { maximumFractionDigits: 2 })} <span className="unit">sat/vB</span></span>;
}
