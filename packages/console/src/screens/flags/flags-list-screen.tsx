/** Screen "Flags": every flag with its state per environment. */
export function FlagsListScreen() {
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Flags</h1>
    </section>
  );
}
