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
    return new OFREPWebProvider({ baseUrl: relayUrl, headers: [['Authorization', `Bearer ${clientKey}`]], cacheMode: 'disabled' });
  }
  // ?flushMs= lets a test leave only the page-hide flush to deliver usage.
  return new SwitchyardWebProvider({ relayUrl, clientKey, usageFlushIntervalMs: Number(params.get('flushMs') ?? 1000) });
}

declare global {
  interface Window {
    /** Lets the test change the context the way a login would. */
    setFlagContext(context: EvaluationContext): Promise<void>;
  }
}

window.setFlagContext = (context) => OpenFeature.setContext(context);
void OpenFeature.setContext({ targetingKey: params.get('user') ?? 'anonymous' });
void OpenFeature.setProvider(createProvider());

createRoot(document.getElementById('root')!).render(
  <OpenFeatureProvider>
    <FlagsView />
  </OpenFeatureProvider>,
);
