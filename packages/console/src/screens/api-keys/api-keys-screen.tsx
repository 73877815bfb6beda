/** Screen "API keys": console B fills it in. */
export default function ApiKeysScreen() {
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">API keys</h1>
      <p className="muted">Coming soon.</p>
    </section>
  );
}
