import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Where the OFREP OpenAPI document lives; read from there, never copied into the repository. */
const OFREP_OPENAPI_PATH = process.env.SWITCHYARD_OFREP_OPENAPI ?? '/work/shared/ofrep/openapi.yaml';

type Schema = Record<string, unknown>;

const CODE_DEFAULT_FLAG: Schema = { type: 'object', not: { required: ['value'] } };

/**
 * Validates JSON values against the schemas of an OpenAPI 3.1 document, for the keywords the
 * OFREP document uses: $ref, type, enum, required, properties, additionalProperties, items,
 * allOf, oneOf, not, minimum, pattern. `format` and annotations are ignored.
 *
 * Two readings the document needs to mean what its text says: its flag-value branches overlap
 * (every integer is also a float), so `oneOf` holds when at least one branch matches; and
 * `codeDefaultFlag`, declared as `properties: {}` (which accepts anything, so no value's type
 * would ever be checked), is read as its description states: an answer without `value`.
 */
export class OpenApiSchemas {
  private readonly document: Schema;

  constructor(path = OFREP_OPENAPI_PATH) {
    this.document = parse(readFileSync(path, 'utf8')) as Schema;
  }

  /** The problems of `value` against `#/components/schemas/<name>`; empty when it is valid. */
  validate(name: string, value: unknown): string[] {
    return this.check({ $ref: `#/components/schemas/${name}` }, value, '$');
  }

  private resolve(ref: string): Schema {
    if (ref === '#/components/schemas/codeDefaultFlag') return CODE_DEFAULT_FLAG;
    let node: unknown = this.document;
    for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Schema)[part];
    if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
    return node as Schema;
  }

  private check(schema: Schema, value: unknown, path: string): string[] {
    const errors: string[] = [];
    if (typeof schema.$ref === 'string') errors.push(...this.check(this.resolve(schema.$ref), value, path));
    if (schema.type !== undefined && !hasType(value, schema.type as string))
      errors.push(`${path}: expected ${String(schema.type)}`);
    if (Array.isArray(schema.enum) && !schema.enum.includes(value))
      errors.push(`${path}: not one of ${schema.enum.join(', ')}`);
    if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum)
      errors.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.pattern === 'string' && typeof value === 'string' && !new RegExp(schema.pattern).test(value)) {
      errors.push(`${path}: does not match ${schema.pattern}`);
    }
    if (isObject(value)) errors.push(...this.checkObject(schema, value, path));
    if (Array.isArray(value) && isObject(schema.items)) {
      value.forEach((item, i) => errors.push(...this.check(schema.items as Schema, item, `${path}[${i}]`)));
    }
    for (const sub of (schema.allOf as Schema[] | undefined) ?? []) errors.push(...this.check(sub, value, path));
    if (Array.isArray(schema.oneOf)) {
      const matching = (schema.oneOf as Schema[]).filter((sub) => this.check(sub, value, path).length === 0).length;
      if (matching === 0) errors.push(`${path}: matches none of oneOf's ${schema.oneOf.length} schemas`);
    }
    if (isObject(schema.not) && this.check(schema.not, value, path).length === 0)
      errors.push(`${path}: matches a "not" schema`);
    return errors;
  }

  private checkObject(schema: Schema, value: Record<string, unknown>, path: string): string[] {
    const errors: string[] = [];
    for (const name of (schema.required as string[] | undefined) ?? []) {
      if (!(name in value)) errors.push(`${path}.${name}: required`);
    }
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [name, propertyValue] of Object.entries(value)) {
      const property = properties[name];
      if (property) errors.push(...this.check(property, propertyValue, `${path}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${path}.${name}: not allowed`);
      else if (isObject(schema.additionalProperties))
        errors.push(...this.check(schema.additionalProperties, propertyValue, `${path}.${name}`));
    }
    return errors;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}
