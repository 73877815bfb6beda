import type { StreamMessage } from '@switchyard/protocol';
import type { CallerResolver } from '../../http/caller-resolver.js';
import type { ApiKeyRole } from '../../store/store.js';
import { serviceUnavailable } from '../../http/http-errors.js';
import { defineRoute, type Route } from '../../http/route.js';
import { lastEventIdOf, SseStreamConnection, startSse } from './sse-stream-connection.js';
import { MANAGEMENT_ROLE, type StreamHub } from './stream-hub.js';

/** The console's event: which flags changed (in any environment), under the revision as its id. */
function flagEvent(message: StreamMessage): string | undefined {
  if (message.type !== 'flags-changed') return undefined;
  const data = { revision: message.revision, flagNames: message.flagNames, ...(message.all ? { all: true } : {}) };
  return `id: ${message.revision}\nevent: flags-changed\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * `GET /api/v1/flag-events`: server-sent events for the console and other management tools, with
 * the key in the `Authorization` header (never in the URL). Admin, editor and viewer keys learn which
 * flags changed, in every environment, within the relay's push latency; they re-read them over REST.
 */
const MANAGEMENT_ROLES: readonly ApiKeyRole[] = ['admin', 'editor', 'viewer'];
const SUMMARY = 'Read flag changes as they happen';
/** Suggested to a stream refused for the stream limits. */
const RETRY_AFTER_SECONDS = 5;

export function flagEventsRoute(hub: StreamHub, callers: CallerResolver): Route {
  return defineRoute({
    method: 'get',
    path: '/api/v1/flag-events',
    operationId: 'streamFlagEvents',
    summary: SUMMARY,
    tag: 'Stream',
    access: MANAGEMENT_ROLES,
    requestHeaders: {
      'Last-Event-ID': {
        description:
          'The last event id (a revision) received: the first event then names only the flags changed since, when the relay still has them.',
      },
    },
    responses: {
      200: {
        description:
          'A `text/event-stream`. First one `flags-changed` event (every flag with `"all": true`, or those changed since `Last-Event-ID`), ' +
          'then one per change: `id: <revision>`, `event: flags-changed`, `data: {"revision": …, "flagNames": […]}`; `: heartbeat` comments keep it open. ' +
          'It closes when the key is revoked (checked at each heartbeat).',
        contentType: 'text/event-stream',
      },
    },
    handle({ headers, ip, principal }) {
      const caller = { address: ip, keyId: principal.keyId };
      const refusal = hub.refusal(caller);
      if (refusal) {
        const error = serviceUnavailable('STREAM_UNAVAILABLE', refusal.reason);
        error.headers['retry-after'] = String(RETRY_AFTER_SECONDS);
        throw error;
      }
      const since = lastEventIdOf(headers['last-event-id']);
      return {
        stream(res) {
          startSse(res);
          const connection = new SseStreamConnection(res, flagEvent);
          connection.session = hub.attach(connection, {
            role: MANAGEMENT_ROLE,
            environment: '*',
            caller,
            ...(since === undefined ? {} : { since }),
            stillAuthorized: async () =>
              'principal' in (await callers.resolve({ headers }, MANAGEMENT_ROLES, SUMMARY.toLowerCase())),
          });
          res.on('close', () => hub.detach(connection.session!));
        },
      };
    },
  });
}
