import { describe, expect, it } from 'vitest';
import { decideBooking, releaseClaim } from '../../src/credits/decide.ts';
import type { ClientSnapshot, PurchaseSnap } from '../../src/credits/types.ts';
import { planClaim, splitUnits } from '../../src/credits/usage.ts';
import { decideWaive } from '../../src/credits/waive.ts';
import { compilePolicy, loadPreset } from '../../src/policy/index.ts';
import { at, counters, postings, purchase, reservation, work } from './snapshots.ts';

/** B10 across purchases on plain objects: a claim's shares, each moved with its own posting. */

const active = () => {
  const ruleset = loadPreset('mytime');
  return { version: 3, hash: 'h3', ruleset, policy: compilePolicy(ruleset) };
};

function stayOf(units: number, purchases: PurchaseSnap[]): ClientSnapshot {
  const r = reservation('new');
  return {
    clientId: 'sarah',
    policyVersion: 3,
    purchases: new Map(purchases.map((p) => [p.id, p])),
    reservations: new Map(),
    usedThrough: new Map(),
    explains: new Map(),
    ticket: null,
    booking: { session: { session: { ...r.session, units }, item: r.item }, live: null, idTaken: false },
  };
}

const ctx = { tenantId: 't', actor: 'staff', now: at('2026-03-02T15:00:00Z') };
const request = { id: 'r1', clientId: 'sarah', sessionId: 's-new', channel: 'in_store' as const };
// FIFO: `a` was bought first and pays first.
const a = (credits: number) => purchase('a', { credits, purchasedAt: at('2026-02-01T15:00:00Z') });
const b = (credits: number) => purchase('b', { credits, purchasedAt: at('2026-02-15T15:00:00Z') });

describe('splitUnits', () => {
  it('fills in order: 7 units over 3 and 2 → 3 + 2; over 3 and 3 for 5 → 3 + 2; an unlimited one takes the rest', () => {
    const p = (id: string, remaining: number, unlimited = false) => ({ id, remaining, unlimited });
    expect(splitUnits(7, [p('a', 3), p('b', 2)])).toEqual([
      { purchaseId: 'a', units: 3 },
      { purchaseId: 'b', units: 2 },
    ]);
    expect(splitUnits(5, [p('a', 3), p('b', 3), p('c', 9)])).toEqual([
      { purchaseId: 'a', units: 3 },
      { purchaseId: 'b', units: 2 },
    ]);
    expect(splitUnits(4, [p('a', 10), p('b', 3)])).toEqual([{ purchaseId: 'a', units: 4 }]);
    expect(splitUnits(6, [p('a', 1), p('u', 0, true)])).toEqual([
      { purchaseId: 'a', units: 1 },
      { purchaseId: 'u', units: 5 },
    ]);
  });
});

describe('decideBooking across purchases', () => {
  it('seed: 7 nights, 3 + 2 credits → holds 3 on a and 2 on b, one posting each, 5 covered', () => {
    const d = decideBooking(stayOf(7, [b(2), a(3)]), active(), request, ctx);
    expect(
      d.changes.postings.map((p) => [p.purchaseId, p.kind, p.key, p.delta.held, p.remainingAfter]),
    ).toEqual([
      ['a', 'hold', 'r:r1:1', 3, 0],
      ['b', 'hold', 'r:r1:2', 2, 0],
    ]);
    expect(d.reservation).toMatchObject({
      purchaseId: 'a',
      creditState: 'held',
      coveredUnits: 5,
      shares: [
        { purchaseId: 'a', units: 3 },
        { purchaseId: 'b', units: 2 },
      ],
    });
  });

  it('one purchase with enough credits: a claim of one share, stored without a list', () => {
    const d = decideBooking(stayOf(4, [a(10), b(3)]), active(), request, ctx);
    expect(d.changes.postings.map((p) => [p.purchaseId, p.kind, p.delta.held])).toEqual([['a', 'hold', 4]]);
    expect(d.reservation.shares).toBeUndefined();
    expect(d.reservation).toMatchObject({ purchaseId: 'a', coveredUnits: 4 });
  });
});

describe('moving a claim of several shares', () => {
  it('release gives each share back to its own purchase; an expired one gets its share as expired', () => {
    const w = work('mytime', [
      purchase('a', { credits: 3, held: 3 }),
      purchase('b', { credits: 2, held: 2, status: 'expired' }),
    ]);
    const r = reservation('r1', {
      purchaseId: 'a',
      creditState: 'held',
      coveredUnits: 5,
      creditSeq: 2,
      shares: [
        { purchaseId: 'a', units: 3 },
        { purchaseId: 'b', units: 2 },
      ],
    });
    releaseClaim(w, r, { reservationId: 'r1', ticketId: null, lineNo: null }, 'canceled');
    expect(postings(w)).toEqual([
      ['a', 'release', { held: -3 }],
      ['b', 'release', { held: -2, expired: 2 }],
    ]);
    expect(w.cs.postings.map((p) => p.key)).toEqual(['r:r1:3', 'r:r1:4']);
    expect(counters(w.purchases.get('a') as PurchaseSnap)).toMatchObject({ held: 0, remaining: 3 });
    expect(counters(w.purchases.get('b') as PurchaseSnap)).toMatchObject({
      held: 0,
      expired: 2,
      remaining: 0,
    });
    expect(r).toMatchObject({ creditState: 'released', coveredUnits: 0, purchaseId: 'a' });
  });

  it('planClaim: held → used moves each share; taking from assigned takes what each has left, in order', () => {
    const view = (remaining: number) => ({ remaining, unlimited: false, expired: false });
    const shares = [
      { purchaseId: 'a', units: 3 },
      { purchaseId: 'b', units: 2 },
    ];
    expect(planClaim({ state: 'held', shares }, 'use', 5, () => view(0))).toEqual({
      kind: 'move',
      state: 'used',
      covered: 5,
      shares,
      postings: [
        { purchaseId: 'a', kind: 'use', delta: { held: -3, used: 3 } },
        { purchaseId: 'b', kind: 'use', delta: { held: -2, used: 2 } },
      ],
    });
    // a has only 1 left by now: b gives what it has, and 3 of 5 are covered.
    const left: Record<string, number> = { a: 1, b: 2 };
    expect(planClaim({ state: 'assigned', shares }, 'use', 5, (id) => view(left[id] ?? 0))).toMatchObject({
      state: 'used',
      covered: 3,
      shares: [
        { purchaseId: 'a', units: 1 },
        { purchaseId: 'b', units: 2 },
      ],
    });
  });

  it('a waive gives each used share back with a waive entry of its own', () => {
    const w = work('gymgo', [purchase('a', { credits: 3, used: 3 }), purchase('b', { credits: 2, used: 2 })]);
    const r = reservation('r1', {
      status: 'no_show',
      purchaseId: 'a',
      creditState: 'used',
      coveredUnits: 5,
      creditSeq: 2,
      shares: [
        { purchaseId: 'a', units: 3 },
        { purchaseId: 'b', units: 2 },
      ],
    });
    decideWaive(w, r, 'car broke down');
    expect(postings(w)).toEqual([
      ['a', 'waive', { used: -3 }],
      ['b', 'waive', { used: -2 }],
    ]);
    expect([w.purchases.get('a')?.remaining, w.purchases.get('b')?.remaining]).toEqual([3, 2]);
    expect(r).toMatchObject({ creditState: 'released', coveredUnits: 0 });
  });
});
