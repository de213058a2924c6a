import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choosePurchase } from '../../src/credits/assign.ts';
import { post } from '../../src/credits/changeset.ts';
import { decideFreeze, decideUnfreeze, type FreezeScene } from '../../src/credits/decide-freeze.ts';
import type { Payable } from '../../src/credits/eligibility.ts';
import { purchaseFact } from '../../src/credits/facts.ts';
import type { PurchaseSnap } from '../../src/credits/types.ts';
import { expiresAt, localDays } from '../../src/domain/time.ts';
import { PunchcardError } from '../../src/errors.ts';
import { compilePolicy, loadPreset } from '../../src/policy/index.ts';
import { at, purchase, reservation, work } from './snapshots.ts';

/** Freezes (issue 20 item 3) and the low-balance event (item 7), decided on plain objects. */

const zone = 'America/New_York';
// Bought 1 March 2026 10:00 EST, 30 days: expires 31 March 23:59:59.999 EDT (DST began 8 March).
const bought = at('2026-03-01T15:00:00Z');
const plan30 = (extra: Partial<PurchaseSnap['plan']> = {}) => ({
  ...purchase('x').plan,
  daysToExpire: 30,
  ...extra,
});
const pack = (extra: Partial<PurchaseSnap> = {}, planExtra: Partial<PurchaseSnap['plan']> = {}) =>
  purchase('p', {
    credits: 10,
    purchasedAt: bought,
    expiresAt: expiresAt(bought, zone, { daysToExpire: 30, oneDay: false }),
    plan: plan30(planExtra),
    ...extra,
  });

const scene = (p: PurchaseSnap, extra: Partial<FreezeScene> = {}): FreezeScene => ({
  purchase: p,
  timeZone: zone,
  now: at('2026-03-02T15:00:00Z'),
  actor: 'staff',
  freezes: [],
  claimedSessionStarts: [],
  ...extra,
});

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    if (e instanceof PunchcardError) return { category: e.category, message: e.message, errors: e.errors };
    throw e;
  }
  return null;
};

describe('decideFreeze', () => {
  it('moves the expiry by the frozen local days across the DST change, to 23:59:59.999 local', () => {
    const p = pack();
    expect(p.expiresAt?.toISOString()).toBe('2026-04-01T03:59:59.999Z');
    const d = decideFreeze(scene(p), { id: 'f1', from: '2026-03-05', to: '2026-03-14', reason: 'travel' });
    expect(d.freeze).toMatchObject({ id: 'f1', from: '2026-03-05', to: '2026-03-14', days: 10 });
    // 5 March 00:00 EST to 14 March 23:59:59.999 EDT: the window itself crosses the change.
    expect(d.freeze.startsAt.toISOString()).toBe('2026-03-05T05:00:00.000Z');
    expect(d.freeze.endsAt.toISOString()).toBe('2026-03-15T03:59:59.999Z');
    expect(d.frozenDays).toBe(10);
    // 31 March + 10 days = 10 April, 23:59:59.999 EDT.
    expect(d.expiresAt?.toISOString()).toBe('2026-04-11T03:59:59.999Z');
    expect(d.windows).toEqual([
      { id: 'f1', startsAt: d.freeze.startsAt, endsAt: d.freeze.endsAt, to: '2026-03-14' },
    ]);
  });

  it('several freezes add up; a purchase that never expires keeps no expiry', () => {
    const p = pack();
    const first = decideFreeze(scene(p), { id: 'f1', from: '2026-03-05', to: '2026-03-06', reason: 'a' });
    const second = decideFreeze(scene(p, { freezes: [first.freeze] }), {
      id: 'f2',
      from: '2026-03-20',
      to: '2026-03-22',
      reason: 'b',
    });
    expect(second.frozenDays).toBe(5);
    expect(second.expiresAt?.toISOString()).toBe('2026-04-06T03:59:59.999Z');
    const forever = purchase('q', { purchasedAt: bought });
    const d = decideFreeze(scene(forever), { id: 'f', from: '2026-03-05', to: '2026-03-06', reason: 'a' });
    expect([d.frozenDays, d.expiresAt]).toEqual([2, null]);
  });

  it('refuses an overlap (409), over 366 days (422 at /to), the end before the start, a start in the past', () => {
    const p = pack();
    const first = decideFreeze(scene(p), { id: 'f1', from: '2026-03-05', to: '2026-03-10', reason: 'a' });
    const s = scene(p, { freezes: [first.freeze] });
    expect(
      refusal(() => decideFreeze(s, { id: 'f2', from: '2026-03-10', to: '2026-03-12', reason: 'b' })),
    ).toEqual({
      category: 'conflict',
      message: "overlaps freeze 'f1' (2026-03-05 to 2026-03-10)",
      errors: [],
    });
    // The day after the first ends is free.
    expect(decideFreeze(s, { id: 'f2', from: '2026-03-11', to: '2026-03-12', reason: 'b' }).frozenDays).toBe(
      8,
    );
    expect(
      refusal(() => decideFreeze(scene(p), { id: 'f', from: '2026-03-05', to: '2027-03-06', reason: 'a' })),
    ).toEqual({
      category: 'invalid',
      message: 'one freeze lasts at most 366 days',
      errors: [{ path: '/to', message: 'one freeze lasts at most 366 days' }],
    });
    expect(
      decideFreeze(scene(p), { id: 'f', from: '2026-03-05', to: '2027-03-05', reason: 'a' }).freeze.days,
    ).toBe(366);
    expect(
      refusal(() => decideFreeze(scene(p), { id: 'f', from: '2026-03-05', to: '2026-03-04', reason: 'a' }))
        ?.errors,
    ).toEqual([{ path: '/to', message: 'must not be before from' }]);
    expect(
      refusal(() => decideFreeze(scene(p), { id: 'f', from: '2026-03-01', to: '2026-03-04', reason: 'a' }))
        ?.errors,
    ).toEqual([{ path: '/from', message: 'must not be in the past (today is 2026-03-02 at the location)' }]);
    expect(
      refusal(() => decideFreeze(scene(p), { id: 'f', from: '2026-02-30', to: '2026-03-04', reason: 'a' }))
        ?.errors,
    ).toEqual([{ path: '/from', message: 'must be a date (yyyy-mm-dd)' }]);
    expect(
      refusal(() => decideFreeze(scene(p), { id: 'f', from: '2026-04-01', to: '2026-04-04', reason: 'a' }))
        ?.errors,
    ).toEqual([{ path: '/from', message: 'the purchase expires on 2026-03-31' }]);
  });

  it("the plan's maxFreezeDays bounds the total: 422 at /to once the sum would pass it", () => {
    const p = pack({}, { maxFreezeDays: 7 });
    const first = decideFreeze(scene(p), { id: 'f1', from: '2026-03-05', to: '2026-03-09', reason: 'a' });
    const s = scene(p, { freezes: [first.freeze] });
    expect(decideFreeze(s, { id: 'f2', from: '2026-03-20', to: '2026-03-21', reason: 'b' }).frozenDays).toBe(
      7,
    );
    expect(
      refusal(() => decideFreeze(s, { id: 'f2', from: '2026-03-20', to: '2026-03-22', reason: 'b' })),
    ).toEqual({
      category: 'invalid',
      message: 'the plan allows 7 frozen days in all; 5 used, 3 asked',
      errors: [{ path: '/to', message: 'the plan allows 7 frozen days in all; 5 used, 3 asked' }],
    });
  });

  it('refuses expired, voided and one-day purchases, and a stretch with booked sessions inside (409)', () => {
    const ask = { id: 'f', from: '2026-03-05', to: '2026-03-06', reason: 'a' };
    expect(refusal(() => decideFreeze(scene(pack({ status: 'expired' })), ask))?.message).toBe(
      'cannot freeze a purchase that is expired',
    );
    expect(refusal(() => decideFreeze(scene(pack({ status: 'voided' })), ask))?.category).toBe('conflict');
    expect(
      refusal(() => decideFreeze(scene(pack({}, { oneDay: true, daysToExpire: 0 })), ask))?.message,
    ).toBe('a one-day package cannot be frozen');
    // A class at 23:30 local on 6 March is inside; one at 00:30 on 7 March is not.
    const inside = [at('2026-03-07T04:30:00Z')];
    expect(refusal(() => decideFreeze(scene(pack(), { claimedSessionStarts: inside }), ask))).toEqual({
      category: 'conflict',
      message: 'the purchase pays for 1 booked session(s) in that time: move or cancel them first',
      errors: [],
    });
    const outside = [at('2026-03-07T05:30:00Z')];
    expect(decideFreeze(scene(pack(), { claimedSessionStarts: outside }), ask).frozenDays).toBe(2);
  });
});

describe('decideUnfreeze', () => {
  const p = pack();
  const frozen = decideFreeze(scene(p), {
    id: 'f1',
    from: '2026-03-05',
    to: '2026-03-14',
    reason: 'a',
  }).freeze;

  it('ending early keeps only the days actually frozen: today is no longer frozen', () => {
    // 8 March, 13:00 EDT: 5, 6 and 7 March were frozen.
    const d = decideUnfreeze(scene(p, { now: at('2026-03-08T17:00:00Z'), freezes: [frozen] }), {
      reason: 'back',
    });
    expect(d.freeze).toMatchObject({
      id: 'f1',
      from: '2026-03-05',
      to: '2026-03-07',
      days: 3,
      unfreezeReason: 'back',
    });
    expect(d.freeze.endsAt.toISOString()).toBe('2026-03-08T04:59:59.999Z');
    expect(d.frozenDays).toBe(3);
    expect(d.expiresAt?.toISOString()).toBe('2026-04-04T03:59:59.999Z');
  });

  it('undone before it began: it adds nothing and the expiry is back where it was', () => {
    const d = decideUnfreeze(scene(p, { now: at('2026-03-04T17:00:00Z'), freezes: [frozen] }), {
      freezeId: 'f1',
    });
    expect([d.freeze.days, d.frozenDays, d.windows]).toEqual([0, 0, []]);
    expect(d.expiresAt?.toISOString()).toBe('2026-04-01T03:59:59.999Z');
    const again = refusal(() =>
      decideUnfreeze(scene(p, { now: at('2026-03-04T17:00:00Z'), freezes: [d.freeze] }), { freezeId: 'f1' }),
    );
    expect(again?.message).toBe("freeze 'f1' was already undone");
  });

  it('refuses a freeze that is over, an unknown id, and a purchase with nothing to unfreeze', () => {
    const later = at('2026-03-16T17:00:00Z');
    expect(
      refusal(() => decideUnfreeze(scene(p, { now: later, freezes: [frozen] }), { freezeId: 'f1' }))?.message,
    ).toBe("freeze 'f1' ended on 2026-03-14");
    expect(
      refusal(() => decideUnfreeze(scene(p, { freezes: [frozen] }), { freezeId: 'nope' }))?.category,
    ).toBe('not_found');
    expect(refusal(() => decideUnfreeze(scene(p, { now: later, freezes: [frozen] }), {}))?.message).toBe(
      "purchase 'p' has no freeze in force or to come",
    );
  });
});

const policy = compilePolicy(loadPreset('mytime'));
const freezeOf = (from: string, to: string, id = 'f') => ({ id, ...localDays(from, to, zone), to });
const payable = (startsAt: Date, now = at('2026-03-02T15:00:00Z')): Payable => {
  const r = reservation('r', {
    session: { ...reservation('r').session, startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000) },
  });
  return {
    clientId: 'sarah',
    item: r.item,
    session: r.session,
    reservation: r,
    channel: 'in_store',
    price: 2500,
    units: 1,
    at: now,
  };
};

describe('a frozen purchase pays for nothing that starts inside the freeze', () => {
  it('is refused with "frozen until …"; another purchase pays; the session after the freeze is paid', () => {
    const frozen = purchase('a', { freezes: [freezeOf('2026-03-05', '2026-03-14')], frozenDays: 10 });
    const other = purchase('b', { purchasedAt: at('2026-03-01T16:00:00Z') });
    const during = choosePurchase(policy, payable(at('2026-03-10T15:00:00Z')), [frozen, other]);
    expect(during.considered).toEqual([
      { purchaseId: 'a', eligible: false, reason: 'frozen until 2026-03-14', rule: null },
      { purchaseId: 'b', eligible: true, reason: 'eligible', rule: null },
    ]);
    expect(during.chosen).toBe('b');
    expect(choosePurchase(policy, payable(at('2026-03-10T15:00:00Z')), [frozen]).summary).toBe(
      'none of 1 purchases may pay: a frozen until 2026-03-14',
    );
    // Staff assigning by hand cannot pick it either.
    expect(choosePurchase(policy, payable(at('2026-03-10T15:00:00Z')), [frozen], 'manual').chosen).toBeNull();
    // 15 March 00:30 EDT is after the freeze.
    expect(choosePurchase(policy, payable(at('2026-03-15T04:30:00Z')), [frozen, other]).chosen).toBe('a');
  });

  it('facts: purchase.frozen at the decision instant, purchase.frozenDays', () => {
    const p = purchase('a', { freezes: [freezeOf('2026-03-05', '2026-03-14')], frozenDays: 10 });
    expect(purchaseFact(p, at('2026-03-06T12:00:00Z'))).toMatchObject({ frozen: true, frozenDays: 10 });
    expect(purchaseFact(p, at('2026-03-04T12:00:00Z'))).toMatchObject({ frozen: false, frozenDays: 10 });
    expect(purchaseFact(purchase('b'), at('2026-03-06T12:00:00Z'))).toMatchObject({
      frozen: false,
      frozenDays: 0,
    });
  });

  it('property: whatever the freezes and the session, a purchase frozen at the session start never pays', () => {
    const day = 86_400_000;
    const base = Date.parse('2026-03-02T05:00:00Z');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 })), {
          maxLength: 4,
        }),
        fc.integer({ min: 0, max: 90 * 24 }),
        fc.constantFrom('manual', 'auto'),
        (stretches, hour, mode) => {
          const freezes = stretches.map(([start, length], i) => {
            const from = new Date(base + start * day).toISOString().slice(0, 10);
            const to = new Date(base + (start + length) * day).toISOString().slice(0, 10);
            return freezeOf(from, to, `f${i}`);
          });
          const p = purchase('a', { freezes });
          const startsAt = new Date(base + hour * 3_600_000);
          const covered = freezes.some((f) => f.startsAt <= startsAt && startsAt <= f.endsAt);
          const chosen = choosePurchase(policy, payable(startsAt), [p], mode as 'manual' | 'auto').chosen;
          expect(chosen === 'a').toBe(!covered);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('credits.low', () => {
  const spend = (p: PurchaseSnap, w: ReturnType<typeof work>, n: number) =>
    post(w, p, {
      kind: 'deduction',
      delta: { deducted: n },
      key: `d${w.cs.postings.length}`,
      reason: null,
      at: w.now,
    });
  const lows = (w: ReturnType<typeof work>) =>
    w.cs.events.flatMap((e) => ('name' in e && e.name === 'credits.low' ? [e.payload] : []));

  it('once per crossing: at the threshold, not again below it, again after a return above it', () => {
    const p = purchase('p', { credits: 5 });
    p.plan.lowBalanceAt = 2;
    const w = work('mytime', [p]);
    spend(p, w, 2); // 5 → 3: above
    expect(lows(w)).toEqual([]);
    spend(p, w, 1); // 3 → 2: crosses
    spend(p, w, 1); // 2 → 1: already below
    expect(lows(w)).toEqual([
      {
        tenantId: 't',
        purchaseId: 'p',
        clientId: 'sarah',
        planId: 'plan',
        remaining: 2,
        threshold: 2,
        kind: 'deduction',
        reservationId: null,
        ticketId: null,
      },
    ]);
    post(w, p, { kind: 'addition', delta: { total: 3 }, key: 'add', reason: null, at: w.now }); // 1 → 4
    spend(p, w, 4); // 4 → 0: crosses again
    expect(lows(w).map((e) => e.remaining)).toEqual([2, 0]);
  });

  it('not for expiry or void, not for an unlimited purchase, not without the setting', () => {
    const p = purchase('p', { credits: 5 });
    p.plan.lowBalanceAt = 4;
    const w = work('mytime', [p]);
    post(w, p, { kind: 'expiry', delta: { expired: 3 }, key: 'e', reason: null, at: w.now });
    expect(lows(w)).toEqual([]);
    const q = purchase('q', { credits: 5 });
    const v = work('mytime', [q]);
    spend(q, v, 5);
    expect(lows(v)).toEqual([]);
  });
});
