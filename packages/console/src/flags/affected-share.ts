import { environmentConfig, type Flag, type Variant } from '@switchyard/core';
import { servedShare } from './environment-state.js';

/** What a change does to one environment's users, in words a reviewer can check. */
export interface EnvironmentImpact {
  environment: string;
  /** Served share before and after, in percent; undefined when it depends on who the users are. */
  before: number | undefined;
  after: number | undefined;
  /** Share of all users whose on/off changes, when computable. */
  affected: number | undefined;
}

/** Per relay environment whose configuration changes: the served share before and after. */
export function environmentImpacts(before: Flag, after: Flag, environments: readonly string[]): EnvironmentImpact[] {
  const impacts: EnvironmentImpact[] = [];
  for (const environment of environments) {
    const from = environmentConfig(before, environment);
    const to = environmentConfig(after, environment);
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    const shareBefore = servedShare(from);
    const shareAfter = servedShare(to);
    const affected =
      shareBefore === undefined || shareAfter === undefined ? undefined : Math.abs(shareAfter - shareBefore);
    impacts.push({ environment, before: shareBefore, after: shareAfter, affected });
  }
  return impacts;
}

/**
 * The share of served users who get another variant after a change of the weighted split: users
 * are placed on [0, 100) by their variant bucket, each variant (of non-zero weight, in order) owns
 * the next `weight` of it, as @switchyard/core's split does.
 */
export function variantShareMoved(before: readonly Variant[], after: readonly Variant[]): number {
  const from = ranges(before);
  const to = ranges(after);
  const cuts = [...new Set([0, 100, ...from.map((r) => r.end), ...to.map((r) => r.end)])].sort((x, y) => x - y);
  let moved = 0;
  for (let k = 0; k < cuts.length - 1; k++) {
    const middle = (cuts[k]! + cuts[k + 1]!) / 2;
    if (ownerAt(from, middle) !== ownerAt(to, middle)) moved += cuts[k + 1]! - cuts[k]!;
  }
  return Math.round(moved * 1000) / 1000;
}

function ranges(variants: readonly Variant[]): Array<{ name: string; end: number }> {
  let end = 0;
  return variants.filter((v) => v.weight > 0).map((v) => ({ name: v.name, end: (end += v.weight) }));
}

function ownerAt(ranges: Array<{ name: string; end: number }>, point: number): string | undefined {
  return ranges.find((range) => point < range.end)?.name;
}
