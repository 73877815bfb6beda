import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Flag } from '@switchyard/core';
import { RelayAdmin } from '../server-provider/relay-admin.js';
import { startRelay, type StartedRelay } from '../support/start-relay.js';

type NewFlag = Partial<Flag> & { name: string };

const PAST_CLOCK = fileURLToPath(new URL('./past-clock.cjs', import.meta.url));
const SIXTY_DAYS_MS = 60 * 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

/** Flags created 60 days ago and never evaluated since: the stale-flag report lists them. */
const OLD_FLAGS: NewFlag[] = [
  {
    name: 'legacy-search',
    description: 'The search page before the 2026 rewrite',
    owner: 'search-team',
    tags: ['search'],
    type: 'boolean',
    variants: [],
    environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
  },
  {
    name: 'holiday-banner-2025',
    description: 'Winter sale banner',
    owner: 'marketing',
    tags: ['web', 'campaign'],
    type: 'boolean',
    variants: [],
    environments: { production: { enabled: false, rules: [], fallthrough: { serve: false } } },
  },
];

export const EXPERIMENT_FLAG = 'checkout-button-test';
/** An A/B test whose users are not split as its weights say (300 against 150 at 50/50): a sample-ratio mismatch. */
export const SKEWED_EXPERIMENT_FLAG = 'pricing-page-test';
/** An A/B test with too few users to compare yet (40 and 20, of the 100 each the relay needs). */
export const YOUNG_EXPERIMENT_FLAG = 'onboarding-tour-test';

function abTest(name: string, description: string): NewFlag {
  return {
    name,
    description,
    owner: 'growth',
    tags: ['experiment'],
    type: 'string',
    variants: [
      { name: 'control', value: 'a', weight: 50 },
      { name: 'treatment', value: 'b', weight: 50 },
    ],
    environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
  };
}

/** Today's flags: a rollout, an A/B test, a gradual rollout, a kill switch. */
const CURRENT_FLAGS: NewFlag[] = [
  {
    name: 'new-checkout',
    description: 'The one-page checkout',
    owner: 'payments',
    tags: ['checkout', 'web'],
    type: 'boolean',
    variants: [],
    environments: {
      production: {
        enabled: true,
        rules: [
          { name: 'staff', strategy: 'user_list', userIds: ['alice', 'bob'] },
          { name: 'rollout', strategy: 'percentage', percentage: 10 },
        ],
        fallthrough: { serve: false },
      },
      staging: { enabled: true, rules: [], fallthrough: { serve: true } },
    },
  },
  {
    name: EXPERIMENT_FLAG,
    description: 'Green or blue checkout button',
    owner: 'growth',
    tags: ['checkout', 'experiment'],
    type: 'string',
    variants: [
      { name: 'control', value: 'blue', weight: 50 },
      { name: 'treatment', value: 'green', weight: 50 },
    ],
    environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
  },
  {
    name: 'search-suggestions',
    description: 'Type-ahead suggestions in search',
    owner: 'search-team',
    tags: ['search'],
    type: 'boolean',
    variants: [],
    environments: {
      production: {
        enabled: true,
        rules: [
          {
            name: 'ramp',
            strategy: 'gradual',
            percentage: 20,
            gradualIncrement: 10,
            gradualPeriodSeconds: 86_400,
            maxPercentage: 80,
            startDate: '2026-01-01T00:00:00Z',
          },
        ],
        fallthrough: { serve: false },
      },
    },
  },
  abTest(SKEWED_EXPERIMENT_FLAG, 'Annual or monthly prices first'),
  abTest(YOUNG_EXPERIMENT_FLAG, 'A guided tour for new users'),
  {
    name: 'payments-kill-switch',
    description: 'Turns the payment provider off in an incident',
    owner: 'payments',
    tags: ['ops'],
    type: 'boolean',
    variants: [],
    environments: { production: { enabled: false, rules: [], fallthrough: { serve: true } } },
  },
];

export interface SampleRelay {
  relay: StartedRelay;
  admin: RelayAdmin;
}

/**
 * A real relay with sample data: flags created 60 days ago (a relay started with its clock set back,
 * then restarted on the same data at today's time), today's flags with a few versions each, and
 * usage over the last hours (evaluations and conversions of the A/B test, enough users to be ready).
 */
export async function startSampleRelay(env: Record<string, string> = {}): Promise<SampleRelay> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-console-'));
  const adminKey = `sy-admin-console-${Math.random().toString(36).slice(2)}`;
  const past = await startRelay({
    dataDir,
    adminKey,
    env: { NODE_OPTIONS: `--require ${PAST_CLOCK}`, SWITCHYARD_TEST_CLOCK_OFFSET_MS: String(-SIXTY_DAYS_MS) },
  });
  const pastAdmin = new RelayAdmin(past.url, adminKey);
  for (const flag of OLD_FLAGS) await pastAdmin.createFlag(flag);
  await past.stop();
  const relay = await startRelay({ dataDir, adminKey, env });
  const close = relay.close;
  relay.close = async () => {
    await close();
    await rm(dataDir, { recursive: true, force: true });
  };
  const admin = new RelayAdmin(relay.url, adminKey);
  for (const flag of CURRENT_FLAGS) await admin.createFlag(flag);
  await admin.updateFlag('new-checkout', (flag) => withRolloutPercentage(flag, 25));
  await admin.updateFlag('new-checkout', (flag) => withRolloutPercentage(flag, 50));
  await admin.updateFlag('new-checkout', (flag) => ({
    ...flag,
    description: 'The one-page checkout, with saved cards',
  }));
  await sendUsage(admin);
  return { relay, admin };
}

function withRolloutPercentage(flag: Flag, percentage: number): Flag {
  const production = flag.environments.production!;
  return {
    ...flag,
    environments: {
      ...flag.environments,
      production: {
        ...production,
        rules: production.rules.map((rule) => (rule.name === 'rollout' ? { ...rule, percentage } : rule)),
      },
    },
  };
}

/**
 * Usage of the last six hours: evaluations of new-checkout (about half enabled), and three A/B tests:
 * 240 users per variant converting at 10% (control) and 15% (treatment), a skewed one, a young one.
 */
async function sendUsage(admin: RelayAdmin): Promise<void> {
  const now = Date.now();
  const hourStart = (hoursAgo: number) =>
    new Date(Math.floor((now - hoursAgo * HOUR_MS) / HOUR_MS) * HOUR_MS).toISOString();
  const evaluations = [];
  const events = [];
  for (let hour = 0; hour < 6; hour += 1) {
    const periodStart = hourStart(hour);
    evaluations.push(
      {
        flagName: 'new-checkout',
        enabled: true,
        count: 300 + hour * 40,
        userIds: users('checkout', hour * 50, 50),
        periodStart,
      },
      {
        flagName: 'new-checkout',
        enabled: false,
        count: 500 - hour * 30,
        userIds: users('checkout', 400 + hour * 50, 50),
        periodStart,
      },
    );
  }
  const experiments: Array<[string, string, number, number]> = [
    [EXPERIMENT_FLAG, 'control', 240, 24],
    [EXPERIMENT_FLAG, 'treatment', 240, 36],
    [SKEWED_EXPERIMENT_FLAG, 'control', 300, 30],
    [SKEWED_EXPERIMENT_FLAG, 'treatment', 150, 21],
    [YOUNG_EXPERIMENT_FLAG, 'control', 40, 4],
    [YOUNG_EXPERIMENT_FLAG, 'treatment', 20, 3],
  ];
  for (const [flagName, variant, exposedCount, converting] of experiments) {
    const exposed = users(`${flagName}-${variant}`, 0, exposedCount);
    evaluations.push({
      flagName,
      variant,
      enabled: true,
      count: exposedCount,
      userIds: exposed,
      periodStart: hourStart(1),
    });
    for (const userId of exposed.slice(0, converting)) {
      events.push({
        name: 'conversion',
        flagName,
        variant,
        userId,
        timestamp: new Date(now - HOUR_MS / 2).toISOString(),
      });
    }
  }
  await admin.request('POST', '/api/v1/usage', { environment: 'production', evaluations, events });
}

function users(prefix: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-user-${from + i}`);
}
