import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OFREP_ENVIRONMENT_VARIABLES } from '../features/ofrep/ofrep-settings.js';
import { SCHEDULER_CRON_VARIABLE, STREAM_ENVIRONMENT_VARIABLES, SYNC_ENVIRONMENT_VARIABLES } from '../features/sync/realtime-settings.js';
import { USAGE_ENVIRONMENT_VARIABLES } from '../features/usage/usage-settings.js';
import { SETTINGS } from './settings.js';

const DOC = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  it.each(SETTINGS.map((setting) => [setting.env, setting.flag, setting.default] as const))(
    'documents %s with its option %s and its default',
    (env, flag, defaultValue) => {
      const row = DOC.split('\n').find((line) => line.startsWith(`| \`${env}\``));
      expect(row, `no table row for ${env}`).toBeDefined();
      expect(row).toContain(`\`${flag}\``);
      if (defaultValue !== undefined) {
        const text = Array.isArray(defaultValue) ? defaultValue.join(',') : String(defaultValue);
        expect(row).toContain(`\`${text}\``);
      }
    },
  );

  it('documents every setting of the slices that keep their own', () => {
    const variables = [
      ...Object.values(STREAM_ENVIRONMENT_VARIABLES),
      ...Object.values(SYNC_ENVIRONMENT_VARIABLES),
      SCHEDULER_CRON_VARIABLE,
      ...Object.values(OFREP_ENVIRONMENT_VARIABLES),
      ...Object.values(USAGE_ENVIRONMENT_VARIABLES),
    ];
    for (const variable of variables) expect(DOC, variable).toContain(`| \`${variable}\``);
  });
});
