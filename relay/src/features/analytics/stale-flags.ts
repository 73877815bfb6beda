import type { FlagStore, StoredFlag } from '../../store/store.js';
import { addCounters, emptyCounters, NO_FLAG, type UsageCounters, type UsageStore } from '../../store/usage-store.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import { resolveRange } from './analytics-range.js';

export const STALE_REASONS = ['not-evaluated', 'always-enabled', 'always-disabled'] as const;
export type StaleReason = (typeof STALE_REASONS)[number];

export interface StaleFlag {
  flagName: string;
  owner: string | null;
  reason: StaleReason;
  /** Start of the last hour with evaluations, in any environment; null when never evaluated. */
  lastEvaluatedAt: string | null;
  /** Within the window, all environments. */
  evaluations: number;
  enabledCount: number;
  disabledCount: number;
  createdAt: string;
}

export interface StaleFlagsReport {
  days: number;
  /** Start of the window (whole hours). */
  since: string;
  generatedAt: string;
  flags: StaleFlag[];
}

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
 * window are left out: they have not had the chance.
 */
export async function staleFlagsReport(deps: StaleFlagsDependencies, days: number): Promise<StaleFlagsReport> {
  const now = (deps.now ?? Date.now)();
  if (deps.recorder) await deps.recorder.flush().catch(() => undefined);
  const range = resolveRange({ days }, now);
  const [flags, lastEvaluations, buckets] = await Promise.all([
    allFlags(deps.flags),
    deps.usage.lastEvaluations(),
    deps.usage.buckets(range),
  ]);
  const lastByFlag = new Map<string, string>();
  for (const last of lastEvaluations) {
    if ((lastByFlag.get(last.flagName) ?? '') < last.hourStart) lastByFlag.set(last.flagName, last.hourStart);
  }
  const usageByFlag = new Map<string, UsageCounters>();
  for (const bucket of buckets) {
    if (bucket.flagName === NO_FLAG) continue;
    let counters = usageByFlag.get(bucket.flagName);
    if (!counters) usageByFlag.set(bucket.flagName, (counters = emptyCounters()));
    addCounters(counters, bucket);
  }
  const stale: StaleFlag[] = [];
  for (const flag of flags) {
    if (flag.createdAt > range.from) continue;
    const reason = staleReason(usageByFlag.get(flag.name));
    if (!reason) continue;
    const counts = totals(usageByFlag.get(flag.name));
    stale.push({
      flagName: flag.name,
      owner: flag.owner ?? null,
      reason,
      lastEvaluatedAt: lastByFlag.get(flag.name) ?? null,
      ...counts,
      createdAt: flag.createdAt,
    });
  }
  return { days, since: range.from, generatedAt: new Date(now).toISOString(), flags: stale };
}

function staleReason(counters: UsageCounters | undefined): StaleReason | null {
  const { evaluations, enabledCount, disabledCount } = totals(counters);
  if (evaluations === 0) return 'not-evaluated';
  if (enabledCount === 0) return 'always-disabled';
  const servedVariants = Object.values(counters?.evaluations ?? {}).filter((counts) => counts.enabled > 0).length;
  if (disabledCount === 0 && servedVariants <= 1) return 'always-enabled';
  return null;
}

function totals(counters: UsageCounters | undefined): Pick<StaleFlag, 'evaluations' | 'enabledCount' | 'disabledCount'> {
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
  for (let after: string | undefined; ; ) {
    const page = await store.list({ limit: PAGE, ...(after ? { after } : {}) });
    flags.push(...page);
    if (page.length < PAGE) return flags;
    after = page[page.length - 1]?.name;
  }
}
