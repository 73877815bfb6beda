import { describe, expect, it } from 'vitest';
import type { AuditEntry, Store } from '../store.js';
import { AuditEntryNotFoundError } from '../store-errors.js';

function entry(id: string, at: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return { id, at, actor: 'ops key', action: 'flag.update', flagName: 'banner', ...overrides };
}

export function auditStoreContract(store: () => Store): void {
  describe('audit', () => {
    it('lists newest first, with before and after as written', async () => {
      const before = { enabled: false, weights: [1, 2], nested: { $set: 'x', 'a.b': null } };
      await store().audit.append(entry('a1', '2026-01-01T00:00:00.000Z'));
      await store().audit.append(entry('a2', '2026-01-03T00:00:00.000Z', { before, after: { enabled: true } }));
      await store().audit.append(entry('a3', '2026-01-02T00:00:00.000Z'));
      const listed = await store().audit.list({});
      expect(listed.map((item) => item.id)).toEqual(['a2', 'a3', 'a1']);
      expect(listed[0]).toEqual(entry('a2', '2026-01-03T00:00:00.000Z', { before, after: { enabled: true } }));
    });

    it('entries with the same time list the later appended first', async () => {
      for (const id of ['s1', 's2', 's3']) await store().audit.append(entry(id, '2026-01-01T00:00:00.000Z'));
      expect((await store().audit.list({})).map((item) => item.id)).toEqual(['s3', 's2', 's1']);
    });

    it('filters by flag name and since (inclusive), and limits', async () => {
      await store().audit.append(entry('f1', '2026-01-01T00:00:00.000Z'));
      await store().audit.append(entry('f2', '2026-01-02T00:00:00.000Z', { flagName: 'other' }));
      await store().audit.append(entry('f3', '2026-01-03T00:00:00.000Z'));
      await store().audit.append(
        entry('k1', '2026-01-04T00:00:00.000Z', { flagName: undefined, action: 'key.create' }),
      );
      const ids = async (query: object) => (await store().audit.list(query)).map((item) => item.id);
      expect(await ids({ flagName: 'banner' })).toEqual(['f3', 'f1']);
      expect(await ids({ since: '2026-01-02T00:00:00.000Z' })).toEqual(['k1', 'f3', 'f2']);
      expect(await ids({ flagName: 'banner', since: '2026-01-02T00:00:00.000Z' })).toEqual(['f3']);
      expect(await ids({ limit: 2 })).toEqual(['k1', 'f3']);
    });

    it('when a filter is not a string, then the store refuses it', async () => {
      await expect(store().audit.list({ flagName: { $ne: '' } as unknown as string })).rejects.toBeInstanceOf(
        TypeError,
      );
      await expect(store().audit.list({ after: { $gt: '' } as unknown as string })).rejects.toBeInstanceOf(TypeError);
    });

    it('when paged with after, then the pages hold every entry once, in list order, entries of the same time included', async () => {
      const times = ['2026-01-02', '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-02', '2026-01-01', '2026-01-02'];
      for (const [index, day] of times.entries())
        await store().audit.append(entry(`p${index}`, `${day}T00:00:00.000Z`));
      const whole = (await store().audit.list({})).map((item) => item.id);
      const paged: string[] = [];
      // Bounded, so a store that ignores `after` fails instead of paging forever.
      for (let after: string | undefined, pages = 0; pages < times.length; pages += 1) {
        const page = await store().audit.list({ limit: 2, ...(after === undefined ? {} : { after }) });
        paged.push(...page.map((item) => item.id));
        if (page.length < 2) break;
        after = page[page.length - 1]!.id;
      }
      expect(paged).toEqual(whole);
      expect(whole).toEqual(['p3', 'p6', 'p4', 'p2', 'p0', 'p5', 'p1']);
    });

    it('when paged with after and filters, then the page continues the filtered list', async () => {
      await store().audit.append(entry('g1', '2026-01-01T00:00:00.000Z'));
      await store().audit.append(entry('g2', '2026-01-02T00:00:00.000Z', { flagName: 'other' }));
      await store().audit.append(entry('g3', '2026-01-03T00:00:00.000Z'));
      await store().audit.append(entry('g4', '2026-01-04T00:00:00.000Z'));
      const ids = async (query: object) => (await store().audit.list(query)).map((item) => item.id);
      expect(await ids({ flagName: 'banner', after: 'g4' })).toEqual(['g3', 'g1']);
      expect(await ids({ since: '2026-01-02T00:00:00.000Z', after: 'g3' })).toEqual(['g2']);
      expect(await ids({ flagName: 'banner', after: 'g2' })).toEqual(['g1']);
    });

    it('when after names no entry, then the store throws AuditEntryNotFoundError', async () => {
      await store().audit.append(entry('h1', '2026-01-01T00:00:00.000Z'));
      await expect(store().audit.list({ after: 'no-such-entry' })).rejects.toBeInstanceOf(AuditEntryNotFoundError);
    });
  });
}
