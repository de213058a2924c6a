import { describe, expect, it } from 'vitest';
import { decideSessionCancel } from '../../src/credits/cancel-session.ts';
import { countsOf } from '../../src/credits/present.ts';
import { decideWaive } from '../../src/credits/waive.ts';
import { counters, postings, purchase, reservation, work } from './snapshots.ts';

/** The studio's class cancel and a waived no-show, decided on plain objects (no database). */
describe('decideSessionCancel', () => {
  it('MyTime: each live reservation of the session is canceled and its held credit released; others untouched', () => {
    const p = purchase('p', { credits: 5, held: 1, deducted: 2 });
    const w = work('mytime', [p]);
    const held = reservation('a', {
      sessionId: 'class',
      purchaseId: 'p',
      creditState: 'held',
      coveredUnits: 1,
    });
    const free = reservation('b', { sessionId: 'class', clientId: 'ann' });
    const gone = reservation('c', { sessionId: 'class', status: 'canceled', creditState: 'released' });
    const other = reservation('d', {
      sessionId: 'other',
      purchaseId: 'p',
      creditState: 'assigned',
      coveredUnits: 1,
    });
    for (const r of [held, free, gone, other]) w.reservations.set(r.id, r);
    decideSessionCancel(w, 'class');
    expect([held.status, free.status, gone.status, other.status]).toEqual([
      'canceled',
      'canceled',
      'canceled',
      'booked',
    ]);
    expect(held.creditState).toBe('released');
    expect(postings(w)).toEqual([['p', 'release', { held: -1 }]]);
    expect(counters(p)).toMatchObject({ held: 0, remaining: 3 });
    expect(countsOf(p)).toEqual({ used: 0, remaining: 3, total: 5 });
    expect([...(w.cs.canceledSessions ?? [])]).toEqual(['class']);
    // One reservation.changed per reservation canceled now (not the one canceled before).
    expect(
      w.cs.events.flatMap((e) =>
        'name' in e && e.name === 'reservation.changed' ? [e.payload.reservationId] : [],
      ),
    ).toEqual(['a', 'b']);
    expect(w.cs.reservations.get('a')?.steps.at(-1)).toMatchObject({
      trigger: 'session_canceled',
      rule: 'studio-canceled-class-returns-the-credit',
    });
  });

  it('a second decision on the canceled session changes nothing', () => {
    const w = work('gymgo', [purchase('p')]);
    w.reservations.set(
      'a',
      reservation('a', { sessionId: 'class', status: 'canceled', creditState: 'released' }),
    );
    decideSessionCancel(w, 'class');
    expect(w.cs.postings).toEqual([]);
    expect(w.cs.events).toEqual([]);
  });
});

describe('decideWaive', () => {
  it('gives back a no-show’s used credit with a waive entry and the reason as the last step', () => {
    const p = purchase('p', { credits: 5, used: 1 });
    const w = work('gymgo', [p]);
    const r = reservation('a', { status: 'no_show', purchaseId: 'p', creditState: 'used', coveredUnits: 1 });
    decideWaive(w, r, 'flat tyre');
    expect(postings(w)).toEqual([['p', 'waive', { used: -1 }]]);
    expect(w.cs.postings[0]?.key).toBe('r:a:1');
    expect(counters(p)).toMatchObject({ used: 0, remaining: 5 });
    expect(r).toMatchObject({ status: 'no_show', creditState: 'released', coveredUnits: 0 });
    expect(w.cs.reservations.get('a')?.steps.at(-1)).toMatchObject({
      event: 'release',
      rule: null,
      reason: 'no-show waived by staff: flat tyre',
    });
  });

  it('into an expired purchase the credit lands in expired, not remaining', () => {
    const p = purchase('p', { credits: 5, used: 1, expired: 4, status: 'expired' });
    const w = work('gymgo', [p]);
    decideWaive(
      w,
      reservation('a', { status: 'no_show', purchaseId: 'p', creditState: 'used', coveredUnits: 1 }),
      'x',
    );
    expect(postings(w)).toEqual([['p', 'waive', { used: -1, expired: 1 }]]);
    expect(p.remaining).toBe(0);
  });

  it('refuses what is not a counted no-show', () => {
    const w = work('gymgo', [purchase('p')]);
    expect(() =>
      decideWaive(w, reservation('a', { status: 'checked_in', creditState: 'used', purchaseId: 'p' }), 'x'),
    ).toThrow(/only a no-show/);
    expect(() =>
      decideWaive(w, reservation('b', { status: 'no_show', creditState: 'released', purchaseId: 'p' }), 'x'),
    ).toThrow(/nothing to waive/);
    expect(w.cs.postings).toEqual([]);
  });
});
