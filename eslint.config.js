// ESLint for every workspace (docs/contributing.md, "Lint and format"): typescript-eslint's recommended rules
// plus the import rules the house keeps — no import cycles, no reaching into another package's files.
// Unused exports, files and dependencies are knip's job (knip.json), run by `npm run lint` after ESLint.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Packages are used through their public entry points (`@switchyard/relay`, `@switchyard/relay/testing`). */
const deepImportPatterns = [
  {
    group: ['@switchyard/*/src', '@switchyard/*/src/**', '@switchyard/*/dist', '@switchyard/*/dist/**'],
    message: "Import the package's public entry point (its package.json `exports`), not its src/ or dist/ files.",
  },
  {
    group: ['**/relay/src/**', '**/relay/dist/**', '**/packages/*/src/**', '**/packages/*/dist/**'],
    message:
      "Import the package by name (e.g. '@switchyard/relay/testing'), not by a path into its src/ or dist/ folder.",
  },
];

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', '**/.turbo/', 'packages-dist/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'import-x': importX },
    settings: {
      // import-x reads a dependency only if its extension is listed and a parser is named for it.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ noWarnOnMultipleProjects: true })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-relative-packages': 'error',
      'import-x/no-self-import': 'error',
      'no-restricted-imports': ['error', { patterns: deepImportPatterns }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Test code reads JSON answers and documents of any shape, and asserts on that shape.
    files: ['**/*.spec.ts', '**/testing/**', 'test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Browser code: the console and the web provider (and the browser test app) run in a page.
    files: ['packages/console/**', 'packages/openfeature-web/src/**', 'test/browser-app/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
