import type { AddressInfo } from 'node:net';
import type { Flag } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line import-x/no-relative-packages -- the docs' example file, tested as written (examples/ is not published)
import { startDashboard } from '../../../packages/openfeature-server/examples/express-dashboard.js';
import { startRelay, type StartedRelay } from '../support/start-relay.js';
import { RelayAdmin } from './relay-admin.js';

describe('the Express example (the seed\'s "In API Endpoints")', () => {
  let relay: StartedRelay;
  let dashboard: Awaited<ReturnType<typeof startDashboard>>;
  let url: string;

  beforeAll(async () => {
    relay = await startRelay();
    const admin = new RelayAdmin(relay.url, relay.adminKey);
    const boolean = (name: string, environments: Flag['environments']) => ({
      name,
      description: name,
      tags: [],
      type: 'boolean' as const,
      variants: [],
      environments,
    });
    await admin.createFlag(
      boolean('new-ui', { production: { enabled: true, rules: [], fallthrough: { serve: true } } }),
    );
    await admin.createFlag(
      boolean('advanced-features', {
        production: {
          enabled: true,
          rules: [
            {
              strategy: 'user_attribute',
              targetingRules: [{ attribute: 'plan', operator: 'equals', values: ['premium', 'enterprise'] }],
            },
          ],
          fallthrough: { serve: false },
        },
      }),
    );
    const { key } = await admin.createKey('server', 'production');
    dashboard = await startDashboard({ relayUrl: relay.url, sdkKey: key, port: 0 });
    url = `http://127.0.0.1:${(dashboard.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await dashboard?.stop();
    await relay?.close();
  });

  it('when a premium user asks for the dashboard, then both features are on', async () => {
    const response = await fetch(`${url}/dashboard`, {
      headers: { 'x-user-id': 'user-123', 'x-user-plan': 'premium' },
    });
    expect(await response.json()).toEqual({ new_ui: true, advanced_features: true, user_id: 'user-123' });
  });

  it('when a free user asks for the dashboard, then only the new UI is on', async () => {
    const response = await fetch(`${url}/dashboard`, { headers: { 'x-user-id': 'user-456', 'x-user-plan': 'free' } });
    expect(await response.json()).toEqual({ new_ui: true, advanced_features: false, user_id: 'user-456' });
  });
});
