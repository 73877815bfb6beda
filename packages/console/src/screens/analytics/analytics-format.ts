import type { ExperimentArm, ExperimentReport } from '@switchyard/protocol';

/** A share (0..1) as a percentage with one decimal: 0.1234 → "12.3%". */
export function percent(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

/** A difference of shares in percentage points, signed: 0.05 → "+5.0 pp". */
export function points(difference: number): string {
  return `${difference >= 0 ? '+' : '−'}${Math.abs(difference * 100).toFixed(1)} pp`;
}

/** A relative change, signed: 0.5 → "+50.0%". */
export function uplift(relative: number | null): string {
  if (relative === null) return '—';
  return `${relative >= 0 ? '+' : '−'}${Math.abs(relative * 100).toFixed(1)}%`;
}

/** A p-value with three significant digits; below 0.001 as "< 0.001". */
export function pValueText(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toPrecision(3);
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** The comparison of an arm with the control, in plain words. */
export function significanceWords(arm: ExperimentArm, control: string): string {
  const comparison = arm.comparison;
  if (arm.isControl) return 'The control: the others are compared with it.';
  if (comparison === null)
    return arm.weight === 0 ? 'Not part of the split (weight 0): not compared.' : 'Not compared yet.';
  const direction = comparison.absoluteDifference >= 0 ? 'higher' : 'lower';
  if (comparison.significant) {
    return `Significant: ${arm.variant} converts ${direction} than ${control} (p ${pValueText(comparison.pValue)}, below 0.05); a difference this large is unlikely to be chance.`;
  }
  return `Not significant: the difference from ${control} could well be chance (p ${pValueText(comparison.pValue)}, 0.05 or more).`;
}

/** Users each arm in the split still needs before the relay compares them, and their sum. */
export function usersStillNeeded(report: ExperimentReport): {
  total: number;
  byArm: Array<{ variant: string; needed: number }>;
} {
  const byArm = report.arms
    .filter((arm) => arm.isControl || arm.weight > 0)
    .map((arm) => ({ variant: arm.variant, needed: Math.max(0, report.minUsersPerVariant - arm.users) }))
    .filter((arm) => arm.needed > 0);
  return { total: byArm.reduce((sum, arm) => sum + arm.needed, 0), byArm };
}
