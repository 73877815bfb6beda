import type { BenchUser } from '../users.js';
import { mixedFlagKeys, type WorkloadKind } from './workloads.js';

/** One flag system under test: it loads the workloads' flags, then evaluates them for user i. */
export interface SystemUnderTest {
  name: string;
  /** The npm package measured, for the versions line. */
  packageName: string;
  /** Returns a function evaluating the workload for user `i` (cycled); its number feeds a checksum. */
  evaluator(kind: WorkloadKind, users: BenchUser[]): (i: number) => number;
  /** For the equivalence check: is the boolean flag of the workload on for this user? */
  isOn(kind: 'rollout' | 'targeting', user: BenchUser): boolean;
  /** For the equivalence check: the object served by the split workload. */
  splitValue(user: BenchUser): unknown;
  close?(): void;
}

/** What each system supplies: its native context, and its fastest calls for a boolean and an object flag. */
export interface SystemAdapter<Context> {
  name: string;
  packageName: string;
  toContext(user: BenchUser): Context;
  isOn(context: Context, flagKey: string): boolean;
  objectValue(context: Context, flagKey: string): unknown;
  close?(): void;
}

/**
 * Builds the evaluators the same way for every system: contexts are made once per user, outside the
 * timed loop, and each workload calls the system's own evaluation function.
 */
export function defineSystem<Context>(adapter: SystemAdapter<Context>): SystemUnderTest {
  const contexts = new Map<BenchUser[], Context[]>();
  const contextsFor = (users: BenchUser[]) => {
    let list = contexts.get(users);
    if (!list) {
      list = users.map(adapter.toContext);
      contexts.set(users, list);
    }
    return list;
  };
  const one = (ctx: Context, kind: Exclude<WorkloadKind, 'mixed'>, key: string): number =>
    kind === 'split' ? (adapter.objectValue(ctx, key) as { text: string }).text.length : adapter.isOn(ctx, key) ? 1 : 0;
  const mixed = mixedFlagKeys();
  return {
    name: adapter.name,
    packageName: adapter.packageName,
    evaluator(kind, users) {
      const ctxs = contextsFor(users);
      const n = ctxs.length;
      if (kind !== 'mixed') return (i) => one(ctxs[i % n]!, kind, kind);
      return (i) => {
        const ctx = ctxs[i % n]!;
        let sum = 0;
        for (const { key, kind: k } of mixed) sum += one(ctx, k, key);
        return sum;
      };
    },
    isOn: (kind, user) => adapter.isOn(adapter.toContext(user), kind),
    splitValue: (user) => adapter.objectValue(adapter.toContext(user), 'split'),
    close: adapter.close,
  };
}

/** The flags of every workload under their keys: the three single ones plus the 200 mixed. */
export function workloadFlags<T>(build: Record<Exclude<WorkloadKind, 'mixed'>, (key: string) => T>): Record<string, T> {
  const flags: Record<string, T> = {
    rollout: build.rollout('rollout'),
    targeting: build.targeting('targeting'),
    split: build.split('split'),
  };
  for (const { key, kind } of mixedFlagKeys()) flags[key] = build[kind](key);
  return flags;
}
