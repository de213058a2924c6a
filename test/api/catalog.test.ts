import { describe, expect, it } from 'vitest';
import { expectStatus, newTenant, request } from '../support/api.ts';
import { platformKey } from '../support/plugin.ts';

describe('tenants and catalog', () => {
  it('creates a tenant with admin and staff keys and version 1 of its preset', async () => {
    const t = await newTenant('gymgo');
    expect(t.admin).toMatch(/^pk_admin_/);
    expect(t.staff).toMatch(/^pk_staff_/);
    const dup = await request('POST', '/v1/tenants', {
      key: platformKey,
      body: { id: t.id, name: 'again', preset: 'gymgo' },
    });
    expect(dup.status).toBe(409);
  });

  it('rejects an unknown preset with a pointer', async () => {
    const res = await request('POST', '/v1/tenants', {
      key: platformKey,
      body: { name: 'x', preset: 'nope' },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: '/preset', message: expect.stringContaining("unknown preset 'nope'") },
    ]);
  });

  it('only the platform key creates tenants', async () => {
    const t = await newTenant();
    const res = await request('POST', '/v1/tenants', { key: t.admin, body: { name: 'x', preset: 'mytime' } });
    expect(res.status).toBe(403);
    expect((await request('POST', '/v1/tenants', { body: { name: 'x', preset: 'mytime' } })).status).toBe(
      401,
    );
    expect(
      (
        await request('POST', '/v1/tenants', {
          key: 'pk_admin_forged',
          body: { name: 'x', preset: 'mytime' },
        })
      ).status,
    ).toBe(401);
  });

  it('creates locations, items and plans with caller-chosen ids, answering what was stored', async () => {
    const admin = (await newTenant()).as('admin');
    const loc = await admin.post('/v1/locations', { id: 'nyc', name: 'NYC', timeZone: 'America/New_York' });
    expectStatus(loc, 201);
    expect(loc.body).toEqual({ id: 'nyc', name: 'NYC', timeZone: 'America/New_York' });
    const item = await admin.post('/v1/items', {
      id: 'pt-60',
      name: 'PT 60',
      kind: 'appointment',
      price: 8000,
      itemType: 'Scheduler_Bucket',
      bucketType: 'personal_training',
    });
    expectStatus(item, 201);
    expect(item.body).toEqual({
      id: 'pt-60',
      name: 'PT 60',
      kind: 'appointment',
      price: 8000,
      itemType: 'Scheduler_Bucket',
      bucketType: 'personal_training',
      integrations: {},
    });
    const plan = await admin.post('/v1/plans', {
      id: 'pt-6',
      name: '6 PT',
      kind: 'session_bucket',
      credits: 6,
      price: 42000,
      daysToExpire: 180,
      bucketType: 'personal_training',
      itemType: 'Scheduler_Bucket',
      itemIds: ['pt-60'],
      commission: { basis: 'unit_price' },
    });
    expectStatus(plan, 201);
    expect(plan.body).toMatchObject({
      id: 'pt-6',
      credits: 6,
      unlimited: false,
      daysToExpire: 180,
      oneDay: false,
      priority: 100,
      itemIds: ['pt-60'],
      commission: { basis: 'unit_price' },
      integrations: {},
    });
    const server = await admin.post('/v1/clients', { name: 'Ana' });
    expectStatus(server, 201);
    expect(server.body.id).toMatch(/^cli_/);
  });

  it('staff may not write the catalog (403) but may add clients', async () => {
    const t = await newTenant();
    const staff = t.as('staff');
    expect((await staff.post('/v1/locations', { name: 'X', timeZone: 'UTC' })).status).toBe(403);
    expect((await staff.post('/v1/items', { name: 'X', kind: 'class', price: 1 })).status).toBe(403);
    expect(
      (await staff.post('/v1/plans', { name: 'X', kind: 'package', credits: 1, price: 1, itemIds: [] }))
        .status,
    ).toBe(403);
    expect((await staff.post('/v1/clients', { name: 'Bo' })).status).toBe(201);
  });
});

describe('bad input answers problem+json and changes nothing', () => {
  it('malformed JSON is 400', async () => {
    const t = await newTenant();
    const res = await request('POST', '/v1/clients', { key: t.admin, raw: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.title).toBe('Malformed request');
  });

  it('schema faults are 422 with one pointer each', async () => {
    const admin = (await newTenant()).as('admin');
    const res = await admin.post('/v1/items', { name: '', kind: 'spa', price: -5, colour: 'red' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: '/colour', message: 'is not a known field' },
        { path: '/name', message: 'must NOT have fewer than 1 characters' },
        { path: '/kind', message: 'must be one of "class", "appointment", "event", "product"' },
        { path: '/price', message: 'must be >= 0' },
      ]),
    );
    expect(res.body.errors).toHaveLength(4);
  });

  it('an unknown time zone is 422 at /timeZone', async () => {
    const admin = (await newTenant()).as('admin');
    const res = await admin.post('/v1/locations', { name: 'Moon', timeZone: 'Moon/Base' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: '/timeZone', message: "'Moon/Base' is not an IANA time zone" }]);
  });

  it('negative credits, a plan naming a missing item, and oneDay with daysToExpire are 422', async () => {
    const admin = (await newTenant()).as('admin');
    expect(
      (await admin.post('/v1/plans', { name: 'P', kind: 'package', credits: -1, price: 100, itemIds: [] }))
        .body.errors,
    ).toEqual([{ path: '/credits', message: 'must be >= 1' }]);
    const res = await admin.post('/v1/plans', {
      name: 'P',
      kind: 'package',
      credits: 1,
      price: 100,
      daysToExpire: 3,
      oneDay: true,
      itemIds: ['ghost'],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: '/oneDay', message: 'a one-day plan cannot also have daysToExpire' },
      { path: '/itemIds/0', message: "no item with id 'ghost'" },
    ]);
  });

  it('a taken caller-chosen id is 409 and the first row is unchanged', async () => {
    const admin = (await newTenant()).as('admin');
    expectStatus(
      await admin.post('/v1/items', { id: 'yoga', name: 'Yoga', kind: 'class', price: 2000 }),
      201,
    );
    const again = await admin.post('/v1/items', { id: 'yoga', name: 'Other', kind: 'class', price: 1 });
    expect(again.status).toBe(409);
    const plan = await admin.post('/v1/plans', {
      id: 'p',
      name: 'P',
      kind: 'package',
      credits: 1,
      price: 100,
      itemIds: ['yoga'],
    });
    expectStatus(plan, 201);
  });

  it('an invalid caller id is 422', async () => {
    const admin = (await newTenant()).as('admin');
    const res = await admin.post('/v1/clients', { id: 'has space', name: 'X' });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('/id');
  });

  it('unknown routes are 404 problems', async () => {
    const t = await newTenant();
    const res = await request('GET', '/v1/nothing-here', { key: t.admin });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('public routes', () => {
  it('healthz, openapi and presets need no key', async () => {
    expect((await request('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const doc = await request('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(
      doc.body.paths['/v1/purchases'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['clientId', 'planId', 'locationId']);
    const presets = await request('GET', '/v1/presets');
    expect(presets.body.presets.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining(['gymgo', 'mytime', 'abc-scheduler']),
    );
    expect((await request('GET', '/v1/presets/mytime')).body.id).toBe('mytime');
    expect((await request('GET', '/v1/presets/nope')).status).toBe(404);
  });
});
