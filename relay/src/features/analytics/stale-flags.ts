import type { StaleFlag, StaleFlagsReport, StaleReason } from '@switchyard/protocol';
import type { FlagStore, StoredFlag } from '../../store/store.js';
import {
  addCounters,
  emptyCounters,
  NO_FLAG,
  type UsageCounters,
  type UsageStore,
} from '../../store/usage/usage-store.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import { resolveRange, type AnalyticsRange } from './analytics-range.js';

export { STALE_REASONS, type StaleFlag, type StaleFlagsReport, type StaleReason } from '@switchyard/protocol';

export interface StaleFlagsDependencies {
  flags: FlagStore;
  usage: UsageStore;
  recorder?: UsageRecorder;
  now?: () => number;
}

const PAGE = 500;

/**
 * Flags ready for cleanup: not evaluated for `days`, or served the same way to everyone for
 * `days` (never enabled = 0%; never disabled and one variant = 100%). Flags younger than the
 * window are left out: they have not had the chance. Decided from each flag's last evaluations
 * (no scan of every bucket); only the flags listed as always-on/off have their window summed.
 */
export async function staleFlagsReport(deps: StaleFlagsDependencies, days: number): Promise<StaleFlagsReport> {
  const now = (deps.now ?? Date.now)();
  if (deps.recorder) await deps.recorder.flush().catch(() => undefined);
  const range = resolveRange({ days }, now);
  const [flags, lastEvaluations] = await Promise.all([allFlags(deps.flags), deps.usage.lastEvaluations()]);
  const usage = new Map<string, FlagUsage>();
  for (const last of lastEvaluations) {
    if (last.flagName === NO_FLAG) continue;
    let flagUsage = usage.get(last.flagName);
    if (!flagUsage)
      usage.set(
        last.flagName,
        (flagUsage = { lastEvaluatedAt: '', enabledVariants: new Set(), disabledInWindow: false }),
      );
    if (flagUsage.lastEvaluatedAt < last.hourStart) flagUsage.lastEvaluatedAt = last.hourStart;
    for (const [variant, hour] of Object.entries(last.lastEnabled))
      if (hour >= range.from) flagUsage.enabledVariants.add(variant);
    if (last.lastDisabled !== null && last.lastDisabled >= range.from) flagUsage.disabledInWindow = true;
  }
  const stale: StaleFlag[] = [];
  for (const flag of flags) {
    if (flag.createdAt > range.from) continue;
    const flagUsage = usage.get(flag.name);
    const reason = staleReason(flagUsage, range.from);
    if (!reason) continue;
    const counts =
      reason === 'not-evaluated' ? totals(undefined) : totals(await windowCounters(deps.usage, flag.name, range));
    stale.push({
      flagName: flag.name,
      owner: flag.owner ?? null,
      reason,
      lastEvaluatedAt: flagUsage?.lastEvaluatedAt || null,
      ...counts,
      createdAt: flag.createdAt,
    });
  }
  return { days, since: range.from, generatedAt: new Date(now).toISOString(), flags: stale };
}

interface FlagUsage {
  lastEvaluatedAt: string;
  /** Variants served enabled within the window. */
  enabledVariants: Set<string>;
  disabledInWindow: boolean;
}

function staleReason(usage: FlagUsage | undefined, from: string): StaleReason | null {
  if (!usage || usage.lastEvaluatedAt < from) return 'not-evaluated';
  if (usage.enabledVariants.size === 0) return 'always-disabled';
  if (!usage.disabledInWindow && usage.enabledVariants.size <= 1) return 'always-enabled';
  return null;
}

async function windowCounters(store: UsageStore, flagName: string, range: AnalyticsRange): Promise<UsageCounters> {
  const counters = emptyCounters();
  for (const bucket of await store.buckets({ ...range, flagName })) addCounters(counters, bucket);
  return counters;
}

function totals(
  counters: UsageCounters | undefined,
): Pick<StaleFlag, 'evaluations' | 'enabledCount' | 'disabledCount'> {
  let enabledCount = 0;
  let disabledCount = 0;
  for (const counts of Object.values(counters?.evaluations ?? {})) {
    enabledCount += counts.enabled;
    disabledCount += counts.disabled;
  }
  return { evaluations: enabledCount + disabledCount, enabledCount, disabledCount };
}

async function allFlags(store: FlagStore): Promise<StoredFlag[]> {
  const flags: StoredFlag[] = [];
  for (let after: string | undefined; ;) {
    const page = await store.list({ limit: PAGE, ...(after ? { after } : {}) });
    flags.push(...page);
    if (page.length < PAGE) return flags;
    after = page[page.length - 1]?.name;
  }
}
