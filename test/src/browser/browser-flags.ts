import type { Flag } from '@switchyard/core';
import type { RelayAdmin } from '../server-provider/relay-admin.js';

/**
 * Strings that live only in flag configuration: if any reaches a client key, configuration leaked.
 * Each test context below is chosen so that no evaluated value equals one of them.
 */
export const SECRETS = {
  listedUser: 'vip-secret-user',
  rulePlan: 'secret-plan-enterprise',
  otherEnvironmentFlag: 'staging-secret-flag',
  /** A flag of the page's environment hidden from client keys (clientVisible: false), and its value. */
  serverOnlyFlag: 'server-only-secret-flag',
  serverOnlyValue: 'server-only-value-marker',
  description: 'internal-description-marker',
  owner: 'secret-owner-team',
} as const;

const common = { description: SECRETS.description, owner: SECRETS.owner, tags: ['browser-test'] };

/** The flags the browser tests render: a user list, attribute targeting, a string value, a server-only flag, a staging-only flag. */
const BROWSER_FLAGS: Array<Partial<Flag> & { name: string }> = [
  {
    ...common,
    name: 'new-checkout',
    type: 'boolean',
    variants: [],
    environments: {
      production: {
        enabled: true,
        rules: [{ strategy: 'user_list', userIds: ['alice', SECRETS.listedUser] }],
        fallthrough: { serve: false },
      },
    },
  },
  {
    ...common,
    name: 'theme',
    type: 'string',
    variants: [
      { name: 'light', value: 'light', weight: 100 },
      { name: 'dark', value: 'dark', weight: 0 },
    ],
    environments: {
      production: {
        enabled: true,
        rules: [
          {
            strategy: 'user_attribute',
            targetingRules: [{ attribute: 'plan', operator: 'in', values: ['pro', SECRETS.rulePlan] }],
            variant: 'dark',
          },
        ],
        fallthrough: { serve: true, variant: 'light' },
      },
    },
  },
  {
    ...common,
    name: 'banner-text',
    type: 'string',
    variants: [{ name: 'hello', value: 'Hello from Switchyard', weight: 100 }],
    environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
  },
  {
    ...common,
    name: 'maintenance-message',
    type: 'string',
    variants: [{ name: 'notice', value: 'Down at noon', weight: 100 }],
    environments: { production: { enabled: false, rules: [], fallthrough: { serve: true } } },
  },
  {
    ...common,
    name: SECRETS.serverOnlyFlag,
    type: 'string',
    clientVisible: false,
    variants: [{ name: 'internal', value: SECRETS.serverOnlyValue, weight: 100 }],
    environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
  },
  {
    ...common,
    name: SECRETS.otherEnvironmentFlag,
    type: 'boolean',
    variants: [],
    environments: { staging: { enabled: true, rules: [], fallthrough: { serve: true } } },
  },
];

export async function createBrowserFlags(admin: RelayAdmin): Promise<void> {
  for (const flag of BROWSER_FLAGS) await admin.createFlag(flag);
}

/** Serves `new-checkout` to `userId` too (the change the tests push to open pages). */
export function addCheckoutUser(admin: RelayAdmin, userId: string): Promise<Flag> {
  return admin.updateFlag('new-checkout', (flag) => {
    const rule = flag.environments.production!.rules[0]!;
    rule.userIds = [...(rule.userIds ?? []), userId];
    return flag;
  });
}
