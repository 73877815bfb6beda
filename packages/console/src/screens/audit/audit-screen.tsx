/** Screen "Audit log": console B fills it in. */
export default function AuditScreen() {
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Audit log</h1>
      <p className="muted">Coming soon.</p>
    </section>
  );
}
