import { beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../src/policy/index.ts';
import { expectStatus, request } from '../support/api.ts';
import { addPlan, addSession, buy, newStudio, reserve } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

/** The small routes the console needs beside the public API, called in-process. */
describe('console routes', () => {
  // Opening the worker's database (and migrating it) can take a while on a busy machine.
  beforeAll(() => testPlugin(), 180_000);

  it('serves /admin with a strict CSP, asset URLs relative to it, and only its own files', async () => {
    const page = await request('GET', '/admin');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
    const script = /src="(admin\/assets\/[^"]+\.js)"/.exec(page.body as string)?.[1];
    expect(script).toBeDefined();
    const asset = await request('GET', `/${script}`);
    expect([asset.status, asset.headers.get('content-type')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await request('GET', '/admin/assets/..%2F..%2Fpackage.json')).status).toBe(404);
    expect((await request('GET', '/admin/assets/missing.js')).status).toBe(404);
  });

  it("POST /v1/policy/test runs a draft's tests, pass or fail each, and saves nothing", async () => {
    const t = await newStudio('gymgo');
    const admin = t.as('admin');
    const draft = loadPreset('gymgo');
    const count = draft.tests?.length ?? 0;
    draft.tests?.push({
      name: 'wrong on purpose',
      decision: 'usage',
      facts: { trigger: 'checked_in' },
      expect: { type: 'release' },
    });
    const run = await admin.post('/v1/policy/test', { ruleset: draft });
    expectStatus(run, 200);
    expect([run.body.passed, run.body.failed]).toEqual([count, 1]);
    expect(run.body.tests[count]).toEqual({
      index: count,
      name: 'wrong on purpose',
      decision: 'usage',
      passed: false,
      expected: { type: 'release' },
      actual: { type: 'use', params: {}, rule: 'check-in-counts' },
    });
    expect(run.body.tests[0]).toMatchObject({ index: 0, passed: true, actual: null });
    expect((await admin.get('/v1/policy')).body.version).toBe(1);

    const broken = loadPreset('gymgo');
    (broken.rules[2].conditions as { all: { operator: string }[] }).all[0].operator = 'equalz';
    const refused = await admin.post('/v1/policy/test', { ruleset: broken });
    expectStatus(refused, 422);
    expect(refused.body.errors).toEqual([
      {
        path: '/ruleset/rules/2/conditions/all/0/operator',
        message: expect.stringContaining("unknown operator 'equalz'"),
      },
    ]);
    const badTest = loadPreset('gymgo');
    (badTest.tests as unknown[]).push({ name: 'no decision', facts: {}, expect: { type: 'use' } });
    const shape = await admin.post('/v1/policy/test', { ruleset: badTest });
    expectStatus(shape, 422);
    expect(shape.body.errors).toEqual([{ path: `/ruleset/tests/${count}/decision`, message: 'is required' }]);
    expectStatus(await t.as('staff').post('/v1/policy/test', { ruleset: draft }), 403);
  });

  it('GET /v1/policy/versions/{version} gives one version in full', async () => {
    const t = await newStudio('gymgo');
    const admin = t.as('admin');
    expectStatus(await admin.put('/v1/policy', { preset: 'mytime' }), 200);
    const first = await admin.get('/v1/policy/versions/1');
    expectStatus(first, 200);
    expect(first.body.ruleset.id).toBe('gymgo');
    expect(first.body.hash).toMatch(/^[0-9a-f]{64}$/);
    const second = await admin.get('/v1/policy/versions/2');
    expect([second.body.version, second.body.ruleset.id, second.body.note]).toEqual([
      2,
      'mytime',
      'preset mytime',
    ]);
    expectStatus(await admin.get('/v1/policy/versions/3'), 404);
    expectStatus(await admin.get('/v1/policy/versions/x1'), 404);
    expectStatus(await t.as('staff').get('/v1/policy/versions/1'), 403);
    // Another tenant's version 1 is its own, never this one's.
    const other = await newStudio('abc-scheduler');
    expect((await other.as('admin').get('/v1/policy/versions/1')).body.ruleset.id).toBe('abc-scheduler');
  });

  it("GET /v1/clients/{id}/reservations lists a client's bookings, newest session first, with explanations", async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { id: 'ten', name: '10 classes', credits: 10 });
    await buy(t, plan, { id: 'p1' });
    const early = await addSession(t, {
      id: 'early',
      startsAt: '2026-03-03T10:00:00Z',
      endsAt: '2026-03-03T11:00:00Z',
    });
    const late = await addSession(t, {
      id: 'late',
      startsAt: '2026-03-05T10:00:00Z',
      endsAt: '2026-03-05T11:00:00Z',
    });
    await reserve(t, early, 'in_store', { id: 'r-early' });
    await reserve(t, late, 'online', { id: 'r-late' });
    const listed = await t.as('staff').get('/v1/clients/sarah/reservations');
    expectStatus(listed, 200);
    expect(listed.body.reservations.map((r: { id: string }) => r.id)).toEqual(['r-late', 'r-early']);
    expect(listed.body.reservations[1]).toMatchObject({
      id: 'r-early',
      status: 'booked',
      purchaseId: 'p1',
      credit: { state: 'held', units: 1 },
      session: {
        id: 'early',
        startsAt: '2026-03-03T10:00:00.000Z',
        item: { id: 'yoga', name: 'Yoga', price: 2500 },
      },
      explain: {
        assignment: { chosen: 'p1' },
        usage: [{ trigger: 'booked', event: 'hold', rule: 'booking-holds-a-credit' }],
      },
    });
    expectStatus(await t.as('staff').get('/v1/clients/nobody/reservations'), 404);
    const other = await newStudio('mytime');
    expect((await other.as('staff').get('/v1/clients/sarah/reservations')).body.reservations).toEqual([]);
  });

  it("GET /v1/plans lists the tenant's plans by name with their cap, freeze and alert settings", async () => {
    const t = await newStudio('mytime');
    await addPlan(t, { id: 'ten', name: 'Ten classes', credits: 10, maxFreezeDays: 12, lowBalanceAt: 2 });
    await addPlan(t, {
      id: 'week3',
      name: 'Three a week',
      kind: 'membership',
      unlimited: true,
      cap: { count: 3, period: 'week', rollover: { max: 1 } },
      expiringNoticeDays: 7,
    });
    const listed = await t.as('staff').get('/v1/plans');
    expectStatus(listed, 200);
    expect(listed.body.plans.map((p: { id: string }) => p.id)).toEqual(['ten', 'week3']);
    expect(listed.body.plans[1]).toMatchObject({
      name: 'Three a week',
      cap: { count: 3, period: 'week', anchor: 'calendar', mode: 'refuse', rollover: { max: 1 } },
      maxFreezeDays: null,
      lowBalanceAt: null,
      expiringNoticeDays: 7,
    });
    expect(listed.body.plans[0]).toMatchObject({
      cap: null,
      maxFreezeDays: 12,
      lowBalanceAt: 2,
      expiringNoticeDays: null,
    });
    // Another tenant sees only its own plans; reading writes nothing.
    expect((await (await newStudio('mytime')).as('staff').get('/v1/plans')).body.plans).toEqual([]);
    expect((await t.as('admin').get('/v1/plans')).body).toEqual(listed.body);
  });
});
