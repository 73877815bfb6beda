import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { HeaderDoc, Route } from './route.js';

type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

/** The problem+json body every error answer has. */
const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'errors'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable error code, e.g. FLAG_NOT_FOUND, VERSION_CONFLICT, INVALID_INPUT.' },
    instance: { type: 'string' },
    requestId: { type: 'string', description: "The request's X-Request-Id, also written in its log lines." },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'expected', 'message'],
        properties: { path: { type: 'string' }, expected: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

const ERROR_STATUSES: Record<number, string> = {
  400: 'Invalid input: `errors` lists each problem with its path.',
  401: 'No API key, or an unknown or revoked one.',
  403: "The key's role (or environment) does not allow this.",
  404: 'Not found (a flag: the detail says which environment was searched).',
  409: 'The name is taken, or the flag changed since the version named.',
  413: 'The body is larger than SWITCHYARD_MAX_BODY_BYTES.',
  415: 'The body is not application/json.',
  429: "Over the route's rate limit for this key and address; Retry-After says when to retry.",
  503: 'The store is unreachable.',
};

/**
 * The OpenAPI 3.1 document, generated from the routes' own zod schemas (the ones that validate
 * requests), so the document and the validation cannot drift apart.
 */
export function buildOpenApi(routes: readonly Route[], info: OpenApiInfo): JsonSchema {
  const components: Record<string, JsonSchema> = { Problem: problemSchema };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method] = operation(route, components);
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key: `Authorization: Bearer sy_<role>_<id>_<secret>`.',
        },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        queryKey: {
          type: 'apiKey',
          in: 'query',
          name: 'key',
          description: 'Only where a browser cannot send headers (EventSource).',
        },
      },
    },
  };
}

function operation(route: Route, components: Record<string, JsonSchema>): JsonSchema {
  const parameters = [
    ...parametersOf(route.params, 'path', components),
    ...parametersOf(route.query, 'query', components),
    ...Object.entries(route.requestHeaders ?? {}).map(([name, doc]) => ({
      name,
      in: 'header',
      ...headerOf(doc),
      required: doc.required ?? false,
    })),
  ];
  const op: JsonSchema = {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    parameters,
    responses: responsesOf(route, components),
  };
  if (route.access === 'public') op.security = [];
  else {
    op.security = [{ bearer: [] }, { apiKey: [] }, ...(route.keyInQuery ? [{ queryKey: [] }] : [])];
    op['x-switchyard-roles'] = [...route.access];
    op.description = `Roles: ${route.access.join(', ')}.`;
  }
  const body = route.body ? schemaOf(route.body, 'input', components) : (route.jsonBody ?? route.ownBody)?.schema;
  if (body !== undefined) {
    op.requestBody = { required: bodyRequired(route), content: { 'application/json': { schema: body } } };
  }
  return op;
}

/**
 * A request without a body reaches the route as `undefined`: required unless the route's schema
 * accepts that. A body the handler validates itself (flags) is always required.
 */
function bodyRequired(route: Route): boolean {
  if (route.body === undefined) return true;
  return !route.body.safeParse(undefined).success;
}

function headerOf(doc: HeaderDoc): JsonSchema {
  return { description: doc.description, schema: doc.schema ?? { type: 'string' } };
}

function responsesOf(route: Route, components: Record<string, JsonSchema>): JsonSchema {
  const responses: JsonSchema = {};
  for (const [status, doc] of Object.entries(route.responses)) {
    const response: JsonSchema = { description: doc.description };
    if (doc.headers !== undefined) {
      response.headers = Object.fromEntries(
        Object.entries(doc.headers).map(([name, header]) => [name, headerOf(header)]),
      );
    }
    if (doc.schema)
      response.content = {
        [doc.contentType ?? 'application/json']: { schema: schemaOf(doc.schema, 'output', components) },
      };
    else if (Number(status) >= 400) response.content = PROBLEM_CONTENT;
    responses[status] = response;
  }
  const errors =
    route.access === 'public' ? [] : [400, 401, 403, 404, 409, 413, 415, ...(route.rateLimit ? [429] : []), 503];
  for (const status of errors)
    responses[String(status)] ??= { description: ERROR_STATUSES[status], content: PROBLEM_CONTENT };
  return responses;
}

function parametersOf(
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
  components: Record<string, JsonSchema>,
): JsonSchema[] {
  if (schema === undefined) return [];
  const json = schemaOf(schema, 'input', components);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    const parameter: JsonSchema = { name, in: where, required: where === 'path' || required.has(name), schema: rest };
    if (description !== undefined) parameter.description = description;
    return parameter;
  });
}

/**
 * A zod schema as JSON Schema; named schemas (`meta({id})`) go to components and are referenced.
 * Definitions zod names itself (`__schema0`, e.g. for recursive `z.json()`) are renamed after their
 * content, so two conversions never overwrite each other's and equal ones are shared.
 */
function schemaOf(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  const { $schema: _schema, $defs, id, ...rest } = json;
  const defs = ($defs ?? {}) as Record<string, JsonSchema>;
  const names = new Map<string, string>();
  for (const [name, def] of Object.entries(defs)) {
    names.set(
      name,
      /^__schema\d+$/.test(name)
        ? `Inline${createHash('sha256').update(JSON.stringify(def)).digest('hex').slice(0, 10)}`
        : name,
    );
  }
  for (const [name, def] of Object.entries(defs)) components[names.get(name)!] = rewriteRefs(def, names) as JsonSchema;
  const body = rewriteRefs(rest, names) as JsonSchema;
  if (typeof id === 'string') {
    components[id] = body;
    return { $ref: `#/components/schemas/${id}` };
  }
  return body;
}

function rewriteRefs(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, names));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')) {
      const name = inner.slice('#/$defs/'.length);
      out[key] = `#/components/schemas/${names.get(name) ?? name}`;
    } else {
      out[key] = rewriteRefs(inner, names);
    }
  }
  return out;
}
