import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { rulesetComponentName } from '../../src/http/openapi-ruleset.ts';
import { request } from '../support/api.ts';
import { checkContract } from '../support/contract.ts';
import { testPlugin } from '../support/plugin.ts';

type Op = {
  operationId: string;
  tags: string[];
  summary: string;
  security?: unknown[];
  parameters?: { $ref?: string; name?: string; in?: string; required?: boolean }[];
  requestBody?: { required: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, { content: Record<string, { schema: unknown }>; headers?: object }>;
};
type Doc = {
  servers: { url: string }[];
  info: { license: { name: string; identifier: string } };
  paths: Record<string, Record<string, Op>>;
};

const served = (routes: { method: string; path: string }[]) =>
  routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
    .sort();

async function documentOf(): Promise<Doc> {
  const answer = await request<Doc>('GET', '/openapi.json');
  expect(answer.status).toBe(200);
  return answer.body;
}

const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );

describe('the OpenAPI document', () => {
  it('documents exactly the routes the app serves', async () => {
    const { app } = await testPlugin();
    const doc = await documentOf();
    const documented = operations(doc)
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`)
      .sort();
    expect(documented).toEqual([...new Set(served(app.routes))]);
    expect(documented).toHaveLength(73);
  });

  it('names every operation (unique camelCase operationId), tags and summarises it', async () => {
    const ops = operations(await documentOf());
    const ids = ops.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { op } of ops) {
      expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.tags).toHaveLength(1);
      expect(op.summary.length).toBeGreaterThan(5);
      expect(Object.keys(op.responses).some((s) => s.startsWith('2'))).toBe(true);
      for (const response of Object.values(op.responses))
        for (const media of Object.values(response.content)) expect(media.schema).toBeTruthy();
    }
    expect(ids).toContain('getCreditReport');
    expect(ids).toContain('createReservation');
  });

  it('public routes declare no 401/403; the others do, and 503 with Retry-After', async () => {
    for (const { path, op } of operations(await documentOf())) {
      const statuses = Object.keys(op.responses);
      if (op.security?.length === 0) {
        expect(statuses, path).not.toContain('401');
        expect(statuses, path).not.toContain('403');
      } else {
        expect(statuses, path).toEqual(expect.arrayContaining(['401', '403', '503']));
        expect(op.responses['503'].headers).toHaveProperty('Retry-After');
      }
    }
  });

  it('declares the report query and both its types, Idempotency-Key on writes, optional bodies', async () => {
    const doc = await documentOf();
    const report = doc.paths['/v1/reports/credits'].get;
    expect(report.parameters?.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual([
      'query:clientId:false',
      'query:from:false',
      'query:to:false',
    ]);
    expect(Object.keys(report.responses['200'].content)).toEqual(['application/json', 'text/csv']);
    for (const { method, path, op } of operations(doc)) {
      const writes = method !== 'get' && op.security?.length !== 0;
      expect(
        op.parameters?.some((p) => p.$ref === '#/components/parameters/IdempotencyKey') ?? false,
        path,
      ).toBe(writes);
    }
    expect(doc.paths['/v1/sweeps'].post.requestBody?.required).toBe(false);
    expect(doc.paths['/v1/purchases/{id}/resume'].post.requestBody?.required).toBe(false);
    expect(doc.paths['/v1/tickets/{id}/close'].post.requestBody).toBeUndefined();
    expect(doc.paths['/v1/purchases'].post.requestBody?.required).toBe(true);
  });

  it('rule-set bodies and answers $ref the rule-set schema', async () => {
    const doc = await documentOf();
    const ref = { $ref: '#/components/schemas/Ruleset' };
    const put = doc.paths['/v1/policy'].put.requestBody?.content['application/json'].schema;
    expect(JSON.stringify(put)).toContain(JSON.stringify(ref));
    const simulate = doc.paths['/v1/policy/simulate'].post.requestBody?.content['application/json'].schema;
    expect(simulate).toMatchObject({ properties: { ruleset: ref } });
    expect(doc.paths['/v1/presets/{id}'].get.responses['200'].content['application/json'].schema).toEqual(
      ref,
    );
  });

  it('its Ruleset component is rules/schema/ruleset.schema.json, references pointed inside the document', async () => {
    const doc = (await documentOf()) as Doc & { components: { schemas: Record<string, object> } };
    const {
      $schema: _s,
      $id: _i,
      $defs,
      ...file
    } = JSON.parse(readFileSync('rules/schema/ruleset.schema.json', 'utf8'));
    // The document writes Record<string, X> as additionalProperties (patternProperties `^.*$` in the file).
    const asDocument = (schema: unknown): unknown => {
      if (Array.isArray(schema)) return schema.map(asDocument);
      if (schema === null || typeof schema !== 'object') return schema;
      return Object.fromEntries(
        Object.entries(schema).map(([k, v]) =>
          k === 'patternProperties' && Object.keys(v).join() === '^.*$'
            ? ['additionalProperties', asDocument(v['^.*$'])]
            : [
                k,
                k === '$ref'
                  ? `#/components/schemas/${rulesetComponentName(v.slice('#/$defs/'.length))}`
                  : asDocument(v),
              ],
        ),
      );
    };
    const { description: _d, ...ruleset } = doc.components.schemas.Ruleset as { description: string };
    expect(ruleset).toEqual(asDocument(file));
    for (const [name, def] of Object.entries($defs))
      expect(doc.components.schemas[rulesetComponentName(name)], name).toEqual(asDocument(def));
  });

  it('has a licence and servers that follow the mount prefix', async () => {
    const doc = await documentOf();
    expect(doc.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
    expect(doc.servers).toEqual([{ url: '/', description: 'This service' }]);
    const { app } = await testPlugin();
    const host = new Hono().route('/credits', app);
    const mounted = (await (await host.request('/credits/openapi.json')).json()) as Doc;
    expect(mounted.servers).toEqual([{ url: '/credits', description: 'This service' }]);
  });
});

describe('the contract check every API test runs', () => {
  const purchase = {
    id: 'pur_1',
    clientId: 'c',
    planId: 'p',
    planName: '10 classes',
    kind: 'package',
    locationId: 'l',
    source: 'pos',
    purchasedAt: '2026-01-01T00:00:00.000Z',
    expiresAt: null,
    status: 'active',
    unlimited: false,
    total: 10,
    used: 0,
    held: 0,
    deducted: 0,
    expired: 0,
    remaining: 10,
    label: 'Available in Package',
    integrations: {},
  };
  const answer = (status: number, body: unknown, contentType = 'application/json') => ({
    status,
    contentType,
    body,
  });

  it('passes an answer that matches its schema', () => {
    expect(() => checkContract('GET', '/v1/purchases/pur_1', answer(200, purchase))).not.toThrow();
  });

  it('fails a body that drifted from its schema: a missing, extra or mistyped field', () => {
    const { label: _, ...missing } = purchase;
    expect(() => checkContract('GET', '/v1/purchases/pur_1', answer(200, missing))).toThrow(/label/);
    expect(() => checkContract('GET', '/v1/purchases/pur_1', answer(200, { ...purchase, extra: 1 }))).toThrow(
      /additional/,
    );
    expect(() =>
      checkContract('GET', '/v1/purchases/pur_1', answer(200, { ...purchase, total: '10' })),
    ).toThrow(/total/);
  });

  it('fails an undocumented status or content type', () => {
    expect(() => checkContract('GET', '/v1/purchases/pur_1', answer(201, purchase))).toThrow(
      /not documented/,
    );
    expect(() => checkContract('GET', '/v1/presets', answer(401, {}, 'application/problem+json'))).toThrow(
      /not documented/,
    );
    expect(() => checkContract('GET', '/v1/purchases/pur_1', answer(200, 'x', 'text/csv'))).toThrow(
      /content type/,
    );
    expect(() => checkContract('DELETE', '/v1/purchases/pur_1', answer(200, purchase))).toThrow(
      /not a documented operation/,
    );
  });

  it('checks a problem against the Problem schema', () => {
    const problem = { type: 'about:blank', title: 'Not found', status: 404, detail: 'no purchase' };
    expect(() =>
      checkContract('GET', '/v1/purchases/x', answer(404, problem, 'application/problem+json')),
    ).not.toThrow();
    expect(() =>
      checkContract('GET', '/v1/purchases/x', answer(404, { title: 'x' }, 'application/problem+json')),
    ).toThrow(/status/);
  });
});
