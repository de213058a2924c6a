import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, balanceOf, buy, newStudio, type Studio } from '../support/fixtures.ts';
import { onPostgres } from '../support/plugin.ts';

/**
 * Visit caps (issue 20 item 1) through the API, on PGlite and PostgreSQL: the plan
 * field, its faults, counting by the session's local date, refuse vs no_credit,
 * rollover, the quote agreeing with the booking, and a race for the last visit.
 */

const weekly = { count: 2, period: 'week', anchor: 'calendar', mode: 'refuse' };

/** A session at a local New York time (the studio's zone), one hour long. */
const at = (local: string) => ({
  startsAt: local,
  endsAt: new Date(Date.parse(local) + 3_600_000).toISOString(),
});
const march = (day: number) => `2026-03-${String(day).padStart(2, '0')}`;

function book(t: Studio, sessionId: string, extra: Record<string, unknown> = {}) {
  return t
    .as('staff')
    .post('/v1/reservations', { clientId: t.clientId, sessionId, channel: 'in_store', ...extra });
}

async function capped(t: Studio, cap: Record<string, unknown>, plan: Record<string, unknown> = {}) {
  const planId = await addPlan(t, {
    name: 'Three a week',
    kind: 'membership',
    unlimited: true,
    cap,
    ...plan,
  });
  return buy(t, planId);
}

describe('the plan field', () => {
  it('POST and PATCH take a cap (defaults filled in), null removes it, the plan shows it', async () => {
    const t = await newStudio('mytime');
    const created = await t.as('admin').post('/v1/plans', {
      name: 'Capped',
      kind: 'package',
      price: 10000,
      credits: 10,
      itemIds: ['yoga'],
      cap: { count: 3, period: 'week' },
    });
    expectStatus(created, 201);
    expect(created.body.cap).toEqual({ count: 3, period: 'week', anchor: 'calendar', mode: 'refuse' });
    const changed = await t.as('admin').patch(`/v1/plans/${created.body.id}`, {
      cap: { count: 8, period: 'month', anchor: 'purchase', mode: 'no_credit', rollover: { max: 2 } },
    });
    expectStatus(changed, 200);
    expect(changed.body.cap).toEqual({
      count: 8,
      period: 'month',
      anchor: 'purchase',
      mode: 'no_credit',
      rollover: { max: 2 },
    });
    const removed = await t.as('admin').patch(`/v1/plans/${created.body.id}`, { cap: null });
    expect(removed.body.cap).toBe(null);
    const uncapped = await t.as('admin').post('/v1/plans', {
      name: 'Free',
      kind: 'package',
      price: 10000,
      credits: 10,
      itemIds: ['yoga'],
    });
    expect(uncapped.body.cap).toBe(null);
  });

  it('bad caps are 422 with pointers and change nothing', async () => {
    const t = await newStudio('mytime');
    const plan = { name: 'Bad', kind: 'package', price: 10000, credits: 10, itemIds: ['yoga'] };
    const zero = await t.as('admin').post('/v1/plans', { ...plan, cap: { count: 0, period: 'week' } });
    expectStatus(zero, 422);
    expect(zero.body.errors.map((e: { path: string }) => e.path)).toEqual(['/cap/count']);
    const period = await t.as('admin').post('/v1/plans', { ...plan, cap: { count: 2, period: 'year' } });
    expectStatus(period, 422);
    expect(period.body.errors.map((e: { path: string }) => e.path)).toEqual(['/cap/period']);
    const rollover = await t
      .as('admin')
      .post('/v1/plans', { ...plan, cap: { count: 2, period: 'week', rollover: { max: 3 } } });
    expectStatus(rollover, 422);
    expect(rollover.body.errors).toEqual([
      {
        path: '/cap/rollover/max',
        message: 'cannot exceed count (2): a period leaves at most count unused',
      },
    ]);
    const id = await addPlan(t, { name: 'Good', credits: 10 });
    const extra = await t
      .as('admin')
      .patch(`/v1/plans/${id}`, { cap: { count: 2, period: 'week', every: 1 } });
    expectStatus(extra, 422);
    expect(extra.body.errors[0].path).toBe('/cap/every');
    expect((await t.as('admin').patch(`/v1/plans/${id}`, { name: 'Still good' })).body.cap).toBe(null);
  });
});

describe('booking against a weekly cap', () => {
  it('refuse: the third visit of the week is 409 naming the cap and the week; next week books', async () => {
    const t = await newStudio('mytime');
    const p = await capped(t, weekly);
    const mon = await addSession(t, at('2026-03-02T18:00:00-05:00'));
    const wed = await addSession(t, at('2026-03-04T18:00:00-05:00'));
    const fri = await addSession(t, at('2026-03-06T18:00:00-05:00'));
    const nextMon = await addSession(t, at('2026-03-09T18:00:00-04:00'));
    expectStatus(await book(t, mon), 201);
    expectStatus(await book(t, wed), 201);
    const quoted = await t
      .as('staff')
      .post('/v1/reservations/quote', { clientId: t.clientId, sessionId: fri, channel: 'in_store' });
    const refused = await book(t, fri);
    expectStatus(refused, 409);
    expect(refused.body.detail).toBe(
      `the visit cap of plan 'Three a week' (purchase '${p.id}') refuses this booking: visit cap reached: 2 of 2 visits in the week 2026-03-02 to 2026-03-08, and no other purchase of client 'sarah' can pay`,
    );
    expect(quoted.status).toBe(409);
    expect(quoted.body.detail).toBe(refused.body.detail);
    const next = await book(t, nextMon);
    expectStatus(next, 201);
    expect(next.body).toMatchObject({ purchaseId: p.id, credit: { state: 'held' } });
  });

  it('booking weeks ahead is not blocked by this week’s visits, and counts in its own week', async () => {
    const t = await newStudio('mytime');
    const p = await capped(t, weekly);
    for (const day of ['02', '03'])
      expectStatus(await book(t, await addSession(t, at(`2026-03-${day}T18:00:00-05:00`))), 201);
    // Booked today (Monday 2026-03-02) for three weeks ahead: two fit, the third is that week's third.
    const ahead = ['2026-03-23T18:00:00-04:00', '2026-03-24T18:00:00-04:00', '2026-03-25T18:00:00-04:00'];
    const answers = [];
    for (const local of ahead) answers.push(await book(t, await addSession(t, at(local))));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 409]);
    expect(answers[0]?.body.purchaseId).toBe(p.id);
    expect(answers[2]?.body.detail).toContain('2 of 2 visits in the week 2026-03-23 to 2026-03-29');
  });

  it('DST week: Sunday 23:30 EDT (Monday 03:30 UTC) counts in the week it is in locally', async () => {
    const t = await newStudio('mytime');
    await capped(t, { ...weekly, count: 1 });
    setNow('2026-03-06T15:00:00Z');
    // New York springs forward on Sunday 2026-03-08.
    expectStatus(await book(t, await addSession(t, at('2026-03-08T23:30:00-04:00'))), 201);
    const sameWeek = await book(t, await addSession(t, at('2026-03-07T09:00:00-05:00')));
    expectStatus(sameWeek, 409);
    expect(sameWeek.body.detail).toContain('1 of 1 visits in the week 2026-03-02 to 2026-03-08');
    expectStatus(await book(t, await addSession(t, at('2026-03-09T09:00:00-04:00'))), 201);
  });

  it('no_credit: over the cap the booking is made without a credit, and the explanation says why', async () => {
    const t = await newStudio('mytime');
    const p = await capped(t, { ...weekly, mode: 'no_credit' });
    for (const day of ['02', '03'])
      expectStatus(await book(t, await addSession(t, at(`2026-03-${day}T18:00:00-05:00`))), 201);
    const third = await book(t, await addSession(t, at('2026-03-04T18:00:00-05:00')));
    expectStatus(third, 201);
    expect(third.body).toMatchObject({ purchaseId: null, credit: { state: 'none', units: 0 } });
    expect(third.body.explain.assignment.summary).toBe(
      `none of 1 purchases may pay: ${p.id} visit cap reached: 2 of 2 visits in the week 2026-03-02 to 2026-03-08; booked without a credit: the plan books over its visit cap (mode no_credit)`,
    );
    expect((await balanceOf(t, p.id)).held).toBe(2);
  });

  it('refuse: another purchase pays when the capped one is full; a cancel frees a visit', async () => {
    const t = await newStudio('mytime');
    const p = await capped(t, weekly);
    const pack = await buy(t, await addPlan(t, { name: 'Pack', credits: 5 }));
    const first = await book(t, await addSession(t, at('2026-03-02T18:00:00-05:00')));
    await book(t, await addSession(t, at('2026-03-03T18:00:00-05:00')));
    const third = await book(t, await addSession(t, at('2026-03-04T18:00:00-05:00')));
    expect(third.body.purchaseId).toBe(pack.id);
    expectStatus(await t.as('staff').post(`/v1/reservations/${first.body.id}/cancel`), 200);
    const fourth = await book(t, await addSession(t, at('2026-03-05T18:00:00-05:00')));
    expect(fourth.body.purchaseId).toBe(p.id);
  });

  it('rollover: a quiet week carries its unused visits (up to the max) into the next', async () => {
    const t = await newStudio('mytime');
    setNow('2026-02-25T15:00:00Z');
    await capped(t, { ...weekly, rollover: { max: 1 } });
    setNow('2026-03-02T15:00:00Z');
    // Week of 03-02: one visit, one unused → the week of 03-09 allows 3.
    expectStatus(await book(t, await addSession(t, at('2026-03-03T18:00:00-05:00'))), 201);
    const next = ['2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13'];
    const answers = [];
    for (const day of next) answers.push(await book(t, await addSession(t, at(`${day}T18:00:00-04:00`))));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 409]);
    expect(answers[3]?.body.detail).toContain(
      'visit cap reached: 3 of 3 visits (2 + 1 carried over) in the week 2026-03-09 to 2026-03-15',
    );
  });

  it('purchase anchor: periods start on the purchase date, not Monday', async () => {
    const t = await newStudio('mytime');
    setNow('2026-03-04T15:00:00Z');
    await capped(t, { ...weekly, count: 1, anchor: 'purchase' });
    expectStatus(await book(t, await addSession(t, at('2026-03-05T18:00:00-05:00'))), 201);
    // Monday 03-09 is still the purchase's first week (03-04 to 03-10).
    const monday = await book(t, await addSession(t, at('2026-03-09T18:00:00-04:00')));
    expectStatus(monday, 409);
    expect(monday.body.detail).toContain('1 of 1 visits in the week 2026-03-04 to 2026-03-10');
    expectStatus(await book(t, await addSession(t, at('2026-03-11T18:00:00-04:00'))), 201);
  });

  it('the rule set reads purchase.capRemaining (simulated by an eligibility rule)', async () => {
    const t = await newStudio('mytime');
    const p = await capped(t, { ...weekly, count: 3 });
    const current = await t.as('admin').get('/v1/policy');
    const ruleset = current.body.ruleset;
    ruleset.rules.push({
      name: 'last-visit-needs-staff',
      decision: 'eligibility',
      priority: 50,
      conditions: {
        all: [
          { fact: 'purchase', path: 'capRemaining', operator: 'lessThanInclusive', value: 1 },
          { fact: 'channel', operator: 'equal', value: 'online' },
        ],
      },
      event: { type: 'deny', params: { reason: 'the last visit of the week is booked at the desk' } },
    });
    expectStatus(await t.as('admin').put('/v1/policy', { ruleset }), 200);
    for (const day of ['02', '03'])
      expectStatus(await book(t, await addSession(t, at(`2026-03-${day}T18:00:00-05:00`))), 201);
    const online = await book(t, await addSession(t, at('2026-03-04T18:00:00-05:00')), { channel: 'online' });
    expectStatus(online, 201);
    expect(online.body.purchaseId).toBe(null);
    expect(online.body.explain.assignment.considered[0]).toMatchObject({
      purchaseId: p.id,
      eligible: false,
      reason: 'the last visit of the week is booked at the desk',
    });
  });
});

describe('the quote agrees with the booking under a cap (property)', () => {
  const scenarioArb = fc.record({
    cap: fc.record({
      count: fc.integer({ min: 1, max: 2 }),
      period: fc.constantFrom('day', 'week', 'month'),
      anchor: fc.constantFrom('calendar', 'purchase'),
      mode: fc.constantFrom('refuse', 'no_credit'),
      rollover: fc.option(fc.constant({ max: 1 }), { nil: undefined }),
    }),
    before: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 4 }),
    day: fc.integer({ min: 0, max: 20 }),
    pack: fc.boolean(),
  });

  it('the same status, purchase, credit and explanation, and the quote writes nothing', async () => {
    const t = await newStudio('mytime');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        n += 1;
        const clientId = `c${n}`;
        expectStatus(await t.as('admin').post('/v1/clients', { id: clientId, name: clientId }), 201);
        const planId = await addPlan(t, { name: `cap-${n}`, credits: 10, cap: s.cap });
        const sell = (plan: string) =>
          t.as('staff').post('/v1/purchases', { clientId, planId: plan, locationId: t.locationId });
        const capped = await sell(planId);
        if (s.pack) await sell(await addPlan(t, { name: `pack-${n}`, credits: 10 }));
        const on = (day: number) => at(`${march(3 + day)}T18:00:00-05:00`);
        for (const day of new Set(s.before)) {
          const answer = await t.as('staff').post('/v1/reservations', {
            clientId,
            sessionId: await addSession(t, on(day)),
            channel: 'in_store',
          });
          expect([201, 409]).toContain(answer.status);
        }
        const body = {
          id: `r-${clientId}`,
          clientId,
          sessionId: await addSession(t, on(s.day)),
          channel: 'in_store',
        };
        const before = await balanceOf(t, capped.body.id);
        const quoted = await t.as('staff').post('/v1/reservations/quote', body);
        expect(await balanceOf(t, capped.body.id)).toEqual(before);
        const booked = await t.as('staff').post('/v1/reservations', body);
        if (quoted.status !== 200) {
          expect(booked.status).toBe(quoted.status);
          expect(booked.body.detail).toBe(quoted.body.detail);
          return;
        }
        expectStatus(booked, 201);
        const shown = (b: typeof booked.body) => ({
          purchaseId: b.purchaseId,
          credit: b.credit,
          label: b.label,
          counts: b.counts,
          explain: b.explain,
        });
        expect(shown(booked.body)).toEqual(shown(quoted.body));
      }),
      { numRuns: 10, seed: 2020 },
    );
  }, 300_000);
});

describe.runIf(onPostgres)('PostgreSQL: a race for the last visit', () => {
  it('two bookings racing for the last visit of the week: exactly one wins', async () => {
    const t = await newStudio('mytime');
    const p = await capped(t, { ...weekly, count: 1 });
    for (let round = 0; round < 3; round += 1) {
      const week = 9 + round * 7;
      const a = await addSession(t, at(`${march(week)}T09:00:00-04:00`));
      const b = await addSession(t, at(`${march(week + 1)}T09:00:00-04:00`));
      const answers = await Promise.all([book(t, a), book(t, b)]);
      expect(answers.map((x) => x.status).sort()).toEqual([201, 409]);
    }
    expect((await balanceOf(t, p.id)).held).toBe(3);
  });
});
