import type { z } from 'zod';
import { invalidInput, type FieldProblem } from './http-errors.js';

/** Parses `value` with `schema`, or throws a 400 listing every problem with its path (prefixed by `where`). */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query' | 'params'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidInput(result.error.issues.flatMap((issue) => toProblems(issue, where)));
}

function toProblems(issue: z.core.$ZodIssue, where: string): FieldProblem[] {
  const base = issuePath(issue.path, where === 'body' ? '' : where);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: joinPath(base, key),
      expected: 'no such field',
      message: `"${key}" is not a field of this request`,
    }));
  }
  if (where === 'query' && issue.code === 'invalid_type' && issue.message.endsWith('received array')) {
    return [{ path: base, expected: expectedOf(issue), message: 'given more than once: give it once' }];
  }
  return [{ path: base, expected: expectedOf(issue), message: issue.message }];
}

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected;
    case 'invalid_value':
      return `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return `at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue ? `text matching ${String(issue.pattern)}` : issue.format;
    default:
      return 'a valid value';
  }
}

function issuePath(path: readonly PropertyKey[], prefix: string): string {
  return path.reduce<string>((text, key) => joinPath(text, key), prefix);
}

function joinPath(base: string, key: PropertyKey): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? String(key) : `${base}.${String(key)}`;
}
