import { describe, expect, it } from 'vitest';
import { allocate } from '../../src/credits/allocate.ts';
import { assignReservation, releaseClaim, triggerReservation } from '../../src/credits/decide.ts';
import { applyDueTimeTriggers, settleExpiry } from '../../src/credits/due.ts';
import { loadPreset } from '../../src/policy/index.ts';
import { at, counters, line, postings, purchase, reservation, work } from './snapshots.ts';

/** decide on plain snapshots: every trigger of each preset, with the seeds' numbers and our own. */

const booked = (w: ReturnType<typeof work>, r: ReturnType<typeof reservation>) => {
  assignReservation(w, r, 'auto');
  return triggerReservation(w, r, 'booked');
};

describe('MyTime preset', () => {
  it('B14 seed: 3 credits, booking holds one (3 → 2), cancel gives it back (→ 3)', () => {
    const p = purchase('p', { credits: 3 });
    const w = work('mytime', [p]);
    const r = reservation('r');
    booked(w, r);
    expect([r.creditState, r.coveredUnits, p.remaining, p.held]).toEqual(['held', 1, 2, 1]);
    r.status = 'canceled';
    triggerReservation(w, r, 'canceled');
    expect([r.creditState, p.remaining, p.held]).toEqual(['released', 3, 0]);
    expect(postings(w)).toEqual([
      ['p', 'hold', { held: 1 }],
      ['p', 'release', { held: -1 }],
    ]);
    expect(w.cs.postings.map((x) => x.key)).toEqual(['r:r:1', 'r:r:2']);
    expect(w.cs.postings.map((x) => x.remainingAfter)).toEqual([2, 3]);
  });

  it('B3: first in, first out — the older purchase pays although the newer expires first', () => {
    const older = purchase('old', { purchasedAt: at('2026-02-01T15:00:00Z') });
    const newer = purchase('new', {
      purchasedAt: at('2026-02-20T15:00:00Z'),
      expiresAt: at('2026-03-10T04:59:59.999Z'),
    });
    const w = work('mytime', [newer, older]);
    const r = reservation('r');
    booked(w, r);
    expect(r.purchaseId).toBe('old');
  });

  it('B12: in store, the start time passing uses the held credit; B15 the end changes nothing more', () => {
    const p = purchase('p', { credits: 5 });
    const w = work('mytime', [p]);
    const r = reservation('r');
    booked(w, r);
    const stats = applyDueTimeTriggers(w, [r], at('2026-03-03T17:00:00Z'));
    expect([r.creditState, r.startedApplied, r.endedApplied]).toEqual(['used', true, true]);
    expect(counters(p)).toEqual({ total: 5, held: 0, used: 1, deducted: 0, expired: 0, remaining: 4 });
    expect(stats).toEqual({ sessions: 1, used: 1, released: 0, skipped: 0 });
    expect(w.cs.postings.map((x) => x.at.toISOString())).toEqual([
      '2026-03-02T15:00:00.000Z',
      '2026-03-03T15:00:00.000Z',
    ]);
  });

  it('B15: the end-of-session sweep skips a manual checkout, a no-show and a cancellation', () => {
    const p = purchase('p', { credits: 5 });
    const w = work('mytime', [p]);
    const manual = reservation('manual', { channel: 'online' });
    const noShow = reservation('noshow', { channel: 'online' });
    const plain = reservation('plain', { channel: 'online' });
    for (const r of [manual, noShow, plain]) booked(w, r);
    manual.checkedOutManually = true;
    manual.ticket = { id: 'tkt', status: 'closed', manual: true, lineCount: 1 };
    noShow.status = 'no_show';
    triggerReservation(w, noShow, 'no_show');
    // Online bookings are not used at the start (B13): only the end decides.
    const ended = { startedApplied: true };
    Object.assign(manual, ended);
    Object.assign(noShow, ended);
    Object.assign(plain, ended);
    applyDueTimeTriggers(w, [manual, noShow, plain], at('2026-03-03T17:00:00Z'));
    expect([manual.creditState, noShow.creditState, plain.creditState]).toEqual(['held', 'released', 'used']);
    expect(counters(p)).toEqual({ total: 5, held: 1, used: 1, deducted: 0, expired: 0, remaining: 3 });
  });

  it('B17: a no-show is never charged', () => {
    const p = purchase('p', { credits: 2 });
    const w = work('mytime', [p]);
    const r = reservation('r');
    booked(w, r);
    r.status = 'no_show';
    const step = triggerReservation(w, r, 'no_show');
    expect([step.event, step.rule, r.creditState, p.remaining]).toEqual([
      'release',
      'no-show-is-free',
      'released',
      2,
    ]);
  });

  it('B16: a reservation nothing paid is assigned and used by session_ended when a purchase has come', () => {
    const w = work('mytime', []);
    const r = reservation('r', { channel: 'online', startedApplied: true });
    booked(w, r);
    expect(r.creditState).toBe('none');
    const p = purchase('late', { purchasedAt: at('2026-03-03T15:30:00Z'), credits: 4 });
    w.purchases.set(p.id, p);
    applyDueTimeTriggers(w, [r], at('2026-03-03T17:00:00Z'));
    expect([r.creditState, r.purchaseId, p.remaining]).toEqual(['used', 'late', 3]);
  });

  it('B9 seed: three lines, two credits — the two cheapest lines get them', () => {
    const p = purchase('p', { credits: 2 });
    const w = work('mytime', [p]);
    const lines = [line(0, 3000), line(1, 1000), line(2, 2000)];
    allocate(w, { id: 'tkt', status: 'open', manual: false, lineCount: 3 }, 'sarah', lines, new Map());
    expect(lines.map((l) => [l.creditState, l.coveredUnits])).toEqual([
      ['none', 0],
      ['assigned', 1],
      ['assigned', 1],
    ]);
  });

  it('B10 seed: seven nights with five credits hold five', () => {
    const p = purchase('p', { credits: 5 });
    const w = work('mytime', [p]);
    const r = reservation('r');
    r.session.units = 7;
    booked(w, r);
    expect([r.creditState, r.coveredUnits, p.held, p.remaining]).toEqual(['held', 5, 5, 0]);
  });
});

describe('gymGO preset', () => {
  it('B2 seed: the most recent purchase is assigned even with 1 of 5 left on the older one', () => {
    const older = purchase('old', { credits: 5, used: 4, purchasedAt: at('2026-01-01T15:00:00Z') });
    const newer = purchase('new', { credits: 10, purchasedAt: at('2026-02-01T15:00:00Z') });
    const w = work('gymgo', [older, newer]);
    const r = reservation('r');
    booked(w, r);
    expect([r.purchaseId, r.creditState, newer.remaining]).toEqual(['new', 'assigned', 10]);
    expect(w.cs.postings).toEqual([]);
  });

  it('B17: booked and not checked in by the end counts; check-in counts; a cancel never does', () => {
    const p = purchase('p', { credits: 3 });
    const w = work('gymgo', [p]);
    const [a, b, c] = [reservation('a'), reservation('b'), reservation('c')];
    for (const r of [a, b, c]) booked(w, r);
    b.status = 'checked_in';
    triggerReservation(w, b, 'checked_in');
    c.status = 'canceled';
    triggerReservation(w, c, 'canceled');
    applyDueTimeTriggers(w, [a, b, c], at('2026-03-03T17:00:00Z'));
    expect([a.creditState, b.creditState, c.creditState]).toEqual(['used', 'used', 'released']);
    expect(counters(p)).toEqual({ total: 3, held: 0, used: 2, deducted: 0, expired: 0, remaining: 1 });
  });

  it('B17: a no-show marked by staff counts', () => {
    const p = purchase('p', { credits: 3 });
    const w = work('gymgo', [p]);
    const r = reservation('r');
    booked(w, r);
    r.status = 'no_show';
    triggerReservation(w, r, 'no_show');
    expect([r.creditState, p.used]).toEqual(['used', 1]);
  });
});

describe('ABC Scheduler and soonest-expiring presets', () => {
  it('B7: a personal-training bucket does not pay for a standard class', () => {
    const pt = purchase('pt', {});
    pt.plan = {
      ...pt.plan,
      kind: 'session_bucket',
      bucketType: 'personal_training',
      itemType: 'Scheduler_Bucket',
    };
    const w = work('abc-scheduler', [pt]);
    const r = reservation('r');
    const { trace } = assignReservation(w, r, 'auto');
    expect(trace.considered).toEqual([
      {
        purchaseId: 'pt',
        eligible: false,
        reason: 'bucket type does not match the session',
        rule: 'bucket-type-must-match',
      },
    ]);
    expect(r.creditState).toBe('none');
  });

  it('ABC: check-in uses the held session', () => {
    const p = purchase('p', { credits: 4 });
    const w = work('abc-scheduler', [p]);
    const r = reservation('r');
    booked(w, r);
    triggerReservation(w, r, 'checked_in');
    expect(postings(w)).toEqual([
      ['p', 'hold', { held: 1 }],
      ['p', 'use', { held: -1, used: 1 }],
    ]);
  });

  it('soonest-expiring: lower plan priority first, then the soonest expiry, never-expiring last', () => {
    const never = purchase('never');
    const soon = purchase('soon', { expiresAt: at('2026-03-20T03:59:59.999Z') });
    const later = purchase('later', { expiresAt: at('2026-04-20T03:59:59.999Z') });
    const w = work('soonest-expiring', [never, later, soon]);
    const r = reservation('r');
    booked(w, r);
    expect(r.purchaseId).toBe('soon');
  });
});

describe('the fixed rules and the balance moves', () => {
  it('B6: a purchase bought after the session ended, or expiring before it starts, cannot pay', () => {
    const late = purchase('late', { purchasedAt: at('2026-03-03T16:00:01Z') });
    const gone = purchase('gone', { expiresAt: at('2026-03-03T14:59:59.999Z') });
    const w = work('mytime', [late, gone]);
    const r = reservation('r');
    const { trace } = assignReservation(w, r, 'auto');
    expect(trace.considered.map((c) => [c.purchaseId, c.reason])).toEqual([
      ['late', 'bought after the session ended'],
      ['gone', 'expires before the session starts'],
    ]);
  });

  it('a credit given back to a voided purchase lands in deducted, to an expired one in expired', () => {
    const voided = purchase('v', { credits: 3 });
    const expired = purchase('e', { credits: 3 });
    const w = work('mytime', [voided, expired]);
    const a = reservation('a', { purchaseId: 'v', creditState: 'held', coveredUnits: 1 });
    const b = reservation('b', { purchaseId: 'e', creditState: 'used', coveredUnits: 1 });
    Object.assign(voided, { held: 1, deducted: 2, remaining: 0, status: 'voided' });
    Object.assign(expired, { used: 1, expired: 2, remaining: 0, status: 'expired' });
    releaseClaim(w, a, { reservationId: 'a', ticketId: null, lineNo: null }, 'test');
    releaseClaim(w, b, { reservationId: 'b', ticketId: null, lineNo: null }, 'test');
    expect(counters(voided)).toEqual({ total: 3, held: 0, used: 0, deducted: 3, expired: 0, remaining: 0 });
    expect(counters(expired)).toEqual({ total: 3, held: 0, used: 0, deducted: 0, expired: 3, remaining: 0 });
  });

  it('a tenant rule releasing at session_ended into a voided purchase leaves remaining 0 (the old bulk drift)', () => {
    const rules = loadPreset('mytime');
    rules.rules.push({
      name: 'end-releases',
      decision: 'usage',
      priority: 1000,
      conditions: { all: [{ fact: 'trigger', operator: 'equal', value: 'session_ended' }] },
      event: { type: 'release', params: { reason: 'ended' } },
    } as (typeof rules.rules)[number]);
    const p = purchase('p', { credits: 3 });
    const w = work(rules, [p]);
    const r = reservation('r', { channel: 'online' });
    booked(w, r);
    Object.assign(p, { status: 'voided', deducted: 2, remaining: 0 });
    w.explainAll = false;
    applyDueTimeTriggers(w, [{ ...r, startedApplied: true }], at('2026-03-03T17:00:00Z'));
    expect(counters(p)).toEqual({ total: 3, held: 0, used: 0, deducted: 3, expired: 0, remaining: 0 });
  });

  it('B6: expiry moves the unheld remaining to expired at expiresAt, once; held credits stay held', () => {
    const p = purchase('p', { credits: 5, held: 1, expiresAt: at('2026-03-02T04:59:59.999Z') });
    const w = work('mytime', [p]);
    expect(settleExpiry(w, at('2026-03-02T15:00:00Z'))).toBe(1);
    expect(settleExpiry(w, at('2026-03-02T15:00:00Z'))).toBe(0);
    expect([p.status, p.held, p.expired, p.remaining]).toEqual(['expired', 1, 4, 0]);
    expect(w.cs.postings.map((x) => [x.key, x.at.toISOString()])).toEqual([
      ['expiry:p', '2026-03-02T04:59:59.999Z'],
    ]);
    expect(w.cs.events.filter((e) => 'name' in e).map((e) => 'name' in e && e.name)).toEqual([
      'purchase.changed',
    ]);
  });
});
