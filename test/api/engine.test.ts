import { describe, expect, it } from 'vitest';
import { loadPreset } from '../../src/policy/index.ts';
import { expectStatus } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, balanceOf, buy, newStudio, reserve } from '../support/fixtures.ts';

const classAt = (day: string) => ({
  startsAt: `2026-03-${day}T10:00:00-05:00`,
  endsAt: `2026-03-${day}T11:00:00-05:00`,
});
const balance = (b: Record<string, unknown>) => ({
  total: b.total,
  held: b.held,
  used: b.used,
  deducted: b.deducted,
  expired: b.expired,
  remaining: b.remaining,
});

describe('B16: a purchase recorded late is applied retroactively by the next sweep', () => {
  it('pays for a class that ended before it was recorded, when bought before the class ended', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { name: '5', credits: 5 });
    const r = await reserve(t, await addSession(t, classAt('03')), 'online');
    const other = await reserve(t, await addSession(t, classAt('04')), 'online');
    expectStatus(await t.as('staff').post(`/v1/reservations/${other.id}/cancel`), 200);
    setNow('2026-03-06T12:00:00Z');
    expect((await t.as('admin').post('/v1/sweeps', {})).body).toMatchObject({ sessions: 2, used: 0 });
    // The host syncs a sale made on 2 March only now.
    const p = await buy(t, plan, { purchasedAt: '2026-03-02T09:00:00-05:00' });
    expect(balance(p)).toEqual({ total: 5, held: 0, used: 0, deducted: 0, expired: 0, remaining: 5 });
    const sweep = await t.as('admin').post('/v1/sweeps', {});
    expect(sweep.body).toEqual({ sessions: 1, used: 1, released: 0, skipped: 0 });
    expect(balance(await balanceOf(t, p.id))).toEqual({
      total: 5,
      held: 0,
      used: 1,
      deducted: 0,
      expired: 0,
      remaining: 4,
    });
    const after = await t.as('staff').get(`/v1/reservations/${r.id}`);
    expect([after.body.credit.state, after.body.purchaseId]).toEqual(['used', p.id]);
    expect((await t.as('staff').get(`/v1/reservations/${other.id}`)).body.credit.state).toBe('none');
    // A second sweep finds nothing more to do.
    expect((await t.as('admin').post('/v1/sweeps', {})).body).toMatchObject({ sessions: 0, used: 0 });
  });

  it('is not applied to a class that ended before the purchase was made', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { name: '5', credits: 5 });
    const r = await reserve(t, await addSession(t, classAt('03')), 'online');
    setNow('2026-03-06T12:00:00Z');
    await t.as('admin').post('/v1/sweeps', {});
    const p = await buy(t, plan, { purchasedAt: '2026-03-03T11:00:01-05:00' });
    expect((await t.as('admin').post('/v1/sweeps', {})).body.used).toBe(0);
    expect((await t.as('staff').get(`/v1/reservations/${r.id}`)).body.credit.state).toBe('none');
    expect((await balanceOf(t, p.id)).remaining).toBe(5);
  });
});

describe('B10: a reservation line may repeat its session units', () => {
  it('equal to the session units is accepted; different is 422 at the line units', async () => {
    const t = await newStudio('mytime');
    await addPlan(t, { name: '10', credits: 10 });
    const night = await addSession(t, { ...classAt('03'), units: 3 });
    const r = await reserve(t, night);
    const wrong = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [{ itemId: 'yoga', reservationId: r.id, units: 2 }],
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([
      { path: '/lines/0/units', message: "must be 3, the session's units, or left out" },
    ]);
    const right = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [{ itemId: 'yoga', reservationId: r.id, units: 3 }],
    });
    expectStatus(right, 201);
    expect(right.body.lines[0]).toMatchObject({ units: 3, coveredUnits: 0, amountDue: 7500 });
  });
});

describe('one engine for the sweep and for reads', () => {
  const releasingAtEnd = () => {
    const rules = loadPreset('mytime');
    rules.id = 'end-releases';
    rules.rules.push({
      name: 'session-end-gives-back',
      decision: 'usage',
      priority: 1000,
      conditions: { all: [{ fact: 'trigger', operator: 'equal', value: 'session_ended' }] },
      event: { type: 'release', params: { reason: 'ended' } },
    } as (typeof rules.rules)[number]);
    rules.tests = [];
    return rules;
  };

  for (const [how, status, landing] of [
    ['void', 'voided', { deducted: 3, expired: 0 }],
    ['expire', 'expired', { deducted: 0, expired: 3 }],
  ] as const) {
    it(`a credit released by the sweep into a ${status} purchase is never spendable again`, async () => {
      const t = await newStudio('mytime');
      expectStatus(await t.as('admin').put('/v1/policy', { ruleset: releasingAtEnd() }), 200);
      const p = await buy(t, await addPlan(t, { name: '3', credits: 3 }));
      await reserve(t, await addSession(t, classAt('03')), 'online');
      expectStatus(await t.as('staff').post(`/v1/purchases/${p.id}/${how}`), 200);
      setNow('2026-03-04T12:00:00Z');
      expect((await t.as('admin').post('/v1/sweeps', {})).body).toMatchObject({ sessions: 1, released: 1 });
      expect(balance(await balanceOf(t, p.id))).toEqual({
        total: 3,
        held: 0,
        used: 0,
        ...landing,
        remaining: 0,
      });
    });
  }
});
