/**
 * The seed's "In API Endpoints" example on Switchyard: GET /dashboard answers which features the
 * current user gets. Run it with a relay and a server key:
 *
 *   SWITCHYARD_URL=http://localhost:8080 SWITCHYARD_SERVER_KEY=sy_... npx tsx examples/express-dashboard.ts
 *   curl -H 'x-user-id: user-123' -H 'x-user-plan: premium' http://localhost:3000/dashboard
 */
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { OpenFeature } from '@openfeature/server-sdk';
import { FeatureFlagService, SwitchyardProvider, type UserContext } from '@switchyard/openfeature-server';

/** Stand-in for the application's authentication: the current user, from request headers. */
interface CurrentUser {
  id: string;
  email?: string;
  plan?: string;
}

function currentUser(request: Request, response: Response, next: NextFunction): void {
  const id = request.header('x-user-id');
  if (id === undefined) {
    response.status(401).json({ error: 'sign in first (x-user-id)' });
    return;
  }
  const user: CurrentUser = { id };
  const email = request.header('x-user-email');
  const plan = request.header('x-user-plan');
  if (email !== undefined) user.email = email;
  if (plan !== undefined) user.plan = plan;
  response.locals.user = user;
  next();
}

export function createDashboardApp(flagService: FeatureFlagService): express.Express {
  const app = express();
  app.get('/dashboard', currentUser, async (_request, response) => {
    const user = response.locals.user as CurrentUser;
    const userContext: UserContext = { userId: user.id, email: user.email, plan: user.plan };
    // Local evaluations: no request to the relay per call.
    const newUiEnabled = await flagService.isFeatureEnabled('new-ui', userContext);
    const advancedFeatures = await flagService.isFeatureEnabled('advanced-features', userContext);
    response.json({ new_ui: newUiEnabled, advanced_features: advancedFeatures, user_id: user.id });
  });
  return app;
}

/** Connects to the relay, then serves; resolves with the server and a function that stops both. */
export async function startDashboard(options: {
  relayUrl: string;
  sdkKey: string;
  port?: number;
}): Promise<{ server: Server; stop(): Promise<void> }> {
  await OpenFeature.setProviderAndWait(new SwitchyardProvider({ relayUrl: options.relayUrl, sdkKey: options.sdkKey }));
  const app = createDashboardApp(new FeatureFlagService());
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(options.port ?? 3000, () => resolve(listening));
  });
  return {
    server,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      // Closes the stream and ships the last usage counts.
      await OpenFeature.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const relayUrl = process.env.SWITCHYARD_URL ?? 'http://localhost:8080';
  const sdkKey = process.env.SWITCHYARD_SERVER_KEY;
  if (sdkKey === undefined) throw new Error('set SWITCHYARD_SERVER_KEY to a server API key');
  const port = Number(process.env.PORT ?? 3000);
  const { stop } = await startDashboard({ relayUrl, sdkKey, port });
  console.log(`dashboard on http://localhost:${port}/dashboard`);
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
