import { describe, expect, it } from 'vitest';
import { decideBooking } from '../../src/credits/decide.ts';
import { capLeft, memberRefusal, membersProblems, poolWith } from '../../src/credits/pool.ts';
import { decideTransfer, transferRefusal } from '../../src/credits/transfer.ts';
import type { ClientSnapshot, PurchaseSnap } from '../../src/credits/types.ts';
import { PunchcardError } from '../../src/errors.ts';
import { compilePolicy, loadPreset } from '../../src/policy/index.ts';
import { at, counters, postings, purchase, reservation, work } from './snapshots.ts';

/** Shared pools and transfers (issue 20 items 4, 5) on plain snapshots: no database. */

const active = (preset: string) => {
  const ruleset = loadPreset(preset);
  return { version: 3, hash: 'h3', ruleset, policy: compilePolicy(ruleset) };
};
const ctx = { tenantId: 't', actor: 'staff', now: at('2026-03-02T15:00:00Z') };

function snapshotOf(clientId: string, purchases: PurchaseSnap[], units = 1): ClientSnapshot {
  const session = reservation('new');
  session.session.units = units;
  return {
    clientId,
    policyVersion: 3,
    purchases: new Map(purchases.map((p) => [p.id, p])),
    reservations: new Map(),
    usedThrough: new Map(),
    explains: new Map(),
    ticket: null,
    booking: { session: { session: session.session, item: session.item }, live: null, idTaken: false },
  };
}
const bookAs = (clientId: string, purchases: PurchaseSnap[], units = 1) =>
  decideBooking(
    snapshotOf(clientId, purchases, units),
    active('mytime'),
    { id: 'r1', clientId, sessionId: 's-new', channel: 'online' },
    ctx,
  );

const pooled = (id: string, credits: number, members: string[], caps: Record<string, number> = {}) => {
  const p = purchase(id, { credits });
  p.pool = poolWith(p, { clientIds: members, caps });
  return p;
};

describe('shared pools: who may be paid from a purchase', () => {
  it('a member books from the owner’s purchase; the posting names the member and counts against its cap', () => {
    const p = pooled('p', 3, ['tom'], { tom: 2 });
    const d = bookAs('tom', [p]);
    expect(d.reservation.purchaseId).toBe('p');
    expect(d.changes.postings.map((x) => [x.purchaseId, x.kind, x.clientId, x.remainingAfter])).toEqual([
      ['p', 'hold', 'tom', 2],
    ]);
    const after = d.changes.purchases.get('p') as PurchaseSnap;
    expect(after.pool?.used).toEqual({ tom: 1 });
    expect(capLeft(after, 'tom')).toBe(1);
    // The snapshot as read is untouched.
    expect(p.pool?.used).toEqual({ tom: 0 });
  });

  it('a client outside the pool, or a member at its cap, is refused with the reason in the trace', () => {
    const p = pooled('p', 3, ['tom'], { tom: 1 });
    const bob = bookAs('bob', [p]);
    expect(bob.reservation.purchaseId).toBeNull();
    expect(bob.changes.postings).toEqual([]);
    const full = pooled('p', 3, ['tom'], { tom: 1 });
    (full.pool as { used: Record<string, number> }).used.tom = 1;
    const tom = bookAs('tom', [full]);
    expect(tom.reservation.purchaseId).toBeNull();
    expect(tom.explain?.assignment?.considered).toEqual([
      { purchaseId: 'p', eligible: false, reason: 'member cap of 1 reached', rule: null },
    ]);
    expect(memberRefusal(full, 'sarah')).toBeNull();
    expect(memberRefusal(full, 'bob')).toBe('belongs to another client');
  });

  it('a multi-unit booking takes no more than the member’s cap from the pool (B10 shares)', () => {
    const p = pooled('p', 10, ['tom'], { tom: 2 });
    // Bought later: the pool comes first in the assignment order (purchasedAt asc).
    const own = purchase('q', { credits: 5, clientId: 'tom', purchasedAt: at('2026-03-01T16:00:00Z') });
    const d = bookAs('tom', [p, own], 3);
    expect(d.reservation.shares).toEqual([
      { purchaseId: 'p', units: 2 },
      { purchaseId: 'q', units: 1 },
    ]);
    expect(counters(d.changes.purchases.get('p') as PurchaseSnap)).toMatchObject({ held: 2, remaining: 8 });
  });

  it('a client id named like an Object.prototype key is data: no cap leaks from the prototype', () => {
    const p = pooled('p', 3, ['constructor', '__proto__'], { __proto__: 1 } as Record<string, number>);
    expect(capLeft(p, 'constructor')).toBe(Number.POSITIVE_INFINITY);
    expect(p.pool?.members).toEqual(['constructor', '__proto__']);
    expect(Object.keys(p.pool?.used ?? {})).toEqual(['constructor', '__proto__']);
    expect(memberRefusal(p, 'toString')).toBe('belongs to another client');
  });

  it('members problems: the owner, a duplicate, a cap for a non-member, with pointers', () => {
    expect(membersProblems('sarah', { clientIds: ['sarah', 'tom', 'tom'], caps: { 'a/b': 1 } })).toEqual([
      { path: '/clientIds/0', message: 'is the owner of the purchase' },
      { path: '/clientIds/2', message: "'tom' is listed twice" },
      { path: '/caps/a~1b', message: 'is not a member' },
    ]);
    // A former member keeps its `used` key (its read still locks the purchase); its cap goes.
    const p = pooled('p', 3, ['tom'], { tom: 1 });
    expect(poolWith(p, { clientIds: ['ana'] })).toEqual({
      members: ['ana'],
      caps: {},
      used: { tom: 0, ana: 0 },
    });
  });
});

describe('transfers', () => {
  const now = at('2026-03-02T15:00:00Z');
  it('transferRefusal: voided, expired (by status or by time), on hold, frozen; else null', () => {
    expect(transferRefusal(purchase('p'), now)).toBeNull();
    expect(transferRefusal(purchase('p', { status: 'voided' }), now)).toBe('voided');
    expect(transferRefusal(purchase('p', { status: 'expired' }), now)).toBe('expired');
    expect(transferRefusal(purchase('p', { expiresAt: at('2026-03-02T14:59:59Z') }), now)).toBe('expired');
    expect(transferRefusal(purchase('p', { expiresAt: at('2026-03-02T15:00:01Z') }), now)).toBeNull();
    expect(transferRefusal(purchase('p', { status: 'on_hold' }), now)).toBe('on hold');
    expect(transferRefusal({ ...purchase('p'), frozen: true }, now)).toBe('frozen');
  });

  it('moves n credits: transfer_out shrinks the source total, transfer_in is the new total; sums are conserved', () => {
    const w = work('mytime', [
      purchase('p', { credits: 10, held: 1, expiresAt: at('2026-04-01T03:59:59.999Z') }),
    ]);
    const source = w.purchases.get('p') as PurchaseSnap;
    const before = { total: source.total, remaining: source.remaining };
    const moved = decideTransfer(w, source, {
      toClientId: 'tom',
      credits: 4,
      reason: 'moving',
      newPurchaseId: 'n',
    });
    expect(moved.credits).toBe(4);
    expect(postings(w)).toEqual([
      ['p', 'transfer_out', { total: -4 }],
      ['n', 'transfer_in', { total: 4 }],
    ]);
    expect(w.cs.postings.map((x) => x.clientId)).toEqual(['sarah', 'tom']);
    const target = moved.purchase;
    expect(counters(target)).toEqual({ total: 4, held: 0, used: 0, deducted: 0, expired: 0, remaining: 4 });
    expect([target.clientId, target.planId, target.expiresAt, target.purchasedAt]).toEqual([
      'tom',
      source.planId,
      source.expiresAt,
      source.purchasedAt,
    ]);
    expect(source.total + target.total).toBe(before.total);
    expect(source.remaining + target.remaining).toBe(before.remaining);
    expect(w.cs.newPurchases).toEqual(new Set(['n']));
    expect(w.cs.events.filter((e) => !('credit' in e)).map((e) => ('name' in e ? e.name : ''))).toEqual([
      'purchase.transferred',
    ]);
  });

  it('refuses more than remaining, an unlimited purchase with credits, nothing left; writes nothing', () => {
    const w = work('mytime', [purchase('p', { credits: 3, held: 1 })]);
    const p = w.purchases.get('p') as PurchaseSnap;
    const attempt =
      (credits?: number, source = p) =>
      () =>
        decideTransfer(w, source, { toClientId: 'tom', credits, reason: 'x', newPurchaseId: 'n' });
    expect(attempt(3)).toThrow("cannot transfer 3 credits: purchase 'p' has 2 remaining");
    const unlimited = purchase('u', { unlimited: true });
    expect(attempt(1, unlimited)).toThrow("purchase 'u' is unlimited: transfer it whole (without credits)");
    const empty = purchase('e', { credits: 1, used: 1 });
    expect(attempt(undefined, empty)).toThrow("purchase 'e' has no unused credits to transfer");
    expect(attempt(1, purchase('v', { status: 'voided' }))).toThrow(PunchcardError);
    expect(w.cs.postings).toEqual([]);
    expect(w.cs.newPurchases.size).toBe(0);
  });
});
