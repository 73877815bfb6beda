import { FlagdCore } from '@openfeature/flagd-core';
import { EnvironmentFlags, type EvaluationResult, type JsonValue } from '@switchyard/core';
import { markdownTable, measureSideBySide, pairedRatio } from '../measure.js';
import type { BenchUser } from '../users.js';
import { flagdFlags } from './flagd-system.js';
import { switchyardFlagInputs, validated, type SwitchyardCore } from './switchyard-system.js';

const KINDS = ['rollout', 'targeting', 'split'] as const;
const BULK_SIZES = [1, 20, 200, 2000];

function bulkFlags<T>(count: number, build: Record<(typeof KINDS)[number], (key: string) => T>): Record<string, T> {
  const flags: Record<string, T> = {};
  for (let i = 0; i < count; i++) flags[`bulk-${i}`] = build[KINDS[i % 3]!](`bulk-${i}`);
  return flags;
}

const truthy = (value: unknown): number => (value === true || (typeof value === 'object' && value !== null) ? 1 : 0);

/**
 * Every flag for one user ("bulk"): Switchyard's EnvironmentFlags.evaluateAll (full results) and
 * valuesAll (values only) beside flagd-core's resolveAll, over 1 to 2,000 flags of the three shapes
 * in turn. Each loop reads every answer's value, as an application would.
 */
export function runBulkBench(users: BenchUser[], rounds: number, baseline?: SwitchyardCore): string {
  const contexts = users.map((u) => ({ targetingKey: u.id, country: u.country, plan: u.plan, email: u.email }));
  const n = contexts.length;
  const rows: (string | number)[][] = [];
  for (const size of BULK_SIZES) {
    const inputs = Object.values(bulkFlags(size, switchyardFlagInputs)).map(validated);
    const flags = new EnvironmentFlags(inputs, 'production');
    const before = baseline ? new baseline.EnvironmentFlags(inputs, 'production') : undefined;
    const beforeResults: EvaluationResult[] = [];
    const flagd = new FlagdCore();
    flagd.setConfigurations(JSON.stringify({ flags: bulkFlags(size, flagdFlags) }));
    const results: EvaluationResult[] = [];
    const values: (JsonValue | undefined)[] = [];
    const runners = [
      (i: number) => {
        const all = flags.evaluateAll(contexts[i % n]!, results);
        let on = 0;
        for (let f = 0; f < all.length; f++) on += truthy(all[f]!.value);
        return on;
      },
      (i: number) => {
        const all = flags.valuesAll(contexts[i % n]!, values);
        let on = 0;
        for (let f = 0; f < all.length; f++) on += truthy(all[f]);
        return on;
      },
      (i: number) => {
        const all = flagd.resolveAll(contexts[i % n]!);
        let on = 0;
        for (let f = 0; f < all.length; f++) on += truthy(all[f]!.value);
        return on;
      },
    ];
    if (before) {
      runners.push((i: number) => {
        const all = before.evaluateAll(contexts[i % n]!, beforeResults);
        let on = 0;
        for (let f = 0; f < all.length; f++) on += truthy(all[f]!.value);
        return on;
      });
    }
    const [all, valuesOnly, flagdAll, beforeAll] = measureSideBySide(runners, Math.ceil(60_000 / size), rounds);
    const perFlag = (ns: number) => (ns / size).toFixed(1);
    const ratio = pairedRatio(all!, flagdAll!);
    const ratioText = (r: typeof ratio) => `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
    rows.push([
      size.toLocaleString('en-US'),
      perFlag(all!.nsPerOp),
      perFlag(valuesOnly!.nsPerOp),
      perFlag(flagdAll!.nsPerOp),
      ratioText(ratio),
      ...(beforeAll ? [perFlag(beforeAll.nsPerOp), ratioText(pairedRatio(all!, beforeAll))] : []),
    ]);
  }
  return markdownTable(
    [
      'flags for one user',
      'Switchyard evaluateAll, ns per flag',
      'Switchyard valuesAll, ns per flag',
      'flagd-core resolveAll, ns per flag',
      'flagd / Switchyard evaluateAll (rounds min–max)',
      ...(baseline ? ['baseline evaluateAll, ns per flag', 'baseline / Switchyard evaluateAll'] : []),
    ],
    rows,
  );
}
