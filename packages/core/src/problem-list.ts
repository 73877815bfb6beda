import type { Problem } from './model.js';

/** Collects validation problems; paths are dotted (`environments.production.rules[0].percentage`). */
export class ProblemList {
  readonly problems: Problem[] = [];

  /** A problem at `path`; pass `actual` (any value, described safely) to say what was found. */
  add(path: string, expected: string, ...actual: [unknown?]): void {
    this.addText(path, expected, actual.length > 0 ? describeValue(actual[0]) : undefined);
  }

  /** A problem whose finding is already described in words. */
  addText(path: string, expected: string, got: string | undefined): void {
    const where = path === '' ? 'the flag' : path;
    this.problems.push({
      path,
      expected,
      message: `${where}: expected ${expected}${got === undefined ? '' : `, got ${got}`}`,
    });
  }

  /** A problem with a message of its own. */
  addMessage(path: string, expected: string, message: string): void {
    this.problems.push({ path, expected, message });
  }

  get count(): number {
    return this.problems.length;
  }
}

export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** A short, safe description of any value for messages (never throws, never huge). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
