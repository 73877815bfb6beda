import type { FlagStore, StoredFlag } from '../../store/store.js';
import { FlagNotFoundError } from '../../store/store-errors.js';
import { NO_FLAG, uniqueDimension, type UsageStore } from '../../store/usage/usage-store.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import type { UsageSettings } from '../usage/usage-settings.js';
import { ExperimentNeedsVariantsError, UnknownControlVariantError } from './analytics-errors.js';
import type { ExperimentReport, FlagAnalytics, Granularity } from '@switchyard/protocol';
import { resolveRange, type RangeQuery } from './analytics-range.js';
import { experimentResults } from './experiment-results.js';
import { buildFlagAnalytics } from './flag-analytics.js';
import { UniqueCounters } from './unique-count.js';

export interface AnalyticsDependencies {
  flags: FlagStore;
  usage: UsageStore;
  /** Flushed before each query so that a relay's answers include what it was just sent. */
  recorder?: UsageRecorder;
  settings: UsageSettings;
  now?: () => number;
}

export interface FlagAnalyticsQuery extends RangeQuery {
  environment?: string | undefined;
  granularity: Granularity;
}

export interface ExperimentQuery extends RangeQuery {
  environment?: string | undefined;
  outcome: string;
  control?: string | undefined;
  /** Relative minimum detectable effect (`mde`). */
  mde: number;
  power: number;
}

/** Window of the experiment endpoint when the query names none. */
const EXPERIMENT_DEFAULT_DAYS = 30;

const EXPERIMENT_METHOD =
  'conversion = distinct converting users / distinct exposed users per variant; 95% Wilson score intervals; ' +
  'two-sided two-proportion z-test (pooled) against the control at alpha 0.05, fixed horizon; ' +
  'always-valid: mixture sequential probability ratio test (normal mixture, tau = mde x pooled rate) with a 95% confidence sequence; ' +
  'sample size: Fleiss two-proportion formula for the mde at the chosen power; ' +
  'sample ratio mismatch: chi-square goodness of fit against the configured weights, flagged at p < 0.001';

/** Reads usage for the analytics, experiment and stale-flag endpoints. */
export class AnalyticsService {
  private readonly now: () => number;

  constructor(private readonly deps: AnalyticsDependencies) {
    this.now = deps.now ?? Date.now;
  }

  async flagAnalytics(flagName: string, query: FlagAnalyticsQuery): Promise<FlagAnalytics> {
    await this.requireFlag(flagName);
    const range = resolveRange(query, this.now());
    const scope = { ...range, flagName, ...(query.environment ? { environment: query.environment } : {}) };
    const [buckets, uniqueSets, droppedBySender] = await Promise.all([
      this.deps.usage.buckets(scope),
      this.deps.usage.uniqueSets(scope),
      this.droppedBySender(range, query.environment),
    ]);
    return buildFlagAnalytics({
      flagName,
      environment: query.environment ?? null,
      range,
      granularity: query.granularity,
      buckets,
      uniqueSets,
      droppedBySender,
    });
  }

  async experiment(flagName: string, query: ExperimentQuery): Promise<ExperimentReport> {
    const flag = await this.requireFlag(flagName);
    const variants = flag.variants.map((variant) => variant.name);
    if (variants.length < 2) throw new ExperimentNeedsVariantsError(flagName);
    const control = query.control ?? (variants[0] as string);
    if (!variants.includes(control)) throw new UnknownControlVariantError(flagName, control, variants);
    const range = resolveRange(query, this.now(), EXPERIMENT_DEFAULT_DAYS);
    const dimensions = variants.flatMap((variant) => [
      uniqueDimension.variantUsers(variant),
      uniqueDimension.converters(query.outcome, variant),
    ]);
    const scope = { ...range, flagName, dimensions, ...(query.environment ? { environment: query.environment } : {}) };
    const counts = new UniqueCounters();
    const [records, droppedBySender] = await Promise.all([
      this.deps.usage.uniqueSets(scope),
      this.droppedBySender(range, query.environment),
    ]);
    for (const record of records) counts.add(record.dimension, record);
    const arms = flag.variants.map((variant) => {
      const users = counts.get(uniqueDimension.variantUsers(variant.name));
      const converters = counts.get(uniqueDimension.converters(query.outcome, variant.name));
      return {
        variant: variant.name,
        weight: variant.weight,
        users: users.count,
        converters: converters.count,
        usersExact: users.exact,
        convertersExact: converters.exact,
      };
    });
    return {
      flagName,
      environment: query.environment ?? null,
      outcome: query.outcome,
      start: range.from,
      end: range.to,
      method: EXPERIMENT_METHOD,
      ...experimentResults(
        arms,
        control,
        this.deps.settings.experimentMinUsersPerVariant,
        { minimumDetectableEffect: query.mde, power: query.power },
        droppedBySender,
      ),
    };
  }

  /** What senders reported losing (full buffers, undeliverable batches) in the range: kept per environment, not per flag. */
  private async droppedBySender(range: { from: string; to: string }, environment: string | undefined): Promise<number> {
    const buckets = await this.deps.usage.buckets({
      ...range,
      flagName: NO_FLAG,
      ...(environment ? { environment } : {}),
    });
    return buckets.reduce((total, bucket) => total + bucket.droppedBySender, 0);
  }

  private async requireFlag(flagName: string): Promise<StoredFlag> {
    if (this.deps.recorder) await this.deps.recorder.flush().catch(() => undefined);
    const flag = await this.deps.flags.get(flagName);
    if (!flag) throw new FlagNotFoundError(flagName);
    return flag;
  }
}
