import cluster from 'node:cluster';
import express from 'express';

/**
 * The ceiling: a bare Express 5 app answering POST /evaluate and POST /bulk with the relay's own
 * answers (parsed JSON body in, the same JSON out), on BARE_WORKERS processes like
 * `switchyard serve --workers N`. Run by the relay bench as its own process tree.
 */
const workers = Number(process.env.BARE_WORKERS ?? '1');
const port = Number(process.env.BARE_PORT);
const answers = JSON.parse(process.env.BARE_ANSWERS ?? '{}') as Record<string, unknown>;

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i += 1) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const app = express();
  app.use(express.json());
  for (const [path, answer] of Object.entries(answers)) app.post(`/${path}`, (_req, res) => res.json(answer));
  app.get('/ready', (_req, res) => res.set('x-bare-worker', String(process.pid)).json({ ok: true }));
  app.listen(port, '127.0.0.1');
}
