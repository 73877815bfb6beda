import type { Logger } from '../../logging/logger.js';
import type { FlagChangeRecord } from '../../store/store.js';

export type FlagChangeListener = (record: FlagChangeRecord) => void;

/** Told of each change after a successful write on this relay (the stream pushes them on). */
export interface FlagChangeFeed {
  /** Returns the function that unsubscribes. */
  subscribe(listener: FlagChangeListener): () => void;
}

/** The feed's publishing side: a listener that throws is logged and does not stop the others. */
export class FlagChangeHub implements FlagChangeFeed {
  private readonly listeners = new Set<FlagChangeListener>();

  constructor(private readonly logger: Logger) {}

  subscribe(listener: FlagChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(record: FlagChangeRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch (error) {
        this.logger.error(
          {
            flagName: record.flagName,
            revision: record.revision,
            error,
          },
          'flag change listener failed',
        );
      }
    }
  }
}
