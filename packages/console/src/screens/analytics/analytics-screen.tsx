/** Screen "Analytics": console B fills it in. */
export default function AnalyticsScreen({ flagName }: { flagName?: string }) {
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Analytics</h1>
      <p className="muted">Coming soon{flagName ? ` for ${flagName}` : ''}.</p>
    </section>
  );
}
