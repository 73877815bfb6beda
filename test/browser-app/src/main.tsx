import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
import { OpenFeature, OpenFeatureProvider, type EvaluationContext, type Provider } from '@openfeature/react-sdk';
import { SwitchyardWebProvider } from '@switchyard/openfeature-web';
import { createRoot } from 'react-dom/client';
import { FlagsView } from './flags-view.js';

// The test opens this page as ?relay=…&key=…&provider=switchyard|ofrep&user=…
const params = new URLSearchParams(location.search);
const relayUrl = params.get('relay') ?? '';
const clientKey = params.get('key') ?? '';

function createProvider(): Provider {
  if (params.get('provider') === 'ofrep') {
    return new OFREPWebProvider({
      baseUrl: relayUrl,
      headers: [['Authorization', `Bearer ${clientKey}`]],
      cacheMode: 'disabled',
    });
  }
  // ?flushMs= lets a test leave only the page-hide flush to deliver usage; ?maxUserIds= how many ids a count keeps exactly.
  return new SwitchyardWebProvider({
    relayUrl,
    clientKey,
    usageFlushIntervalMs: Number(params.get('flushMs') ?? 1000),
    usageMaxUserIdsPerEntry: Number(params.get('maxUserIds') ?? 100),
  });
}

declare global {
  interface Window {
    /** Lets the test change the context the way a login would. */
    setFlagContext(context: EvaluationContext): Promise<void>;
    /**
     * One visitor of an A/B test, as an app would handle it: log the user in, evaluate `flagName`,
     * and when `draw` falls below that variant's chance, track the plain OpenFeature `conversion`
     * (no flag named). Answers the variant served and whether the user converted.
     */
    experimentVisit(
      user: string,
      flagName: string,
      chances: Record<string, number>,
      draw: number,
    ): Promise<{ variant: string | undefined; converted: boolean }>;
  }
}

window.setFlagContext = (context) => OpenFeature.setContext(context);
window.experimentVisit = async (user, flagName, chances, draw) => {
  await OpenFeature.setContext({ targetingKey: user });
  const client = OpenFeature.getClient();
  const { variant } = client.getStringDetails(flagName, 'none');
  const converted = variant !== undefined && draw < (chances[variant] ?? 0);
  if (converted) client.track('conversion');
  return { variant, converted };
};
void OpenFeature.setContext({ targetingKey: params.get('user') ?? 'anonymous' });
void OpenFeature.setProvider(createProvider());

createRoot(document.getElementById('root')!).render(
  <OpenFeatureProvider>
    <FlagsView />
  </OpenFeatureProvider>,
);
