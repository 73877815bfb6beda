import { readFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import type { StartedRelay } from '../support/start-relay.js';

/** The header naming the worker of `switchyard serve --workers N` that answered. */
const WORKER_HEADER = 'x-switchyard-worker';

/** A request on a connection a killed worker had taken would wait for ever. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface WorkerAnswer {
  worker: number;
  status: number;
  body: any;
}

/**
 * One request on a connection of its own (no keep-alive), so the cluster hands it to the next worker
 * in turn; the answer names the worker.
 */
export function onNewConnection(
  relay: StartedRelay,
  method: string,
  path: string,
  body?: unknown,
  key = relay.adminKey,
): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${relay.url}${path}`,
      {
        method,
        agent: false,
        headers: {
          authorization: `Bearer ${key}`,
          connection: 'close',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            worker: workerOf(res),
            status: res.statusCode ?? 0,
            body: text === '' ? undefined : JSON.parse(text),
          }),
        );
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () =>
      req.destroy(new Error(`${method} ${path}: no answer within ${REQUEST_TIMEOUT_MS} ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sends `send()` until every one of `workers` workers answered at least `times` times (at most 40 tries); returns every answer. */
export async function untilEveryWorker(
  workers: number,
  send: () => Promise<WorkerAnswer>,
  times = 1,
): Promise<WorkerAnswer[]> {
  const answers: WorkerAnswer[] = [];
  const seen = new Map<number, number>();
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const answer = await send();
    answers.push(answer);
    seen.set(answer.worker, (seen.get(answer.worker) ?? 0) + 1);
    if (seen.size >= workers && [...seen.values()].every((count) => count >= times)) return answers;
  }
  throw new Error(`answers came from workers ${[...seen.keys()].join(', ')} only: ${JSON.stringify(answers)}`);
}

/** Waits until `workers` workers answer (after a start, the first serves seconds before the others). */
export async function untilWorkersServe(relay: StartedRelay, workers: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const serving = await untilEveryWorker(workers, () => onNewConnection(relay, 'GET', '/healthz')).then(
      () => true,
      (error: unknown) => {
        if (Date.now() > deadline) throw error;
        return false;
      },
    );
    if (serving) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A `GET /api/v1/flag-events` stream on a connection of its own: which worker holds it, and the events so far. */
export interface FlagEventStream {
  worker: number;
  waitFor(predicate: (data: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): void;
}

export function openFlagEvents(relay: StartedRelay): Promise<FlagEventStream> {
  return new Promise((resolve, reject) => {
    const req = request(`${relay.url}/api/v1/flag-events`, {
      agent: false,
      headers: { authorization: `Bearer ${relay.adminKey}` },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const events: any[] = [];
      const waiters = new Set<() => void>();
      let buffered = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
          const data = /^data: (.*)$/m.exec(buffered.slice(0, end))?.[1];
          buffered = buffered.slice(end + 2);
          if (data !== undefined) events.push(JSON.parse(data));
        }
        for (const waiter of waiters) waiter();
      });
      resolve({
        worker: workerOf(res),
        async waitFor(predicate, timeoutMs = 20_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const found = events.find(predicate);
            if (found !== undefined) return found;
            if (Date.now() > deadline)
              throw new Error(`no such event within ${timeoutMs} ms: ${JSON.stringify(events)}`);
            await new Promise<void>((wake) => {
              const timer = setTimeout(wake, deadline - Date.now());
              waiters.add(() => {
                clearTimeout(timer);
                waiters.clear();
                wake();
              });
            });
          }
        },
        close: () => req.destroy(),
      });
    });
    req.end();
  });
}

/** The pids of a process's children (a cluster primary's workers). */
export function childPids(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

function workerOf(res: IncomingMessage): number {
  const value = res.headers[WORKER_HEADER];
  if (typeof value !== 'string') throw new Error(`no ${WORKER_HEADER} header: is the relay running several workers?`);
  return Number(value);
}
