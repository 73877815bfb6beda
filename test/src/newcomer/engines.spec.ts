import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/start-relay.js';

/**
 * The Node versions we declare are true: every package installed with the repository supports
 * every version the root declares, and every package a published package pulls in supports every
 * version that package declares. Read from package-lock.json, so it needs no install.
 */

interface LockEntry {
  version?: string;
  link?: boolean;
  resolved?: string;
  engines?: { node?: unknown } | unknown[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const PUBLISHED = [
  'packages/core',
  'packages/protocol',
  'packages/openfeature-server',
  'packages/openfeature-web',
  'packages/console',
  'relay',
];

function nodeRange(entry: LockEntry | undefined): string | undefined {
  const engines = entry?.engines;
  return engines && !Array.isArray(engines) && typeof engines.node === 'string' ? engines.node : undefined;
}

/** Packages whose engines do not cover `declared`, as `path@version needs range`. */
function unsupported(declared: string, paths: Iterable<string>): string[] {
  const problems: string[] = [];
  for (const path of paths) {
    const range = nodeRange(lock.packages[path]);
    if (range !== undefined && !semver.subset(declared, range))
      problems.push(`${path}@${lock.packages[path]?.version} needs ${range}`);
  }
  return problems;
}

/** Where Node finds `name` from the package at `from`: its node_modules, then each parent's, then the root's. */
function resolveFrom(from: string, name: string): string | undefined {
  const candidates: string[] = [];
  for (let base = from; ;) {
    candidates.push(`${base}/node_modules/${name}`);
    const parent = base.lastIndexOf('/node_modules/');
    if (parent < 0) break;
    base = base.slice(0, parent);
  }
  candidates.push(`node_modules/${name}`);
  const found = candidates.find((candidate) => lock.packages[candidate] !== undefined);
  const entry = found === undefined ? undefined : lock.packages[found];
  return entry?.link && entry.resolved ? entry.resolved : found;
}

/** A workspace and everything its dependencies (and peers) pull in at run time. */
function runtimeClosure(workspace: string): Set<string> {
  const seen = new Set<string>([workspace]);
  const queue = [workspace];
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    const entry = lock.packages[path];
    for (const name of Object.keys({
      ...entry?.dependencies,
      ...entry?.optionalDependencies,
      ...entry?.peerDependencies,
    })) {
      const resolved = resolveFrom(path, name);
      if (resolved !== undefined && !seen.has(resolved)) {
        seen.add(resolved);
        queue.push(resolved);
      }
    }
  }
  return seen;
}

describe('declared Node versions', () => {
  it('the root declares a range every installed package supports (npm ci warns EBADENGINE otherwise)', () => {
    const declared = nodeRange(lock.packages['']);
    expect(declared).toBeDefined();
    expect(unsupported(declared!, Object.keys(lock.packages))).toEqual([]);
  });

  it.each(PUBLISHED)('%s declares a range its run-time dependencies support', (workspace) => {
    const declared = nodeRange(lock.packages[workspace]);
    expect(declared).toBeDefined();
    const closure = runtimeClosure(workspace);
    if (workspace === 'relay') expect([...closure].some((path) => path.endsWith('node_modules/commander'))).toBe(true);
    expect(unsupported(declared!, closure)).toEqual([]);
  });
});
