import { createWriteStream } from 'node:fs';
import WebSocket from 'ws';

/**
 * The relay process seen through Node's inspector (`--inspect`): heap use as the process itself
 * reports it, a forced full GC and heap snapshots, without any debug hook in the relay's own code.
 */
export class RelayInspector {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  private readonly chunkListeners = new Set<(chunk: string) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
        method?: string;
        params?: { chunk?: string };
      };
      if (message.method === 'HeapProfiler.addHeapSnapshotChunk') {
        for (const listener of this.chunkListeners) listener(message.params?.chunk ?? '');
        return;
      }
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id!);
      if (message.error !== undefined) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
  }

  /** Connects to the inspector listening on `port` (the relay started with `--inspect=127.0.0.1:<port>`). */
  static async connect(port: number): Promise<RelayInspector> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
      webSocketDebuggerUrl: string;
    }[];
    const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl, { perMessageDeflate: false });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new RelayInspector(socket);
  }

  /** `process.memoryUsage()` inside the relay. */
  async memoryUsage(): Promise<NodeJS.MemoryUsage> {
    const answer = (await this.call('Runtime.evaluate', {
      expression: 'process.memoryUsage()',
      returnByValue: true,
    })) as { result: { value: NodeJS.MemoryUsage } };
    return answer.result.value;
  }

  /** A full, blocking garbage collection in the relay. */
  async collectGarbage(): Promise<void> {
    await this.call('HeapProfiler.collectGarbage');
  }

  /** Writes a `.heapsnapshot` of the relay (open it in Chrome DevTools' Memory tab, or compare with memlab). */
  async writeHeapSnapshot(path: string): Promise<void> {
    const file = createWriteStream(path);
    const onChunk = (chunk: string): void => void file.write(chunk);
    this.chunkListeners.add(onChunk);
    try {
      await this.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    } finally {
      this.chunkListeners.delete(onChunk);
      await new Promise((resolve) => file.end(resolve));
    }
  }

  close(): void {
    this.socket.close();
  }

  private call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
}
