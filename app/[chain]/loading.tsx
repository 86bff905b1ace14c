export default function Loading() {
  return (
    <section aria-busy="true" aria-live="polite">
      <p className="muted">Loading…</p>
      <div className="card"><div className="skeleton" style={{ width: "40%" }} /><div className="skeleton" /><div className="skeleton" style={{ width: "80%" }} /></div>
      <div className="card"><div className="skeleton" /><div className="skeleton" /><div className="skeleton" style={{ width: "60%" }} /></div>
    </section>
  );
}
