import { describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import {
  addPlan,
  addSession,
  balanceOf,
  buy,
  ledgerKinds,
  newStudio,
  reserve,
  type Studio,
} from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

/** Issue 20 item 2, the late-cancel and no-show pack, through the API (gymGO preset). */
async function penaltyEvents(tenantId: string): Promise<[string, string, number][]> {
  const { orm } = await testPlugin();
  const rows: { payload: { reservationId: string; outcome: string; fee: number } }[] = await orm.em
    .fork()
    .getConnection()
    .execute(`select payload from outbox where tenant_id = ? and name = 'reservation.penalty' order by seq`, [
      tenantId,
    ]);
  return rows.map((r) => {
    const p = typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload;
    return [p.reservationId, p.outcome, p.fee];
  });
}

async function studio(settings: Record<string, unknown>): Promise<Studio> {
  const t = await newStudio('gymgo');
  expectStatus(await t.as('admin').patch('/v1/policy/settings', settings), 200);
  return t;
}

/** A class starting at `startsAt` (UTC), one hour long. */
const classAt = (t: Studio, id: string, startsAt: string) =>
  addSession(t, { id, startsAt, endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString() });

const cancel = (t: Studio, id: string) => t.as('staff').post(`/v1/reservations/${id}/cancel`);

describe('late cancel', () => {
  it('12 h window, forfeit with a fee: 6 h out forfeits and records the fee; 3 days out returns the credit', async () => {
    const t = await studio({ lateCancel: { windowHours: 12, outcome: 'forfeit_fee', fee: 1500 } });
    const p = await buy(t, await addPlan(t, { name: '5 classes', credits: 5 }));
    await classAt(t, 'soon', '2026-03-02T21:00:00Z');
    await classAt(t, 'later', '2026-03-05T15:00:00Z');
    const soon = await reserve(t, 'soon');
    const later = await reserve(t, 'later');

    const late = await cancel(t, soon.id);
    expectStatus(late, 200);
    expect(late.body).toMatchObject({
      status: 'canceled',
      credit: { state: 'used', units: 1 },
      penalty: { kind: 'late_cancel', fee: 1500, rule: 'late-cancel-forfeits' },
    });
    expect(late.body.explain.usage.at(-1)).toMatchObject({
      trigger: 'canceled',
      event: 'forfeit',
      reason:
        "late cancel 6 h before the start (window 12 h): credit forfeited, fee 1500 recorded for the host to charge (rule 'late-cancel-forfeits')",
    });
    const early = await cancel(t, later.id);
    expect(early.body).toMatchObject({ status: 'canceled', credit: { state: 'released' }, penalty: null });

    expect((await balanceOf(t, p.id)).remaining).toBe(4);
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'late_cancel']);
    // The fee is on the reservation as stored, for the host to charge.
    const read = await t.as('staff').get(`/v1/reservations/${soon.id}`);
    expect(read.body.penalty).toMatchObject({ kind: 'late_cancel', fee: 1500 });
    expect(await penaltyEvents(t.id)).toEqual([[soon.id, 'late_cancel', 1500]]);

    // The end of the class does not give a forfeited credit back.
    setNow('2026-03-02T23:00:00Z');
    await reserve(t, 'later');
    expect((await balanceOf(t, p.id)).remaining).toBe(4);
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'late_cancel']);
  });

  it('forgiveness: the first late cancel of each month is forgiven, the second forfeits; the next month starts again', async () => {
    const t = await studio({
      lateCancel: { windowHours: 12, outcome: 'forfeit', fee: 0 },
      forgiveness: { count: 1, period: 'month' },
    });
    const p = await buy(t, await addPlan(t, { name: '10 classes', credits: 10, daysToExpire: 365 }));
    await classAt(t, 'm1', '2026-03-02T21:00:00Z');
    await classAt(t, 'm2', '2026-03-02T22:00:00Z');
    await classAt(t, 'a1', '2026-04-01T21:00:00Z');
    const first = await reserve(t, 'm1');
    const second = await reserve(t, 'm2');
    const april = await reserve(t, 'a1');

    const forgiven = await cancel(t, first.id);
    expect(forgiven.body).toMatchObject({
      credit: { state: 'released' },
      penalty: { kind: 'forgiven', fee: 0 },
    });
    expect(forgiven.body.explain.usage.at(-1)).toMatchObject({
      event: 'forgive',
      reason:
        "late cancel 6 h before the start (window 12 h): forgiven 1 of 1 this month, the credit is returned (rule 'late-cancel-forgiven')",
    });
    const forfeited = await cancel(t, second.id);
    expect(forfeited.body).toMatchObject({ credit: { state: 'used' }, penalty: { kind: 'late_cancel' } });

    setNow('2026-04-01T15:00:00Z');
    const next = await cancel(t, april.id);
    expect(next.body.penalty).toMatchObject({ kind: 'forgiven' });
    expect(next.body.explain.usage.at(-1).reason).toContain('forgiven 1 of 1 this month');

    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'forgiven', 'late_cancel', 'forgiven']);
    expect((await balanceOf(t, p.id)).remaining).toBe(9);
    expect(await penaltyEvents(t.id)).toEqual([
      [first.id, 'forgiven', 0],
      [second.id, 'late_cancel', 0],
      [april.id, 'forgiven', 0],
    ]);
  });

  it('a purchase of an excluded plan (an intro offer) is never penalized', async () => {
    const intro = 'intro';
    const t = await studio({ lateCancel: { windowHours: 12, outcome: 'forfeit_fee', fee: 1500 } });
    await addPlan(t, { id: intro, name: 'Intro week', credits: 3 });
    expectStatus(await t.as('admin').patch('/v1/policy/settings', { excludedPlans: [intro] }), 200);
    const p = await buy(t, intro);
    await classAt(t, 'soon', '2026-03-02T21:00:00Z');
    const r = await reserve(t, 'soon');
    const canceled = await cancel(t, r.id);
    expect(canceled.body).toMatchObject({ credit: { state: 'released' }, penalty: null });
    expect(canceled.body.explain.usage.at(-1)).toMatchObject({
      event: 'release',
      rule: 'canceled-never-counts',
    });
    expect((await balanceOf(t, p.id)).remaining).toBe(3);
    expect(await penaltyEvents(t.id)).toEqual([]);
  });

  it('settings are checked: a bad outcome or window is 422 at its pointer and changes nothing', async () => {
    const t = await newStudio('gymgo');
    const admin = t.as('admin');
    const bad = await admin.patch('/v1/policy/settings', {
      lateCancel: { windowHours: 12, outcome: 'fine', fee: 0 },
    });
    expectStatus(bad, 422);
    expect(bad.body.errors[0].path).toBe('/lateCancel/outcome');
    const zero = await admin.patch('/v1/policy/settings', {
      lateCancel: { windowHours: 0, outcome: 'forfeit', fee: 0 },
    });
    expect(zero.body.errors[0].path).toBe('/lateCancel/windowHours');
    expect((await admin.get('/v1/policy')).body.version).toBe(1);
  });
});

describe('simulate', () => {
  it('replays a late cancel under a draft: the same rules change nothing, the outcome keep gives the credit back', async () => {
    const t = await studio({ lateCancel: { windowHours: 12, outcome: 'forfeit', fee: 0 } });
    const p = await buy(t, await addPlan(t, { name: '5 classes', credits: 5 }));
    await classAt(t, 'soon', '2026-03-02T21:00:00Z');
    const r = await reserve(t, 'soon');
    await cancel(t, r.id);
    const admin = t.as('admin');
    const active = (await admin.get('/v1/policy')).body.ruleset;
    const range = { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' };
    const same = await admin.post('/v1/policy/simulate', { ruleset: active, ...range });
    expectStatus(same, 200);
    expect(same.body.totals).toMatchObject({ reservations: 1, changed: 0 });
    const keep = {
      ...active,
      settings: { ...active.settings, lateCancel: { windowHours: 12, outcome: 'keep', fee: 0 } },
    };
    const changed = await admin.post('/v1/policy/simulate', { ruleset: keep, ...range });
    expect(changed.body.changes).toEqual([
      {
        reservationId: r.id,
        before: { purchaseId: p.id, state: 'used' },
        after: { purchaseId: p.id, state: 'released' },
      },
    ]);
  });
});

describe('no-show', () => {
  it('marked by staff: the credit is forfeited with the no-show fee; still booked at the end: the same', async () => {
    const t = await studio({ noShow: { outcome: 'forfeit_fee', fee: 1000 } });
    const p = await buy(t, await addPlan(t, { name: '5 classes', credits: 5 }));
    await classAt(t, 'one', '2026-03-02T16:00:00Z');
    await classAt(t, 'two', '2026-03-02T18:00:00Z');
    const marked = await reserve(t, 'one');
    const missed = await reserve(t, 'two');
    setNow('2026-03-02T16:30:00Z');
    const res = await t.as('staff').post(`/v1/reservations/${marked.id}/no-show`);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({
      status: 'no_show',
      credit: { state: 'used' },
      penalty: { kind: 'no_show_forfeit', fee: 1000, rule: 'no-show-forfeits' },
    });
    setNow('2026-03-02T19:30:00Z');
    const after = await t.as('admin').post('/v1/sweeps');
    expectStatus(after, 200);
    const read = await t.as('staff').get(`/v1/reservations/${missed.id}`);
    expect(read.body).toMatchObject({
      status: 'booked',
      credit: { state: 'used' },
      penalty: { kind: 'no_show_forfeit', fee: 1000 },
    });
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'no_show_forfeit', 'no_show_forfeit']);
    expect((await balanceOf(t, p.id)).remaining).toBe(3);
    expect(await penaltyEvents(t.id)).toEqual([
      [marked.id, 'no_show_forfeit', 1000],
      [missed.id, 'no_show_forfeit', 1000],
    ]);
  });
});

describe('waive a forfeit', () => {
  it('staff give back a forfeited late cancel with a reason: forfeit_waive, the fee cleared, an event', async () => {
    const t = await studio({ lateCancel: { windowHours: 12, outcome: 'forfeit_fee', fee: 1500 } });
    const p = await buy(t, await addPlan(t, { name: '5 classes', credits: 5 }));
    await classAt(t, 'soon', '2026-03-02T21:00:00Z');
    const r = await reserve(t, 'soon');
    await cancel(t, r.id);
    expect((await balanceOf(t, p.id)).remaining).toBe(4);
    const waived = await t.as('staff').post(`/v1/reservations/${r.id}/waive`, { reason: 'sick child' });
    expectStatus(waived, 200);
    expect(waived.body).toMatchObject({
      status: 'canceled',
      credit: { state: 'released', units: 0 },
      penalty: { kind: 'late_cancel', fee: 0, waived: { by: 'staff', reason: 'sick child', fee: 1500 } },
    });
    expect(waived.body.explain.usage.at(-1)).toMatchObject({
      event: 'release',
      reason: 'late cancel waived by staff: sick child',
    });
    expect((await balanceOf(t, p.id)).remaining).toBe(5);
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'late_cancel', 'forfeit_waive']);
    const again = await t.as('staff').post(`/v1/reservations/${r.id}/waive`, { reason: 'twice' });
    expectStatus(again, 409);
    expect(await penaltyEvents(t.id)).toEqual([
      [r.id, 'late_cancel', 1500],
      [r.id, 'waived', 1500],
    ]);
  });
});
