/** Screen "Stale flags": console B fills it in. */
export default function StaleScreen() {
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Stale flags</h1>
      <p className="muted">Coming soon.</p>
    </section>
  );
}
