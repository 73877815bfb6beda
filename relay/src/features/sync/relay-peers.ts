/**
 * Other relay processes serving from the same store (the workers of one `switchyard serve --workers N`):
 * each is told of the others' flag writes, so it reads them from the store at once instead of at its
 * next poll. Without peers, the poll alone brings other relays' writes (SWITCHYARD_SYNC_INTERVAL_MS).
 */
export interface RelayPeers {
  /** This relay wrote a flag (a request, or a scheduler step). */
  announceWrite(): void;
  /** `listener` runs whenever another one wrote. */
  onPeerWrite(listener: () => void): void;
}
