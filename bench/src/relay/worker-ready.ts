import { request } from 'node:http';

/**
 * Waits until `count` different processes answer `url` (each request on a connection of its own,
 * which a cluster hands to its workers in turn); `header` names the answering process.
 */
export async function waitForWorkers(url: string, count: number, header: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  while (seen.size < count) {
    if (Date.now() > deadline) throw new Error(`only ${seen.size} of ${count} workers answered ${url}`);
    const worker = await answeringWorker(url, header).catch(() => undefined);
    if (worker !== undefined) seen.add(worker);
    else await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function answeringWorker(url: string, header: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      const value = res.headers[header.toLowerCase()];
      resolve(res.statusCode === 200 && typeof value === 'string' ? value : undefined);
    });
    req.setTimeout(5_000, () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    req.end();
  });
}
