import type { Collection } from 'mongodb';
import { fromData, toFlagDocument, type FlagDocument, type FlagVersionDocument } from './mongo-documents.js';
import type { StoredFlag } from '../store.js';

const SETTLE_ROUNDS = 5;

/**
 * Brings the `flags` document of one flag (name + incarnation) up to its highest claimed version,
 * or removes it when that version is a tombstone. Idempotent: the writer that claimed a version
 * runs it, and so does anyone who finds the document behind its versions (a writer that died
 * between claim and update). Checks again after writing, because FerretDB may apply a concurrent,
 * older write after ours.
 */
export async function settleFlag(
  flags: Collection<FlagDocument>,
  versions: Collection<FlagVersionDocument>,
  name: string,
  incarnation: number,
): Promise<void> {
  for (let round = 0; round < SETTLE_ROUNDS; round += 1) {
    const [top] = await versions
      .find({ name, incarnation }, { projection: { _id: 0 } })
      .sort({ version: -1 })
      .limit(1)
      .toArray();
    const current = await flags.findOne({ name, incarnation }, { projection: { _id: 0, version: 1 } });
    if (!top || !current) return;
    if (top.deleted) {
      await flags.deleteOne({ name, incarnation });
    } else if (current.version < top.version) {
      const document = toFlagDocument(fromData<StoredFlag>(top), incarnation);
      await flags.updateOne({ name, incarnation, version: { $lt: top.version } }, { $set: document });
    } else {
      return;
    }
  }
}
