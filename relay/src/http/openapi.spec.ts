import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLAG_LIMITS } from '@switchyard/core';
import { z } from 'zod';
import type { FlagsService } from '../features/flags/flags-service.js';
import { flagsRoutes } from '../features/flags/flags-routes.js';
import { buildOpenApi } from './openapi.js';
import { defineRoute, type Route } from './route.js';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

const INFO = { title: 't', version: '1', description: 'd' };

function route(overrides: Partial<Route>): Route {
  return defineRoute({
    method: 'post',
    path: '/things',
    operationId: 'makeThing',
    summary: 'Make a thing',
    tag: 'Things',
    access: ['admin'],
    responses: { 200: { description: 'Made.' } },
    handle: () => ({}),
    ...overrides,
  });
}

function operationOf(routeDefinition: Route): any {
  const document = buildOpenApi([routeDefinition], INFO) as any;
  return document.paths[routeDefinition.path][routeDefinition.method];
}

describe('buildOpenApi', () => {
  it.each([
    [false, [], 'Optional'],
    [true, ['deleteFlag', 'patchFlag', 'replaceFlag', 'rollbackFlag'], 'SWITCHYARD_REQUIRE_WRITE_VERSION is on'],
  ])(
    'when the relay requires write versions is %s, then 428 is documented on %j and If-Match says so',
    (requireWriteVersion, with428, ifMatchSays) => {
      const document = buildOpenApi(
        flagsRoutes({ limits: DEFAULT_FLAG_LIMITS } as FlagsService, { requireWriteVersion }),
        INFO,
      ) as any;
      const operations = Object.values(document.paths).flatMap((methods: any) => Object.values(methods)) as any[];
      expect(
        operations
          .filter((operation) => operation.responses['428'] !== undefined)
          .map((operation) => operation.operationId)
          .sort(),
      ).toEqual(with428);
      for (const operation of operations) {
        const ifMatch = (operation.parameters ?? []).find((parameter: any) => parameter.name === 'If-Match');
        if (ifMatch)
          expect(ifMatch).toMatchObject({ required: false, description: expect.stringContaining(ifMatchSays) });
      }
    },
  );

  it.each([
    ['a body schema that refuses undefined', { body: z.strictObject({ name: z.string() }) }, true],
    ['a body schema that accepts undefined', { body: z.strictObject({ name: z.string() }).optional() }, false],
    ['a body the handler validates itself', { jsonBody: { description: 'any', schema: { type: 'object' } } }, true],
  ])('when a route takes %s, then requestBody.required says whether a request may omit it', (_, bodies, required) => {
    expect(operationOf(route(bodies as Partial<Route>)).requestBody.required).toBe(required);
  });

  it('when a route declares request headers, then they are header parameters; response headers are listed on their answer', () => {
    const operation = operationOf(
      route({
        requestHeaders: {
          'If-Match': { description: 'version read' },
          'X-Trace': { description: 'trace', required: true, schema: { type: 'integer' } },
        },
        responses: { 200: { description: 'Made.', headers: { ETag: { description: 'version' } } } },
      }),
    );
    expect(operation.parameters).toEqual([
      { name: 'If-Match', in: 'header', description: 'version read', schema: { type: 'string' }, required: false },
      { name: 'X-Trace', in: 'header', description: 'trace', schema: { type: 'integer' }, required: true },
    ]);
    expect(operation.responses['200'].headers).toEqual({
      ETag: { description: 'version', schema: { type: 'string' } },
    });
  });
});

const FLAGS = '/api/v1/feature-flags';
type Operation = {
  operationId: string;
  'x-switchyard-roles'?: string[];
  parameters?: { name: string; in: string }[];
  requestBody?: { required: boolean };
  responses: Record<string, { headers?: Record<string, unknown> }>;
};

/** Every operation of the relay's own /openapi.json, with its method and path. */
function operations(document: any): { method: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

describe("the relay's /openapi.json matches what its routes do", () => {
  let t: TestRelay;
  let document: any;
  let flagNumber = 0;

  /** A new flag at version 1 (rollback needs a version 2 to go back from: it gets one). */
  async function newFlag(): Promise<string> {
    flagNumber += 1;
    const name = `documented-${flagNumber}`;
    await t.call('POST', FLAGS, { body: { name, environments: ['production'], enabled: false } });
    return name;
  }

  beforeAll(async () => {
    t = await startTestRelay();
    document = (await t.call('GET', '/openapi.json', { key: null })).body;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('when a request omits a body the document marks required, then it gets 400; one not required is answered', async () => {
    const withBodies = operations(document).filter(({ operation }) => operation.requestBody !== undefined);
    expect(withBodies.length).toBeGreaterThan(4);
    const serverKey = await t.keyFor('server', 'production');
    for (const { method, path, operation } of withBodies) {
      const url = path.replace(/\{(name|key)\}/, await newFlag());
      // OFREP takes evaluation keys only.
      const key = operation['x-switchyard-roles']?.includes('admin') === false ? serverKey : undefined;
      const answer = await t.call(method, url, { key, headers: { 'if-match': '"1"' } });
      expect({ operation: operation.operationId, refused: answer.status === 400 }, answer.text).toEqual({
        operation: operation.operationId,
        refused: operation.requestBody!.required,
      });
    }
  });

  it('declares If-Match on exactly the flag writes that read it, and each answers 409 to a stale one', async () => {
    const declaring = operations(document).filter(({ operation }) =>
      (operation.parameters ?? []).some((parameter) => parameter.in === 'header' && parameter.name === 'If-Match'),
    );
    expect(declaring.map(({ operation }) => operation.operationId).sort()).toEqual([
      'deleteFlag',
      'patchFlag',
      'replaceFlag',
      'rollbackFlag',
    ]);
    const bodies: Record<string, (name: string) => unknown> = {
      replaceFlag: (name) => ({ name, environments: ['production'], enabled: true }),
      patchFlag: () => ({ enabled: true }),
      deleteFlag: () => undefined,
      rollbackFlag: () => ({ version: 1 }),
    };
    for (const { method, path, operation } of declaring) {
      const name = await newFlag();
      const answer = await t.call(method, path.replace('{name}', name), {
        body: bodies[operation.operationId]!(name),
        headers: { 'if-match': '"7"' },
      });
      expect({ operation: operation.operationId, status: answer.status }).toEqual({
        operation: operation.operationId,
        status: 409,
      });
    }
  });

  it("declares ETag on exactly the REST answers that carry one, the flag's version", async () => {
    const declaring = operations(document)
      .filter(({ path }) => path.startsWith('/api/'))
      .flatMap(({ method, path, operation }) =>
        Object.entries(operation.responses)
          .filter(([, response]) => response.headers?.ETag !== undefined)
          .map(([status]) => ({ method, path, operationId: operation.operationId, status: Number(status) })),
      );
    expect(declaring.map(({ operationId, status }) => `${operationId} ${status}`).sort()).toEqual([
      'createFlag 201',
      'getFlag 200',
      'patchFlag 200',
      'replaceFlag 200',
      'rollbackFlag 200',
    ]);
    const created = await t.call('POST', FLAGS, { body: { name: 'etagged', environments: ['production'] } });
    const calls: Record<string, () => Promise<{ status: number; headers: Headers; body: any }>> = {
      createFlag: async () => created,
      getFlag: () => t.call('GET', `${FLAGS}/etagged`),
      replaceFlag: () =>
        t.call('PUT', `${FLAGS}/etagged?force=true`, {
          body: { name: 'etagged', environments: ['production'], enabled: true },
        }),
      patchFlag: () => t.call('PATCH', `${FLAGS}/etagged?force=true`, { body: { enabled: false } }),
      rollbackFlag: () => t.call('POST', `${FLAGS}/etagged/rollback?force=true`, { body: { version: 1 } }),
    };
    for (const { operationId, status } of declaring) {
      const answer = await calls[operationId]!();
      expect(answer.status).toBe(status);
      expect(answer.headers.get('etag'), operationId).toBe(`"${answer.body.version}"`);
    }
    expect(created.headers.get('location')).toBe(`${FLAGS}/etagged`);
  });

  it("declares ETag on OFREP's bulk answer, which carries one", async () => {
    const declaring = operations(document).filter(
      ({ path, operation }) => path.startsWith('/ofrep/') && operation.responses['200']?.headers?.ETag !== undefined,
    );
    expect(declaring.map(({ operation }) => operation.operationId)).toEqual(['ofrepEvaluateFlags']);
    const answer = await t.call('POST', '/ofrep/v1/evaluate/flags', {
      key: await t.keyFor('server', 'production'),
      body: { context: {} },
    });
    expect(answer.headers.get('etag')).toMatch(/^"[\w-]+"$/);
  });
});
