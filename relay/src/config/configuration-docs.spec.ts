import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optionForVariable, SLICE_ENVIRONMENT_VARIABLES } from './relay-config.js';
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

  it.each(SLICE_ENVIRONMENT_VARIABLES)(
    'documents %s of a slice that keeps its own settings, with its serve option',
    (variable) => {
      expect(DOC).toContain(`| \`${variable}\` | \`${optionForVariable(variable)}\` |`);
    },
  );

  it('gives each environment variable one row', () => {
    const rows = DOC.split('\n')
      .map((line) => /^\| `(SWITCHYARD_\w+)` \|/.exec(line)?.[1])
      .filter((name) => name !== undefined);
    expect(rows.filter((name, i) => rows.indexOf(name) !== i)).toEqual([]);
  });
});
