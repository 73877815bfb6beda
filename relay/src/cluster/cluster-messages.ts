/** What a worker tells the primary: it serves, or it wrote a flag (which the primary passes to the others). */
export interface WorkerMessage {
  kind: typeof WORKER_MESSAGE;
  type: 'ready' | 'flags-written';
}

/** What the primary tells a worker: another worker wrote a flag. */
export interface PrimaryMessage {
  kind: typeof PRIMARY_MESSAGE;
  type: 'peer-flags-written';
}

export const WORKER_MESSAGE = 'switchyard-worker';
export const PRIMARY_MESSAGE = 'switchyard-primary';
