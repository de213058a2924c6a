import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { idempotencyWindowMs } from '../../src/http/idempotency.ts';
import { newTenant, request } from '../support/api.ts';
import { defaultNow, setNow } from '../support/clock.ts';
import { platformKey, testPlugin } from '../support/plugin.ts';
import { tenantsTouched } from '../support/setup.ts';

// The worker's database opens once; on a busy machine that can take a while.
beforeAll(() => testPlugin(), 180_000);

async function records(scope: string, key?: string) {
  const { orm } = await testPlugin();
  return orm.em
    .fork()
    .getConnection()
    .execute<{ key: string; status: number; body: string }[]>(
      'select key, status, body from idempotency_records where scope = ? and (cast(? as text) is null or key = ?)',
      [scope, key ?? null, key ?? null],
    );
}

const at = (ms: number) => new Date(defaultNow.getTime() + ms);

describe('tenant keys are shown once and never stored', () => {
  it('POST /v1/tenants with an Idempotency-Key: the record holds no key; a retry is a 409 saying they were shown once', async () => {
    const key = `k-${randomUUID()}`;
    const body = { id: `t-${randomUUID().slice(0, 12)}`, name: 'Studio', preset: 'mytime' };
    const send = () =>
      request('POST', '/v1/tenants', { key: platformKey, body, headers: { 'idempotency-key': key } });
    const created = await send();
    expect(created.status).toBe(201);
    tenantsTouched.add(body.id);
    const { admin, staff } = created.body.keys as { admin: string; staff: string };
    const [stored] = await records('platform', key);
    expect(stored.status).toBe(409);
    expect(stored.body).not.toContain(admin);
    expect(stored.body).not.toContain(staff);
    expect(stored.body).not.toMatch(/pk_|keys"/);
    const retry = await send();
    expect(retry.status).toBe(409);
    expect(retry.headers.get('content-type')).toBe('application/problem+json');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: `tenant '${body.id}' was created by the first request with this Idempotency-Key; its keys were shown once, in that answer`,
    });
    // The keys from the first answer work; no second tenant was made.
    expect((await request('GET', '/v1/policy', { key: admin })).status).toBe(200);
    expect((await request('GET', '/v1/integrations/webhooks/deliveries', { key: staff })).status).toBe(200);
  });
});

describe('Idempotency-Keys are kept 24 hours', () => {
  it('replayed inside the window; past it the key runs as new; the scheduled sweep prunes the records', async () => {
    const t = await newTenant();
    const scope = `tenant:${t.id}`;
    const key = `k-${randomUUID()}`;
    const send = (name: string) =>
      request('POST', '/v1/clients', { key: t.staff, body: { name }, headers: { 'idempotency-key': key } });
    setNow(defaultNow);
    const first = await send('Ann');
    expect(first.status).toBe(201);
    const plugin = await testPlugin();
    // A second before the window ends: the sweep keeps it, a retry replays it.
    setNow(at(idempotencyWindowMs - 1000));
    await plugin.sweep({ tenantIds: [t.id] });
    expect(await records(scope)).toHaveLength(1);
    const replay = await send('Ann');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    // At the window's end the key is forgotten even before a sweep: it runs as new.
    setNow(at(idempotencyWindowMs));
    const fresh = await send('Bea');
    expect(fresh.status).toBe(201);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect(fresh.body.id).not.toBe(first.body.id);
    expect(await records(scope)).toHaveLength(1);
    // A day later a sweep of another tenant leaves it (a host sweeping some tenants
    // prunes only theirs); the sweep of this one deletes it.
    setNow(at(2 * idempotencyWindowMs));
    const other = await newTenant();
    await plugin.sweep({ tenantIds: [other.id] });
    expect(await records(scope)).toHaveLength(1);
    await plugin.sweep({ tenantIds: [t.id] });
    expect(await records(scope)).toEqual([]);
  });
});
