/** Screen "History and rollback": console B fills it in. */
export default function HistoryScreen({ flagName }: { flagName: string }) {
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">History and rollback</h1>
      <p className="muted">Coming soon{flagName ? ` for ${flagName}` : ''}.</p>
    </section>
  );
}
