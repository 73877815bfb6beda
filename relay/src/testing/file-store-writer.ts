/**
 * A child process for the embedded store's crash test: opens the store at argv[2] and writes until
 * killed, printing `ack <flag> <version>` once each write has resolved (i.e. was acknowledged).
 */
import { FileStore } from '../store/file/file-store.js';
import { sampleFlag } from './sample-flag.js';

const [dataDir, prefix = 'crash'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: file-store-writer <dataDir> [prefix]');
// A small compaction threshold, so kills also land during compactions.
const store = await FileStore.open({ dataDir, compactionThresholdBytes: 16 * 1024 });
process.stdout.write('ready\n');
for (let index = 0; ; index += 1) {
  const name = `${prefix}-${index}`;
  await store.flags.create(sampleFlag(name));
  process.stdout.write(`ack ${name} 1\n`);
  await store.flags.update(sampleFlag(name, { description: `updated ${index}` }), 1);
  process.stdout.write(`ack ${name} 2\n`);
}
