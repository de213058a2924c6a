import { describe, expect, it } from 'vitest';
import { loadPreset } from '../../src/policy/index.ts';
import { expectStatus } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, buy, newStudio, reserve } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

describe('policy versions', () => {
  it('switching presets, editing, settings and rollback each make a new immutable version', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    const v1 = await admin.get('/v1/policy');
    expect(v1.body).toMatchObject({ version: 1, ruleset: { id: 'mytime' } });
    expect(v1.body.hash).toMatch(/^[0-9a-f]{64}$/);
    const v2 = await admin.put('/v1/policy', { preset: 'gymgo' });
    expect(v2.body).toMatchObject({ version: 2, ruleset: { id: 'gymgo' } });
    const edited = loadPreset('gymgo');
    edited.settings.unlimitedLabelThreshold = 50;
    const v3 = await admin.put('/v1/policy', { ruleset: edited });
    expect(v3.body.version).toBe(3);
    const v4 = await admin.patch('/v1/policy/settings', { zeroPriceUsesCredits: true });
    expect(v4.body.ruleset.settings).toEqual({
      ...loadPreset('gymgo').settings,
      zeroPriceUsesCredits: true,
      unlimitedLabelThreshold: 50,
    });
    const back = await admin.post('/v1/policy/rollback', { version: 1 });
    expect(back.body).toMatchObject({ version: 5, hash: v1.body.hash, ruleset: { id: 'mytime' } });
    const versions = await admin.get('/v1/policy/versions');
    expect(versions.body.active).toBe(5);
    expect(versions.body.versions.map((v: { version: number; note: string }) => [v.version, v.note])).toEqual(
      [
        [1, 'preset mytime'],
        [2, 'preset gymgo'],
        [3, 'edited'],
        [4, 'settings zeroPriceUsesCredits'],
        [5, 'rollback to 1'],
      ],
    );
  });

  it('an invalid rule set is 422 with pointers under /ruleset and changes nothing', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    const broken = loadPreset('mytime');
    (broken.rules[0].conditions as { all: { operator: string }[] }).all[0].operator = 'like';
    (broken.rules[2] as { event: { type: string } }).event.type = 'charge';
    const res = await admin.put('/v1/policy', { ruleset: broken });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        path: '/ruleset/rules/0/conditions/all/0/operator',
        message: expect.stringContaining("unknown operator 'like'"),
      },
      {
        path: '/ruleset/rules/2/event/type',
        message: "'charge' is not a usage event (hold, use, release, keep, forfeit, forgive)",
      },
    ]);
    expect((await admin.put('/v1/policy', { preset: 'nope' })).body.errors).toEqual([
      { path: '/preset', message: "unknown preset 'nope'" },
    ]);
    expect((await admin.put('/v1/policy', { preset: 'gymgo', ruleset: {} })).status).toBe(422);
    expect(
      (await admin.patch('/v1/policy/settings', { unlimitedLabelThreshold: 'lots' })).body.errors[0].path,
    ).toBe('/unlimitedLabelThreshold');
    expect((await admin.post('/v1/policy/rollback', { version: 99 })).body.errors).toEqual([
      { path: '/version', message: 'no version 99' },
    ]);
    expect((await admin.get('/v1/policy')).body.version).toBe(1);
  });

  it('staff may not read or write policy', async () => {
    const t = await newStudio('mytime');
    expect((await t.as('staff').get('/v1/policy')).status).toBe(403);
    expect((await t.as('staff').put('/v1/policy', { preset: 'gymgo' })).status).toBe(403);
  });

  it('decisions record the version they were made under', async () => {
    const t = await newStudio('mytime');
    await buy(t, await addPlan(t, { name: '5', credits: 5 }));
    const r = await reserve(
      t,
      await addSession(t, { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' }),
    );
    expect(r.explain.policyVersion).toBe(1);
    expect(r.explain.policyHash).toBe((await t.as('admin').get('/v1/policy')).body.hash);
    expect(r.explain.usage).toEqual([
      {
        trigger: 'booked',
        event: 'hold',
        rule: 'booking-holds-a-credit',
        matched: ['booking-holds-a-credit'],
        reason: "Rule 'booking-holds-a-credit' (priority 80) decided hold",
        state: 'held',
        at: '2026-03-02T15:00:00.000Z',
      },
    ]);
    expect(r.explain.assignment).toMatchObject({ orderRule: 'first-in-first-out', chosen: r.purchaseId });
  });
});

describe('simulate', () => {
  it('shows what a draft would decide differently, and changes nothing', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { name: '5', credits: 5 });
    setNow('2026-02-01T15:00:00Z');
    const older = await buy(t, plan);
    setNow('2026-02-20T15:00:00Z');
    const newer = await buy(t, plan);
    setNow('2026-03-02T15:00:00Z');
    const a = await reserve(
      t,
      await addSession(t, {
        id: 'a',
        startsAt: '2026-03-03T10:00:00-05:00',
        endsAt: '2026-03-03T11:00:00-05:00',
      }),
    );
    const b = await reserve(
      t,
      await addSession(t, {
        id: 'b',
        startsAt: '2026-03-10T10:00:00-04:00',
        endsAt: '2026-03-10T11:00:00-04:00',
      }),
    );
    await reserve(
      t,
      await addSession(t, {
        id: 'outside',
        startsAt: '2026-04-10T10:00:00-04:00',
        endsAt: '2026-04-10T11:00:00-04:00',
      }),
    );
    const { orm } = await testPlugin();
    const counts = async () =>
      orm.em
        .fork()
        .getConnection()
        .execute(
          `select (select count(*) from ledger_entries where tenant_id = ?)::int as ledger,
                (select sum(remaining) from purchases where tenant_id = ?)::int as remaining,
                (select count(*) from ruleset_versions where tenant_id = ?)::int as versions`,
          [t.id, t.id, t.id],
        );
    const before = await counts();
    const draft = loadPreset('gymgo');
    const res = await t.as('admin').post('/v1/policy/simulate', {
      ruleset: draft,
      from: '2026-03-01T00:00:00Z',
      to: '2026-04-01T00:00:00Z',
    });
    expectStatus(res, 200);
    expect(res.body.changes).toEqual([
      {
        reservationId: a.id,
        before: { purchaseId: older.id, state: 'held' },
        after: { purchaseId: newer.id, state: 'assigned' },
      },
      {
        reservationId: b.id,
        before: { purchaseId: older.id, state: 'held' },
        after: { purchaseId: newer.id, state: 'assigned' },
      },
    ]);
    expect(res.body.totals).toEqual({
      reservations: 2,
      changed: 2,
      before: { held: 2 },
      after: { assigned: 2 },
    });
    expect(await counts()).toEqual(before);
    const same = await t.as('admin').post('/v1/policy/simulate', {
      ruleset: loadPreset('mytime'),
      from: '2026-03-01T00:00:00Z',
      to: '2026-04-01T00:00:00Z',
    });
    expect(same.body.totals).toEqual({ reservations: 2, changed: 0, before: {}, after: {} });
    const bad = await t.as('admin').post('/v1/policy/simulate', {
      ruleset: { id: 'x' },
      from: '2026-03-01T00:00:00Z',
      to: '2026-02-01T00:00:00Z',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toMatch(/^\/ruleset\//);
  });
});
