/** Screen "Flag detail": one flag's configuration per environment. */
export default function FlagDetailScreen({ flagName }: { flagName: string }) {
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{flagName}</h1>
    </section>
  );
}
