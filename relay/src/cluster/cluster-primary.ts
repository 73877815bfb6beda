import cluster, { type Worker } from 'node:cluster';
import type { RelayConfig } from '../config/relay-config.js';
import type { Logger } from '../logging/logger.js';
import { createStore, storeConfigOf } from '../store/create-store.js';
import { childProcessChannel, isKind } from '../store/ipc/ipc-channel.js';
import { serveStoreOverIpc } from '../store/ipc/ipc-store-server.js';
import type { Store } from '../store/store.js';
import { PRIMARY_MESSAGE, WORKER_MESSAGE, type PrimaryMessage, type WorkerMessage } from './cluster-messages.js';
import { RestartBudget } from './restart-budget.js';

/** After the workers' own shutdown grace, how long the primary waits for them before SIGKILL. */
const STOP_MARGIN_MS = 10_000;

/** The relay stopped while starting: a worker exited before it served (a bad setting, a port in use, the store unreachable), or they kept crashing. */
export class WorkerStartError extends Error {
  constructor(readonly exitCode: number) {
    super(`the workers stopped while starting (exit code ${exitCode})`);
    this.name = 'WorkerStartError';
  }
}

/**
 * The primary of `switchyard serve --workers N` (docs/scaling.md): forks the workers (the first alone,
 * so that only it creates the first admin key and a bad setting stops start-up once), restarts a crashed
 * one (at most SWITCHYARD_WORKER_RESTART_LIMIT a minute, else it stops everything with exit code 1),
 * and on `stop()` sends SIGTERM to each and waits for them to finish their requests and write their
 * usage. With the embedded store it holds the data directory and answers the workers' store calls:
 * the one writer. It passes each worker's flag writes on to the others.
 */
export class ClusterPrimary {
  private readonly workers = new Map<number, Worker>();
  private readonly restarts: RestartBudget;
  private starting = true;
  private stopping: Promise<number> | undefined;
  private failedStop = false;
  /** Set when the primary stops on its own: a worker failed to start, or they kept crashing. */
  private exitCode: number | undefined;
  private readonly exitListeners: Array<(code: number) => void> = [];

  private constructor(
    private readonly config: RelayConfig,
    private readonly count: number,
    private readonly logger: Logger,
    private readonly store: Store | undefined,
  ) {
    this.restarts = new RestartBudget(config.workerRestartLimit);
  }

  /**
   * Opens the embedded store (not MongoDB: each worker connects), then forks the workers. Rejects with
   * WorkerStartError, every worker stopped, when one exits before it serves or they crash beyond the limit.
   */
  static async start(config: RelayConfig, count: number, logger: Logger): Promise<ClusterPrimary> {
    const store = config.mongodbUri === undefined ? await createStore(storeConfigOf(config)) : undefined;
    const primary = new ClusterPrimary(config, count, logger, store);
    cluster.setupPrimary({ serialization: 'advanced' });
    await primary.fork();
    if (primary.stopping === undefined) await Promise.all(Array.from({ length: count - 1 }, () => primary.fork()));
    if (primary.stopping !== undefined) throw new WorkerStartError(await primary.stopping);
    primary.starting = false;
    logger.info({ workers: count, port: config.port, pid: process.pid }, 'workers started');
    return primary;
  }

  /** Called once with the exit code when the primary stops on its own after start (workers kept crashing). */
  onExit(listener: (code: number) => void): void {
    this.exitListeners.push(listener);
  }

  /** SIGTERM to every worker, waits for them (SIGKILL after their grace and a margin), closes the store. Resolves with the exit code. */
  stop(): Promise<number> {
    this.stopping ??= this.stopWorkers();
    return this.stopping;
  }

  /** Forks one worker; resolves when it serves, or when it exits first. */
  private fork(): Promise<void> {
    const worker = cluster.fork();
    this.workers.set(worker.id, worker);
    if (this.store !== undefined) serveStoreOverIpc(this.store, childProcessChannel(worker));
    return new Promise((resolve) => {
      let ready = false;
      worker.on('message', (message: unknown) => {
        if (!isKind<WorkerMessage>(message, WORKER_MESSAGE)) return;
        if (message.type === 'flags-written') this.passWrite(worker);
        if (message.type === 'ready') {
          ready = true;
          resolve();
        }
      });
      worker.once('exit', (code: number | null, signal: string | null) => {
        this.workers.delete(worker.id);
        this.exited(worker, code, signal, ready);
        resolve();
      });
    });
  }

  private passWrite(writer: Worker): void {
    const message: PrimaryMessage = { kind: PRIMARY_MESSAGE, type: 'peer-flags-written' };
    for (const worker of this.workers.values()) {
      if (worker !== writer && worker.isConnected()) worker.send(message);
    }
  }

  private exited(worker: Worker, code: number | null, signal: string | null, wasReady: boolean): void {
    if (this.stopping !== undefined) {
      if (code !== 0) this.failedStop = true;
      return;
    }
    if (this.starting && !wasReady) {
      // It said why on stderr; the relay stops with its exit code (2 for a bad setting).
      this.exitCode = code ?? 1;
      void this.stop();
      return;
    }
    const fields = { worker: worker.id, pid: worker.process.pid, code, signal };
    if (!this.restarts.take()) {
      this.logger.error(
        { ...fields, restartLimit: this.config.workerRestartLimit },
        'workers keep crashing: stopping the relay (SWITCHYARD_WORKER_RESTART_LIMIT)',
      );
      this.exitCode = 1;
      void this.stop().then((exitCode) => this.exitListeners.forEach((listener) => listener(exitCode)));
      return;
    }
    this.logger.error(fields, 'worker exited; starting another');
    // A replacement that fails to start exits too, and is counted like any crash.
    void this.fork();
  }

  private async stopWorkers(): Promise<number> {
    const exits = [...this.workers.values()].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          worker.once('exit', () => resolve());
          const kill = setTimeout(
            () => worker.process.kill('SIGKILL'),
            this.config.shutdownGraceSeconds * 1000 + STOP_MARGIN_MS,
          );
          kill.unref();
          worker.process.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
    await this.store?.close();
    return this.exitCode ?? (this.failedStop ? 1 : 0);
  }
}
