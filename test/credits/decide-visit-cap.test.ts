import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignReservation, decideBooking } from '../../src/credits/decide.ts';
import type { ClientSnapshot, PurchaseSnap } from '../../src/credits/types.ts';
import { capStatus, localDay, periodOf } from '../../src/credits/visit-cap.ts';
import type { VisitCap } from '../../src/domain/plan.ts';
import { localDate } from '../../src/domain/time.ts';
import { compilePolicy, loadPreset, type Ruleset } from '../../src/policy/index.ts';
import { at, purchase, reservation, work } from './snapshots.ts';

/** Visit caps (issue 20 item 1) on plain snapshots: periods, counting, rollover, refuse vs no_credit. */

const zone = 'America/New_York';
const weekly: VisitCap = { count: 2, period: 'week', anchor: 'calendar', mode: 'refuse' };

function capped(id: string, cap: VisitCap, dates: string[], extra: Partial<PurchaseSnap> = {}): PurchaseSnap {
  const p = purchase(id, extra);
  p.plan = { ...p.plan, name: `Plan ${id}`, cap };
  p.capZone = zone;
  p.capVisits = dates.map((date, i) => ({ reservationId: `${id}-v${i}`, date }));
  return p;
}

/** A session starting at a UTC instant, at a New York location. */
const session = (startsAt: string) => ({
  id: 's-new',
  itemId: 'yoga',
  locationId: 'loc',
  startsAt: at(startsAt),
  endsAt: new Date(at(startsAt).getTime() + 3_600_000),
  price: null,
  units: 1,
  timeZone: zone,
});

const active = (preset: string | Ruleset) => {
  const ruleset = typeof preset === 'string' ? loadPreset(preset) : preset;
  return { version: 3, hash: 'h3', ruleset, policy: compilePolicy(ruleset) };
};

function snapshotOf(purchases: PurchaseSnap[], startsAt: string): ClientSnapshot {
  const item = reservation('x').item;
  return {
    clientId: 'sarah',
    policyVersion: 3,
    purchases: new Map(purchases.map((p) => [p.id, p])),
    reservations: new Map(),
    usedThrough: new Map(),
    explains: new Map(),
    ticket: null,
    booking: { session: { session: session(startsAt), item }, live: null, idTaken: false },
  };
}

const ctx = { tenantId: 't', actor: 'staff', now: at('2026-03-02T15:00:00Z') };
const request = { id: 'r1', clientId: 'sarah', sessionId: 's-new', channel: 'in_store' as const };

describe('cap periods', () => {
  it('a visit is dated as luxon dates it, in every zone and across DST changes (property)', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => localDay(new Date(ms), zone) === localDate(new Date(ms), zone),
      ),
      { numRuns: 2000 },
    );
  });

  it('calendar weeks are ISO weeks from Monday; months are calendar months; days are the date', () => {
    expect(periodOf({ period: 'week', anchor: 'calendar' }, '2026-03-08', '2026-01-01')).toEqual({
      start: '2026-03-02',
      end: '2026-03-08',
    });
    expect(periodOf({ period: 'week', anchor: 'calendar' }, '2026-03-09', '2026-01-01')).toEqual({
      start: '2026-03-09',
      end: '2026-03-15',
    });
    expect(periodOf({ period: 'month', anchor: 'calendar' }, '2026-02-14', '2026-01-01')).toEqual({
      start: '2026-02-01',
      end: '2026-02-28',
    });
    expect(periodOf({ period: 'day', anchor: 'purchase' }, '2026-02-14', '2026-01-01')).toEqual({
      start: '2026-02-14',
      end: '2026-02-14',
    });
  });

  it("purchase-anchored periods start on the purchase's start date (months clamp at month ends)", () => {
    expect(periodOf({ period: 'week', anchor: 'purchase' }, '2026-03-10', '2026-03-04')).toEqual({
      start: '2026-03-04',
      end: '2026-03-10',
    });
    expect(periodOf({ period: 'week', anchor: 'purchase' }, '2026-03-11', '2026-03-04')).toEqual({
      start: '2026-03-11',
      end: '2026-03-17',
    });
    expect(periodOf({ period: 'month', anchor: 'purchase' }, '2026-02-27', '2026-01-31')).toEqual({
      start: '2026-01-31',
      end: '2026-02-27',
    });
    expect(periodOf({ period: 'month', anchor: 'purchase' }, '2026-02-28', '2026-01-31')).toEqual({
      start: '2026-02-28',
      end: '2026-03-30',
    });
  });

  it("counts by the session's local date across the DST week: Sunday 23:30 EDT is Monday 03:30 UTC", () => {
    const p = capped('p', weekly, ['2026-03-02', '2026-03-03']);
    // New York moves to EDT (UTC-4) on Sunday 2026-03-08: 03:30Z Monday is still Sunday there.
    expect(capStatus(p, session('2026-03-09T03:30:00Z'), null)).toMatchObject({
      period: { start: '2026-03-02', end: '2026-03-08' },
      used: 2,
      remaining: 0,
    });
    expect(capStatus(p, session('2026-03-09T04:30:00Z'), null)).toMatchObject({
      period: { start: '2026-03-09', end: '2026-03-15' },
      used: 0,
      remaining: 2,
    });
  });

  it('rollover carries the previous period’s unused visits, up to its max, never from before the purchase', () => {
    const cap: VisitCap = { ...weekly, count: 3, rollover: { max: 2 } };
    // Bought Sunday 2026-03-01 (week of 02-23): week of 03-02 has no rollover (its previous week began before).
    const p = capped('p', cap, ['2026-03-04'], { purchasedAt: at('2026-03-01T15:00:00Z') });
    expect(capStatus(p, session('2026-03-05T15:00:00Z'), null)).toMatchObject({ carried: 2, allowed: 5 });
    const fresh = capped('q', cap, [], { purchasedAt: at('2026-03-04T15:00:00Z') });
    expect(capStatus(fresh, session('2026-03-05T15:00:00Z'), null)).toMatchObject({ carried: 0, allowed: 3 });
    // Week of 03-09: the week of 03-02 used 1 of 3, so 2 carry (max 2).
    expect(capStatus(fresh, session('2026-03-10T15:00:00Z'), null)).toMatchObject({
      carried: 2,
      allowed: 5,
      used: 0,
      remaining: 5,
    });
    const busy = capped('b', cap, ['2026-03-05', '2026-03-06'], { purchasedAt: at('2026-03-04T15:00:00Z') });
    expect(capStatus(busy, session('2026-03-10T15:00:00Z'), null)).toMatchObject({ carried: 1, allowed: 4 });
  });

  it('the claim decided never counts against itself', () => {
    const p = capped('p', weekly, ['2026-03-03', '2026-03-04']);
    expect(capStatus(p, session('2026-03-05T15:00:00Z'), null)?.remaining).toBe(0);
    expect(capStatus(p, session('2026-03-05T15:00:00Z'), 'p-v1')?.remaining).toBe(1);
  });
});

describe('decideBooking with a visit cap', () => {
  it('within one operation (a sweep batch), each assignment counts for the next: the second of the day gets none', () => {
    const p = capped('p', { ...weekly, period: 'day', count: 1 }, []);
    const w = work('mytime', [p]);
    const day = { ...session('2026-03-05T15:00:00Z'), id: 's-a' };
    const first = reservation('a', { session: day });
    const second = reservation('b', { session: { ...day, id: 's-b', startsAt: at('2026-03-05T20:00:00Z') } });
    expect(assignReservation(w, first, 'auto').purchase?.id).toBe('p');
    const again = assignReservation(w, second, 'auto');
    expect(again.purchase).toBe(null);
    expect(again.trace.summary).toBe(
      'none of 1 purchases may pay: p visit cap reached: 1 of 1 visits on 2026-03-05',
    );
  });

  it('a capped purchase with visits left pays and the new visit counts', () => {
    const p = capped('p', weekly, ['2026-03-03']);
    const d = decideBooking(snapshotOf([p], '2026-03-05T15:00:00Z'), active('mytime'), request, ctx);
    expect(d.reservation.purchaseId).toBe('p');
    expect(d.purchases.get('p')?.capVisits?.map((v) => v.date)).toEqual(['2026-03-03', '2026-03-05']);
  });

  it('refuse: the cap reached and no other purchase → 409 naming the plan, the cap and the period', () => {
    const p = capped('p', weekly, ['2026-03-03', '2026-03-04']);
    expect(() =>
      decideBooking(snapshotOf([p], '2026-03-05T15:00:00Z'), active('mytime'), request, ctx),
    ).toThrow(
      "the visit cap of plan 'Plan p' (purchase 'p') refuses this booking: visit cap reached: 2 of 2 visits in the week 2026-03-02 to 2026-03-08, and no other purchase of client 'sarah' can pay",
    );
  });

  it('refuse: another purchase that may pay pays instead', () => {
    const p = capped('p', weekly, ['2026-03-03', '2026-03-04'], { purchasedAt: at('2026-02-01T15:00:00Z') });
    const other = purchase('q', { credits: 5 });
    const d = decideBooking(snapshotOf([p, other], '2026-03-05T15:00:00Z'), active('mytime'), request, ctx);
    expect(d.reservation.purchaseId).toBe('q');
    expect(d.explain?.assignment?.considered).toEqual([
      {
        purchaseId: 'p',
        eligible: false,
        reason: 'visit cap reached: 2 of 2 visits in the week 2026-03-02 to 2026-03-08',
        rule: null,
      },
      { purchaseId: 'q', eligible: true, reason: 'eligible', rule: null },
    ]);
  });

  it('no_credit: booked without a credit and the explanation says why', () => {
    const p = capped('p', { ...weekly, mode: 'no_credit' }, ['2026-03-03', '2026-03-04']);
    const d = decideBooking(snapshotOf([p], '2026-03-05T15:00:00Z'), active('mytime'), request, ctx);
    expect(d.reservation.purchaseId).toBe(null);
    expect(d.reservation.creditState).toBe('none');
    expect(d.changes.postings).toEqual([]);
    expect(d.explain?.assignment?.summary).toBe(
      'none of 1 purchases may pay: p visit cap reached: 2 of 2 visits in the week 2026-03-02 to 2026-03-08; booked without a credit: the plan books over its visit cap (mode no_credit)',
    );
  });

  it('next week is not blocked by this week’s visits (the session’s date counts, not the booking’s)', () => {
    const p = capped('p', weekly, ['2026-03-03', '2026-03-04']);
    const d = decideBooking(snapshotOf([p], '2026-03-24T15:00:00Z'), active('mytime'), request, ctx);
    expect(d.reservation.purchaseId).toBe('p');
  });

  it('rollover lets a third visit through in a week after a quiet one', () => {
    const cap: VisitCap = { ...weekly, rollover: { max: 1 } };
    const p = capped('p', cap, ['2026-03-10', '2026-03-11'], { purchasedAt: at('2026-03-01T15:00:00Z') });
    const d = decideBooking(snapshotOf([p], '2026-03-12T15:00:00Z'), active('mytime'), request, ctx);
    expect(d.reservation.purchaseId).toBe('p');
    const full = capped('f', cap, ['2026-03-04', '2026-03-05', '2026-03-10', '2026-03-11'], {
      purchasedAt: at('2026-03-01T15:00:00Z'),
    });
    expect(() =>
      decideBooking(snapshotOf([full], '2026-03-12T15:00:00Z'), active('mytime'), request, ctx),
    ).toThrow('visit cap reached: 2 of 2 visits in the week 2026-03-09 to 2026-03-15');
  });

  it('the rule set reads purchase.capUsed and purchase.capRemaining', () => {
    const ruleset = loadPreset('mytime');
    ruleset.rules.push({
      name: 'last-visit-online-only',
      decision: 'eligibility',
      priority: 50,
      conditions: {
        all: [
          { fact: 'purchase', path: 'capRemaining', operator: 'equal', value: 1 },
          { fact: 'channel', operator: 'equal', value: 'in_store' },
        ],
      },
      event: { type: 'deny', params: { reason: 'the last visit of the week books online' } },
    } as never);
    const p = capped('p', weekly, ['2026-03-03']);
    const other = purchase('q', { credits: 5 });
    const d = decideBooking(snapshotOf([p, other], '2026-03-05T15:00:00Z'), active(ruleset), request, ctx);
    expect(d.reservation.purchaseId).toBe('q');
    expect(d.explain?.assignment?.considered[0]).toMatchObject({
      purchaseId: 'p',
      eligible: false,
      reason: 'the last visit of the week books online',
      rule: 'last-visit-online-only',
    });
  });
});
