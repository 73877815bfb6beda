/**
 * The four workloads of the core benchmark, each a list of flag keys plus the kind of value a caller
 * asks for. Every system expresses the same flags in its own notation (see the `*-flags.ts` files).
 */
export type WorkloadKind = 'rollout' | 'targeting' | 'split' | 'mixed';

export const CONTROL = { color: 'blue', text: 'Buy now' };
export const TREATMENT = { color: 'green', text: 'Purchase' };
export const ENTERPRISE = { color: 'black', text: 'Order' };

export const COUNTRIES_TARGETED = ['US', 'CA', 'UK'];

/** Flag keys of the mixed workload: 200 flags cycling through the three single-flag shapes. */
export function mixedFlagKeys(): { key: string; kind: Exclude<WorkloadKind, 'mixed'> }[] {
  const kinds = ['rollout', 'targeting', 'split'] as const;
  return Array.from({ length: 200 }, (_, i) => ({
    key: `mixed-${i}`,
    kind: kinds[i % 3] as Exclude<WorkloadKind, 'mixed'>,
  }));
}

export const WORKLOADS: { kind: WorkloadKind; title: string }[] = [
  { kind: 'rollout', title: '25% rollout' },
  { kind: 'targeting', title: '(country in US/CA/UK and plan = premium) or email contains "@company.com"' },
  { kind: 'split', title: 'plan rule, then 50/50 split of two object variants' },
  { kind: 'mixed', title: '200 mixed flags for one user (per user, all 200)' },
];
