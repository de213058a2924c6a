import { describe, expect, it } from 'vitest';
import { triggerReservation } from '../../src/credits/decide.ts';
import { applyDueTimeTriggers } from '../../src/credits/due.ts';
import { periodOf } from '../../src/credits/penalty.ts';
import type { ReservationSnap, Work } from '../../src/credits/types.ts';
import { decideWaive } from '../../src/credits/waive.ts';
import { loadPreset, type Ruleset, type RulesetSettings } from '../../src/policy/index.ts';
import { at, counters, postings, purchase, reservation, work } from './snapshots.ts';

/** The late-cancel and no-show pack decided on plain snapshots (no database). Sessions start 2026-03-03 15:00 UTC. */
const gymgo = (settings: Partial<RulesetSettings>): Ruleset => {
  const r = loadPreset('gymgo');
  r.settings = { ...r.settings, ...settings };
  return r;
};
const forfeit12 = { lateCancel: { windowHours: 12, outcome: 'forfeit' as const, fee: 0 } };
const sixHoursOut = '2026-03-03T09:00:00Z';
const threeDaysOut = '2026-02-28T15:00:00Z';

const booked = (id = 'a', extra: Partial<ReservationSnap> = {}) =>
  reservation(id, { purchaseId: 'p', creditState: 'assigned', coveredUnits: 1, ...extra });

function cancel(w: Work, r: ReservationSnap) {
  w.reservations.set(r.id, r);
  r.status = 'canceled';
  return triggerReservation(w, r, 'canceled');
}

const penaltyEvents = (w: Work) =>
  w.cs.events.flatMap((e) =>
    'name' in e && e.name === 'reservation.penalty'
      ? [[e.payload.reservationId, e.payload.outcome, e.payload.fee]]
      : [],
  );

describe('late cancel', () => {
  it('6 h out with a 12 h window: the credit is forfeited under its own ledger kind, and says why', () => {
    const p = purchase('p', { credits: 5 });
    const w = work(gymgo(forfeit12), [p], sixHoursOut);
    const r = booked();
    const step = cancel(w, r);
    expect(postings(w)).toEqual([['p', 'late_cancel', { used: 1 }]]);
    expect(counters(p)).toMatchObject({ used: 1, remaining: 4 });
    expect(r).toMatchObject({ status: 'canceled', creditState: 'used', coveredUnits: 1 });
    expect(step).toMatchObject({
      trigger: 'canceled',
      event: 'forfeit',
      rule: 'late-cancel-forfeits',
      reason:
        "late cancel 6 h before the start (window 12 h): credit forfeited (rule 'late-cancel-forfeits')",
      state: 'used',
    });
    expect(r.penalty).toMatchObject({ kind: 'late_cancel', fee: 0, rule: 'late-cancel-forfeits' });
    expect(w.cs.reservations.get('a')?.penaltyChanged).toBe(true);
    expect(penaltyEvents(w)).toEqual([['a', 'late_cancel', 0]]);
  });

  it('3 days out the credit is returned as before: no penalty, no entry', () => {
    const p = purchase('p', { credits: 5 });
    const w = work(gymgo(forfeit12), [p], threeDaysOut);
    const r = booked();
    expect(cancel(w, r)).toMatchObject({ event: 'release', rule: 'canceled-never-counts' });
    expect(postings(w)).toEqual([]);
    expect(r.penalty).toBeUndefined();
    expect(counters(p)).toMatchObject({ used: 0, remaining: 5 });
    expect(penaltyEvents(w)).toEqual([]);
  });

  it('the outcome keep leaves the late cancel free; forfeit_fee records the fee for the host', () => {
    const keep = work(
      gymgo({ lateCancel: { windowHours: 12, outcome: 'keep', fee: 900 } }),
      [purchase('p')],
      sixHoursOut,
    );
    expect(cancel(keep, booked())).toMatchObject({ event: 'release' });
    expect(postings(keep)).toEqual([]);
    const fee = work(
      gymgo({ lateCancel: { windowHours: 12, outcome: 'forfeit_fee', fee: 1500 } }),
      [purchase('p')],
      sixHoursOut,
    );
    const r = booked();
    expect(cancel(fee, r).reason).toBe(
      "late cancel 6 h before the start (window 12 h): credit forfeited, fee 1500 recorded for the host to charge (rule 'late-cancel-forfeits')",
    );
    expect(r.penalty).toMatchObject({ kind: 'late_cancel', fee: 1500 });
    expect(penaltyEvents(fee)).toEqual([['a', 'late_cancel', 1500]]);
  });

  it('a plan in excludedPlans (an intro offer) is never penalized', () => {
    const w = work(gymgo({ ...forfeit12, excludedPlans: ['plan'] }), [purchase('p')], sixHoursOut);
    const r = booked();
    expect(cancel(w, r)).toMatchObject({ event: 'release', rule: 'canceled-never-counts' });
    expect(postings(w)).toEqual([]);
    expect(r.penalty).toBeUndefined();
  });

  it('forgiveness: the first N of the period are forgiven, counted by the session’s month', () => {
    const p = purchase('p', { credits: 5 });
    const w = work(gymgo({ ...forfeit12, forgiveness: { count: 2, period: 'month' } }), [p], sixHoursOut);
    // One forgiven in March already, one in February (another period: not counted).
    w.forgiven = [
      { reservationId: 'old-march', startsAt: at('2026-03-01T10:00:00Z') },
      { reservationId: 'old-feb', startsAt: at('2026-02-27T10:00:00Z') },
    ];
    const first = booked('a');
    expect(cancel(w, first)).toMatchObject({
      event: 'forgive',
      rule: 'late-cancel-forgiven',
      reason:
        "late cancel 6 h before the start (window 12 h): forgiven 2 of 2 this month, the credit is returned (rule 'late-cancel-forgiven')",
      state: 'released',
    });
    // gymGO took nothing at booking: the ledger still shows the outcome, moving no counter.
    expect(postings(w)).toEqual([['p', 'forgiven', {}]]);
    expect(first.penalty).toMatchObject({ kind: 'forgiven', fee: 0 });
    const second = booked('b', { sessionId: 's-b' });
    expect(cancel(w, second)).toMatchObject({ event: 'forfeit', rule: 'late-cancel-forfeits' });
    expect(postings(w)).toEqual([
      ['p', 'forgiven', {}],
      ['p', 'late_cancel', { used: 1 }],
    ]);
    expect(counters(p)).toMatchObject({ used: 1, remaining: 4 });
    expect(penaltyEvents(w)).toEqual([
      ['a', 'forgiven', 0],
      ['b', 'late_cancel', 0],
    ]);
  });

  it('a held credit (MyTime-style rules): forfeit turns it used, forgive releases it', () => {
    const ruleset = loadPreset('mytime');
    ruleset.settings = { ...ruleset.settings, ...forfeit12, forgiveness: { count: 1, period: 'week' } };
    const pack = ['late-cancel-forgiven', 'late-cancel-forfeits', 'no-show-forfeits'];
    ruleset.rules = [...loadPreset('gymgo').rules.filter((r) => pack.includes(r.name)), ...ruleset.rules];
    const p = purchase('p', { credits: 5, held: 2 });
    const w = work(ruleset, [p], sixHoursOut);
    const a = booked('a', { creditState: 'held' });
    const b = booked('b', { creditState: 'held' });
    expect(cancel(w, a)).toMatchObject({
      event: 'forgive',
      reason: expect.stringContaining('forgiven 1 of 1 this week'),
    });
    expect(cancel(w, b)).toMatchObject({ event: 'forfeit' });
    expect(postings(w)).toEqual([
      ['p', 'forgiven', { held: -1 }],
      ['p', 'late_cancel', { held: -1, used: 1 }],
    ]);
    expect(counters(p)).toMatchObject({ held: 0, used: 1, remaining: 4 });
  });

  it('a forfeited credit stands: the end of the class does not give it back', () => {
    const p = purchase('p', { credits: 5 });
    const w = work(gymgo(forfeit12), [p], sixHoursOut);
    const r = booked();
    cancel(w, r);
    applyDueTimeTriggers(w, [r], at('2026-03-03T17:00:00Z'));
    expect(postings(w)).toEqual([['p', 'late_cancel', { used: 1 }]]);
    expect(r.creditState).toBe('used');
    expect(w.cs.reservations.get('a')?.steps.at(-1)).toMatchObject({
      trigger: 'session_ended',
      event: 'keep',
      reason: 'the credit was forfeited: only a waive gives it back',
    });
  });
});

describe('no-show', () => {
  const noShowFee = { noShow: { outcome: 'forfeit_fee' as const, fee: 1000 } };

  it('marked by staff: no_show_forfeit with the fee', () => {
    const p = purchase('p', { credits: 5 });
    const w = work(gymgo(noShowFee), [p], '2026-03-03T15:30:00Z');
    const r = booked();
    w.reservations.set(r.id, r);
    r.status = 'no_show';
    expect(triggerReservation(w, r, 'no_show')).toMatchObject({
      event: 'forfeit',
      rule: 'no-show-forfeits',
      reason: "no-show: credit forfeited, fee 1000 recorded for the host to charge (rule 'no-show-forfeits')",
    });
    expect(postings(w)).toEqual([['p', 'no_show_forfeit', { used: 1 }]]);
    expect(r.penalty).toMatchObject({ kind: 'no_show_forfeit', fee: 1000 });
  });

  it('still booked when the class ends: the sweep’s trigger forfeits as a no-show; checked in: an ordinary use', () => {
    const p = purchase('p', { credits: 5 });
    const w = work(gymgo(noShowFee), [p], '2026-03-03T17:00:00Z');
    const missing = booked('a');
    const came = booked('b', { status: 'checked_in', creditState: 'used' });
    p.used = 1;
    p.remaining = 4;
    applyDueTimeTriggers(w, [missing, came], w.now);
    expect(postings(w)).toEqual([['p', 'no_show_forfeit', { used: 1 }]]);
    expect(missing.penalty).toMatchObject({ kind: 'no_show_forfeit', fee: 1000 });
    expect(came.penalty).toBeUndefined();
  });

  it('the outcome keep: a no-show counts as gymGO always did (use, no penalty)', () => {
    const w = work(gymgo({ noShow: { outcome: 'keep', fee: 0 } }), [purchase('p')], '2026-03-03T15:30:00Z');
    const r = booked();
    r.status = 'no_show';
    expect(triggerReservation(w, r, 'no_show')).toMatchObject({
      event: 'use',
      rule: 'marked-no-show-counts',
    });
    expect(postings(w)).toEqual([['p', 'use', { used: 1 }]]);
    expect(r.penalty).toBeUndefined();
  });
});

describe('waive of a forfeit', () => {
  it('gives the forfeited credit back (forfeit_waive) and clears the fee', () => {
    const p = purchase('p', { credits: 5 });
    const w = work(
      gymgo({ lateCancel: { windowHours: 12, outcome: 'forfeit_fee', fee: 1500 } }),
      [p],
      sixHoursOut,
    );
    const r = booked();
    cancel(w, r);
    decideWaive(w, r, 'family emergency');
    expect(postings(w)).toEqual([
      ['p', 'late_cancel', { used: 1 }],
      ['p', 'forfeit_waive', { used: -1 }],
    ]);
    expect(counters(p)).toMatchObject({ used: 0, remaining: 5 });
    expect(r).toMatchObject({ status: 'canceled', creditState: 'released', coveredUnits: 0 });
    expect(r.penalty).toMatchObject({
      kind: 'late_cancel',
      fee: 0,
      waived: { by: 'staff', reason: 'family emergency', fee: 1500 },
    });
    expect(w.cs.reservations.get('a')?.steps.at(-1)).toMatchObject({
      trigger: 'canceled',
      event: 'release',
      reason: 'late cancel waived by staff: family emergency',
    });
    expect(penaltyEvents(w)).toEqual([
      ['a', 'late_cancel', 1500],
      ['a', 'waived', 1500],
    ]);
    // Waived is final: a second waive finds nothing to give back.
    expect(() => decideWaive(w, r, 'again')).toThrow(/only a no-show can be waived/);
  });

  it('a no-show forfeit waived into an expired purchase lands in expired', () => {
    const p = purchase('p', { credits: 5 });
    const w = work(gymgo({ noShow: { outcome: 'forfeit', fee: 0 } }), [p], '2026-03-03T15:30:00Z');
    const r = booked();
    r.status = 'no_show';
    triggerReservation(w, r, 'no_show');
    p.status = 'expired';
    decideWaive(w, r, 'late bus');
    expect(postings(w).at(-1)).toEqual(['p', 'forfeit_waive', { used: -1, expired: 1 }]);
  });
});

describe('periodOf', () => {
  it('weeks start on Monday, months on the 1st, in UTC', () => {
    const week = periodOf(at('2026-03-04T23:30:00Z'), 'week');
    expect([week.start.toISOString(), week.end.toISOString()]).toEqual([
      '2026-03-02T00:00:00.000Z',
      '2026-03-09T00:00:00.000Z',
    ]);
    const sunday = periodOf(at('2026-03-08T12:00:00Z'), 'week');
    expect(sunday.start.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    const month = periodOf(at('2026-12-31T23:59:59Z'), 'month');
    expect([month.start.toISOString(), month.end.toISOString()]).toEqual([
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
  });
});
