/**
 * One end of a message channel between two processes (a cluster worker and its primary): messages
 * are structured clones (cluster's `advanced` serialization), so `undefined` fields survive the trip.
 */
export interface IpcChannel {
  /** Throws when the channel is closed. */
  send(message: unknown): void;
  /** Returns the function that stops listening. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Called once when the other end is gone. */
  onClose(listener: () => void): void;
}

/** The worker's end: its own process's IPC channel to the primary. */
export function parentProcessChannel(): IpcChannel {
  if (process.send === undefined) throw new Error('this process has no IPC channel to a parent');
  return {
    send(message) {
      if (!process.connected) throw new Error('the IPC channel to the primary is closed');
      process.send!(message);
    },
    onMessage(listener) {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
    onClose(listener) {
      process.once('disconnect', listener);
    },
  };
}

/** The primary's end of one worker's channel (a cluster `Worker`, or any child process with IPC). */
export function childProcessChannel(child: {
  send(message: unknown): boolean;
  isConnected(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'exit', listener: () => void): unknown;
}): IpcChannel {
  return {
    send(message) {
      if (!child.isConnected()) throw new Error('the IPC channel to the worker is closed');
      child.send(message);
    },
    onMessage(listener) {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
    onClose(listener) {
      child.once('exit', listener);
    },
  };
}

/** Whether a message on a channel is one of type `T`: every message carries a `kind` naming its type. */
export function isKind<T extends { kind: string }>(message: unknown, kind: T['kind']): message is T {
  return (message as { kind?: unknown } | null)?.kind === kind;
}
