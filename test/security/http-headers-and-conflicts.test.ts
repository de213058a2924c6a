import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { problemResponse } from '../../src/http/problem.ts';
import { newTenant, request } from '../support/api.ts';
import { platformKey, testPlugin } from '../support/plugin.ts';

// The worker's database opens once; on a busy machine that can take a while.
beforeAll(() => testPlugin(), 180_000);

describe('answers carry nosniff, and key-bearing answers are never cached', () => {
  it('nosniff on every answer; no-store on every authenticated one, errors and replays included', async () => {
    const t = await newTenant();
    const answers = {
      health: await request('GET', '/healthz'),
      presets: await request('GET', '/v1/presets'),
      document: await request('GET', '/openapi.json'),
      noRoute: await request('GET', '/nowhere'),
      noKey: await request('GET', '/v1/policy'),
      badKey: await request('GET', '/v1/policy', { key: 'pk_nope' }),
      policy: await request('GET', '/v1/policy', { key: t.admin }),
      forbidden: await request('GET', '/v1/policy', { key: t.staff }),
      created: await request('POST', '/v1/clients', {
        key: t.staff,
        body: { name: 'A' },
        headers: { 'idempotency-key': 'h1' },
      }),
      replayed: await request('POST', '/v1/clients', {
        key: t.staff,
        body: { name: 'A' },
        headers: { 'idempotency-key': 'h1' },
      }),
      tenant: await request('POST', '/v1/tenants', {
        key: platformKey,
        body: { name: 'Keys', preset: 'mytime' },
      }),
      invalid: await request('POST', '/v1/clients', { key: t.staff, body: {} }),
    };
    for (const [name, answer] of Object.entries(answers))
      expect(answer.headers.get('x-content-type-options'), name).toBe('nosniff');
    const cacheOf = Object.fromEntries(
      Object.entries(answers).map(([n, a]) => [n, a.headers.get('cache-control')]),
    );
    expect(cacheOf).toEqual({
      health: null,
      presets: null,
      document: null,
      noRoute: 'no-store',
      noKey: 'no-store',
      badKey: 'no-store',
      policy: 'no-store',
      forbidden: 'no-store',
      created: 'no-store',
      replayed: 'no-store',
      tenant: 'no-store',
      invalid: 'no-store',
    });
    expect(answers.replayed.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe("a database refusal never shows the database's detail", () => {
  const answerTo = async (error: unknown) => {
    const app = new Hono().get('/', (c) => problemResponse(c, error));
    const res = await app.request('/');
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const pgError = (code: string) =>
    Object.assign(new Error('duplicate key value violates unique constraint "clients_pkey"'), {
      code,
      detail: 'Key (tenant_id, id)=(t-secret, sarah) already exists.',
      constraint: 'clients_pkey',
    });

  it('409/422 say what happened in the caller’s words, with no constraint name or key values', async () => {
    const cases: [string, number][] = [
      ['23505', 409],
      ['23503', 422],
      ['23514', 422],
      ['22003', 422],
      ['22P05', 422],
      ['22008', 422],
    ];
    for (const [code, status] of cases) {
      // As the ORM throws it: the driver's error as the cause of its own.
      const { status: got, body } = await answerTo(new Error('wrapped', { cause: pgError(code) }));
      expect(got, code).toBe(status);
      const text = JSON.stringify(body);
      for (const leak of ['clients_pkey', 't-secret', 'sarah', 'Key (', 'constraint'])
        expect(text, `${code} shows ${leak}`).not.toContain(leak);
    }
  });

  it('two concurrent creations with one id: one 201, one 409 without database detail', async () => {
    const t = await newTenant();
    // Two clients with one id in one request is impossible through the routes; two
    // concurrent creations with the same id are the race the database settles.
    const both = await Promise.all(
      [1, 2].map(() => request('POST', '/v1/clients', { key: t.staff, body: { id: 'same', name: 'S' } })),
    );
    const statuses = both.map((a) => a.status).sort();
    expect(statuses[0]).toBe(201);
    expect(statuses[1]).toBe(409);
    const refused = both.find((a) => a.status === 409);
    expect(JSON.stringify(refused?.body)).not.toMatch(/pkey|Key \(|t-/);
  });
});
