import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { idempotencyScope } from '../../src/http/idempotency.ts';
import { hashKey } from '../../src/http/keys.ts';
import { type Answer, newTenant, request } from '../support/api.ts';
import { platformKey, testPlugin } from '../support/plugin.ts';
import { tenantsTouched } from '../support/setup.ts';

// The worker's database opens once; on a busy machine that can take a while.
beforeAll(() => testPlugin(), 180_000);

const send = (method: string, path: string, key: string, body: unknown, idempotencyKey: string) =>
  request(method, path, { key, body, headers: { 'idempotency-key': idempotencyKey } });

function expectRefused(answer: Answer, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(answer.headers.get('idempotent-replayed')).toBeNull();
}

describe('idempotent replay never bypasses the role check', () => {
  it("a staff key replaying an admin's key and body gets 403, not the stored plan", async () => {
    const t = await newTenant();
    const key = `k-${randomUUID()}`;
    const plan = { id: 'ten', name: 'Ten', kind: 'package', credits: 10, price: 9000, itemIds: [] };
    const created = await send('POST', '/v1/plans', t.admin, plan, key);
    expect(created.status).toBe(201);
    const replayedToStaff = await send('POST', '/v1/plans', t.staff, plan, key);
    expectRefused(replayedToStaff, 403);
    expect(replayedToStaff.body.detail).toBe('this needs the admin role');
    // Same key, another body: still the role's 403, not the key's 409 (nothing is looked up).
    expectRefused(await send('POST', '/v1/plans', t.staff, { ...plan, name: 'Other' }, key), 403);
    // The admin still gets the replay.
    const replayedToAdmin = await send('POST', '/v1/plans', t.admin, plan, key);
    expect(replayedToAdmin.status).toBe(201);
    expect(replayedToAdmin.headers.get('idempotent-replayed')).toBe('true');
    expect(replayedToAdmin.body).toEqual(created.body);
  });

  it('the same holds when a host mounts the app under a prefix', async () => {
    const t = await newTenant();
    const host = new Hono().route('/credits', (await testPlugin()).app);
    const post = (key: string) =>
      host.request('/credits/v1/items', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': 'mounted',
        },
        body: JSON.stringify({ id: 'mat', name: 'Mat', kind: 'product', price: 900 }),
      });
    expect((await post(t.admin)).status).toBe(201);
    const replay = await post(t.staff);
    expect(replay.status).toBe(403);
    expect(replay.headers.get('idempotent-replayed')).toBeNull();
  });

  it("a staff key replaying an admin's PUT /v1/policy gets 403 and the policy stays", async () => {
    const t = await newTenant('mytime');
    const key = `k-${randomUUID()}`;
    const put = await send('PUT', '/v1/policy', t.admin, { preset: 'gymgo' }, key);
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(2);
    expectRefused(await send('PUT', '/v1/policy', t.staff, { preset: 'gymgo' }, key), 403);
    const versions = await t.as('admin').get('/v1/policy/versions');
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
  });

  it("a tenant key replaying the platform's POST /v1/tenants gets 403, not another tenant's keys", async () => {
    const key = `k-${randomUUID()}`;
    const body = { id: `t-${randomUUID().slice(0, 12)}`, name: 'Victim', preset: 'mytime' };
    const created = await send('POST', '/v1/tenants', platformKey, body, key);
    expect(created.status).toBe(201);
    tenantsTouched.add(body.id);
    const t = await newTenant();
    for (const tenantKey of [t.admin, t.staff]) {
      const replay = await send('POST', '/v1/tenants', tenantKey, body, key);
      expectRefused(replay, 403);
      expect(JSON.stringify(replay.body)).not.toContain(created.body.keys.admin);
    }
  });
});

describe("the platform's idempotency scope is never a tenant's", () => {
  it('scopes are disjoint by construction, whatever the tenant id', () => {
    const platform = idempotencyScope({ tenantId: null, role: 'platform' });
    for (const tenantId of ['platform', 'tenant:platform', '', 'PLATFORM'])
      expect(idempotencyScope({ tenantId, role: 'staff' })).not.toBe(platform);
    expect(idempotencyScope({ tenantId: 'platform', role: 'admin' })).toBe('tenant:platform');
  });

  it("a tenant called 'platform' reusing the platform's key and body cannot read its stored answer", async () => {
    // The tenant 'platform' (created once per database; its keys are then added directly).
    const first = await request('POST', '/v1/tenants', {
      key: platformKey,
      body: { id: 'platform', name: 'Platform look-alike', preset: 'mytime' },
    });
    let staff: string;
    if (first.status === 201) staff = first.body.keys.staff;
    else {
      expect(first.status).toBe(409);
      staff = `pk_staff_${randomUUID()}`;
      const { orm } = await testPlugin();
      await orm.em
        .fork()
        .getConnection()
        .execute(
          "insert into api_keys (key_hash, tenant_id, role, created_at) values (?, 'platform', 'staff', now())",
          [hashKey(staff)],
        );
    }
    tenantsTouched.add('platform');
    const key = `k-${randomUUID()}`;
    const body = { id: `t-${randomUUID().slice(0, 12)}`, name: 'Secret', preset: 'mytime' };
    const created = await send('POST', '/v1/tenants', platformKey, body, key);
    expect(created.status).toBe(201);
    tenantsTouched.add(body.id);
    expectRefused(await send('POST', '/v1/tenants', staff, body, key), 403);
    // The same key on a route the tenant may use is its own, unrelated key: it runs
    // (were the scopes shared, this would be a 409 for a different request).
    const client = await send('POST', '/v1/clients', staff, { name: 'Own' }, key);
    expect(client.status).toBe(201);
    expect(client.headers.get('idempotent-replayed')).toBeNull();
    expect(client.body.name).toBe('Own');
  });
});
