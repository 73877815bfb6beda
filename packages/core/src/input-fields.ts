import { childPath, isPlainObject, type ProblemList } from './problem-list.js';

/** Reads typed fields of one input object, reporting each problem at the field's path. */
export class InputFields {
  constructor(
    readonly input: Record<string, unknown>,
    readonly path: string,
    readonly problems: ProblemList,
  ) {}

  /** The field's value; null means absent (serializers of the seed's models write null for unset fields). */
  raw(key: string): unknown {
    const value = this.input[key];
    return value === null ? undefined : value;
  }

  at(key: string): string {
    return childPath(this.path, key);
  }

  /** Reports every key not in `allowed`, suggesting the camelCase name for snake_case ones. */
  onlyKeys(allowed: readonly string[]): void {
    for (const key of Object.keys(this.input)) {
      if (allowed.includes(key) || this.input[key] === undefined || refusedKey(key)) continue;
      const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      const hint =
        camel !== key && allowed.includes(camel)
          ? `"${camel}" (field names are camelCase)`
          : `one of ${allowed.map((k) => `"${k}"`).join(', ')}`;
      this.problems.add(this.at(key), `a known field: ${hint}`);
    }
  }

  string(
    key: string,
    options: { required?: boolean; maxLength: number; nonEmpty?: boolean; pattern?: RegExp; patternText?: string },
  ): string | undefined {
    const value = this.raw(key);
    if (value === undefined) {
      if (options.required === true) this.problems.add(this.at(key), expectedString(options));
      return undefined;
    }
    if (typeof value !== 'string') {
      this.problems.add(this.at(key), expectedString(options), value);
      return undefined;
    }
    if (value.length > options.maxLength) {
      this.problems.add(this.at(key), `at most ${options.maxLength} characters`, value);
      return undefined;
    }
    if (
      (options.nonEmpty === true && value.length === 0) ||
      (options.pattern !== undefined && !options.pattern.test(value))
    ) {
      this.problems.add(this.at(key), expectedString(options), value);
      return undefined;
    }
    return value;
  }

  number(
    key: string,
    options: { required?: boolean; min: number; max: number; integer?: boolean; minExclusive?: boolean },
  ): number | undefined {
    const value = this.raw(key);
    const expected = `${options.integer === true ? 'an integer' : 'a number'} ${options.minExclusive === true ? 'above' : 'from'} ${options.min}${
      options.max === Number.MAX_SAFE_INTEGER ? '' : ` to ${options.max}`
    }`;
    if (value === undefined) {
      if (options.required === true) this.problems.add(this.at(key), expected);
      return undefined;
    }
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (options.minExclusive === true ? value > options.min : value >= options.min) &&
      value <= options.max &&
      (options.integer !== true || Number.isInteger(value));
    if (!ok) {
      this.problems.add(this.at(key), expected, value);
      return undefined;
    }
    return value;
  }

  boolean(key: string, required = false): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined) {
      if (required) this.problems.add(this.at(key), 'true or false');
      return undefined;
    }
    if (typeof value !== 'boolean') {
      this.problems.add(this.at(key), 'true or false', value);
      return undefined;
    }
    return value;
  }

  array(key: string, options: { required?: boolean; maxItems: number; what: string }): unknown[] | undefined {
    const value = this.raw(key);
    const expected = `an array of ${options.what}`;
    if (value === undefined) {
      if (options.required === true) this.problems.add(this.at(key), expected);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.problems.add(this.at(key), expected, value);
      return undefined;
    }
    if (value.length > options.maxItems) {
      this.problems.addText(this.at(key), `at most ${options.maxItems} ${options.what}`, `${value.length} of them`);
      return undefined;
    }
    return value;
  }

  object(key: string, what: string, required = false): InputFields | undefined {
    const value = this.raw(key);
    if (value === undefined) {
      if (required) this.problems.add(this.at(key), what);
      return undefined;
    }
    if (!isPlainObject(value)) {
      this.problems.add(this.at(key), what, value);
      return undefined;
    }
    return new InputFields(value, this.at(key), this.problems);
  }
}

/** Keys json-safety already refuses (`$`-prefixed, dotted, `__proto__`): reported once, there. */
export function refusedKey(key: string): boolean {
  return key.startsWith('$') || key.includes('.') || key === '__proto__';
}

function expectedString(options: { nonEmpty?: boolean; patternText?: string }): string {
  if (options.patternText !== undefined) return options.patternText;
  return options.nonEmpty === true ? 'a non-empty string' : 'a string';
}
