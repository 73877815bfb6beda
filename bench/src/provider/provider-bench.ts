import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { InMemoryProvider, OpenFeature, type Client } from '@openfeature/server-sdk';
import { evaluateFlag, validateFlag, type EvaluationContext, type Flag } from '@switchyard/core';
import { SwitchyardProvider } from '@switchyard/openfeature-server';
import { benchUsers } from '../users.js';
import { markdownTable, measureAsyncLoop, measureLoop } from '../measure.js';

export const PROVIDER_BENCH_PACKAGES = [
  '@switchyard/openfeature-server',
  '@openfeature/server-sdk',
  '@switchyard/core',
];

const ENV = 'production';
/** Nothing listens here: the provider runs from its bootstrap snapshot, so only local evaluation is measured. */
const UNREACHABLE_RELAY = 'http://127.0.0.1:9';
const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

function rolloutFlag(name: string): Flag {
  const result = validateFlag({
    name,
    type: 'boolean',
    environments: {
      [ENV]: {
        enabled: true,
        rules: [
          {
            strategy: 'user_attribute',
            targetingRules: [{ attribute: 'plan', operator: 'equals', values: ['premium'] }],
          },
          { strategy: 'percentage', percentage: 25 },
        ],
        fallthrough: { serve: false },
      },
    },
  });
  if (!result.ok) throw new Error(`bench flag is invalid: ${JSON.stringify(result.problems)}`);
  return result.flag;
}

/** A 50/50 A/B test: evaluations of a flag with variants also feed the attribution memory (ServedVariants). */
function experimentFlag(name: string): Flag {
  const result = validateFlag({
    name,
    type: 'string',
    variants: [
      { name: 'control', value: 'blue', weight: 50 },
      { name: 'treatment', value: 'green', weight: 50 },
    ],
    environments: { [ENV]: { enabled: true, rules: [], fallthrough: { serve: true } } },
  });
  if (!result.ok) throw new Error(`bench flag is invalid: ${JSON.stringify(result.problems)}`);
  return result.flag;
}

async function providerClient(
  domain: string,
  flags: Flag[],
  enableAnalytics: boolean,
): Promise<{ client: Client; provider: SwitchyardProvider }> {
  const provider = new SwitchyardProvider({
    relayUrl: UNREACHABLE_RELAY,
    sdkKey: 'sy-bench-unused',
    initTimeoutMs: 100,
    bootstrap: { environment: ENV, flags },
    enableAnalytics,
    logger: silent,
  });
  await OpenFeature.setProviderAndWait(domain, provider);
  return { client: OpenFeature.getClient(domain), provider };
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function heapWithFlags(count: number): Promise<number> {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const flags = Array.from({ length: count }, (_, i) => rolloutFlag(`memory-flag-${i}`));
  const { provider } = await providerClient('memory', flags, false);
  flags.length = 0;
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  await provider.onClose();
  return after - before;
}

/** The OpenFeature SDK's overhead: one flag evaluated through a client, beside the core alone. */
export async function runProviderBench(): Promise<string> {
  const users = benchUsers();
  const flag = rolloutFlag('checkout-redesign');
  const contexts: EvaluationContext[] = users.map((u) => ({ targetingKey: u.id, plan: u.plan, country: u.country }));
  const n = contexts.length;
  const iterations = 100_000;
  const core = measureLoop(
    (i) => (evaluateFlag(flag, flag.name, ENV, contexts[i % n]!).value === true ? 1 : 0),
    iterations,
  );
  const quiet = await providerClient('no-analytics', [flag], false);
  const counting = await providerClient('analytics', [flag], true);
  const viaSdk = (client: Client) => async (i: number) =>
    (await client.getBooleanValue(flag.name, false, contexts[i % n]!)) ? 1 : 0;
  const sdkQuiet = await measureAsyncLoop(viaSdk(quiet.client), iterations);
  const sdkCounting = await measureAsyncLoop(viaSdk(counting.client), iterations);
  const experiment = experimentFlag('pricing-page');
  const experimenting = await providerClient('experiment', [experiment], true);
  const sdkExperiment = await measureAsyncLoop(
    async (i) =>
      (await experimenting.client.getStringValue(experiment.name, 'none', contexts[i % n]!)) === 'green' ? 1 : 0,
    iterations,
  );
  // The SDK's own floor: its in-memory provider, which does no targeting at all.
  await OpenFeature.setProviderAndWait(
    'floor',
    new InMemoryProvider({
      [flag.name]: { variants: { on: true, off: false }, defaultVariant: 'on', disabled: false },
    }),
  );
  const floor = await measureAsyncLoop(viaSdk(OpenFeature.getClient('floor')), iterations);
  await quiet.provider.onClose();
  await counting.provider.onClose();
  await experimenting.provider.onClose();
  const heapBytes = await heapWithFlags(10_000);
  const row = (name: string, ns: number) => [name, ns.toFixed(0), Math.round(1e9 / ns).toLocaleString('en-US')];
  const table = markdownTable(
    ['path', 'ns per evaluation', 'evaluations/s'],
    [
      row('@switchyard/core evaluateFlag', core.nsPerOp),
      row("OpenFeature client → the SDK's InMemoryProvider (no targeting: the SDK's floor)", floor.nsPerOp),
      row('OpenFeature client → SwitchyardProvider (analytics off)', sdkQuiet.nsPerOp),
      row('OpenFeature client → SwitchyardProvider (analytics on: counts per flag/variant/user)', sdkCounting.nsPerOp),
      row(
        'OpenFeature client → SwitchyardProvider (analytics on, a flag with variants: counts and attribution memory)',
        sdkExperiment.nsPerOp,
      ),
    ],
  );
  return `${table}\n\nHeap held by the provider with 10,000 flags loaded: **${(heapBytes / 2 ** 20).toFixed(1)} MiB** (${Math.round(heapBytes / 10_000)} bytes per flag).`;
}
