import { describe, expect, it } from 'vitest';
import { decideBooking } from '../../src/credits/decide.ts';
import { reservationView } from '../../src/credits/present.ts';
import type { ClientSnapshot, PurchaseSnap, ReservationSnap } from '../../src/credits/types.ts';
import { compilePolicy, loadPreset } from '../../src/policy/index.ts';
import { at, counters, purchase, reservation } from './snapshots.ts';

/** decideBooking on plain objects: no database; the snapshot it is given is never changed. */

const active = (preset: string) => {
  const ruleset = loadPreset(preset);
  return { version: 3, hash: 'h3', ruleset, policy: compilePolicy(ruleset) };
};

function snapshotOf(purchases: PurchaseSnap[], due: ReservationSnap[] = []): ClientSnapshot {
  const session = reservation('new');
  return {
    clientId: 'sarah',
    policyVersion: 3,
    purchases: new Map(purchases.map((p) => [p.id, p])),
    reservations: new Map(due.map((r) => [r.id, r])),
    usedThrough: new Map(),
    explains: new Map(),
    ticket: null,
    booking: { session: { session: session.session, item: session.item }, live: null, idTaken: false },
  };
}

const ctx = { tenantId: 't', actor: 'staff', now: at('2026-03-02T15:00:00Z') };
const request = { id: 'r1', clientId: 'sarah', sessionId: 's-new', channel: 'online' as const };

describe('decideBooking', () => {
  it('MyTime: holds one credit (3 → 2) in the change set and leaves the snapshot as read', () => {
    const p = purchase('p', { credits: 3 });
    const snapshot = snapshotOf([p]);
    const before = structuredClone(snapshot);
    const d = decideBooking(snapshot, active('mytime'), request, ctx);
    expect(snapshot).toEqual(before);
    expect(counters(p)).toEqual({ total: 3, held: 0, used: 0, deducted: 0, expired: 0, remaining: 3 });
    expect(d.changes.postings.map((x) => [x.purchaseId, x.kind, x.key, x.remainingAfter])).toEqual([
      ['p', 'hold', 'r:r1:1', 2],
    ]);
    expect(counters(d.changes.purchases.get('p') as PurchaseSnap)).toEqual({
      total: 3,
      held: 1,
      used: 0,
      deducted: 0,
      expired: 0,
      remaining: 2,
    });
    expect(d.changes.reservations.get('r1')?.insert).toBe(true);
    expect(d.changes.policy).toEqual({ version: 3, hash: 'h3' });
    expect(d.changes.events.map((e) => ('credit' in e ? 'credit.changed' : e.name))).toEqual([
      'credit.changed',
      'reservation.changed',
    ]);
    const view = reservationView({ ...d, threshold: 100 });
    expect(view).toMatchObject({ id: 'r1', purchaseId: 'p', credit: { state: 'held', units: 1 } });
    expect(view.explain?.usage.map((s) => [s.trigger, s.event, s.state])).toEqual([
      ['booked', 'hold', 'held'],
    ]);
    expect(view.explain?.policyVersion).toBe(3);
  });

  it('gymGO: assigns the newest purchase and takes nothing', () => {
    const older = purchase('old', { purchasedAt: at('2026-02-01T15:00:00Z') });
    const newer = purchase('new', { purchasedAt: at('2026-02-20T15:00:00Z') });
    const d = decideBooking(snapshotOf([older, newer]), active('gymgo'), request, ctx);
    expect(d.reservation).toMatchObject({ purchaseId: 'new', creditState: 'assigned', coveredUnits: 1 });
    expect(d.changes.postings).toEqual([]);
  });

  it('decides what time made due first (B12): an earlier in-store booking uses its held credit', () => {
    const p = purchase('p', { credits: 5, held: 1 });
    const earlier = reservation('e', {
      purchaseId: 'p',
      creditState: 'held',
      coveredUnits: 1,
      creditSeq: 1,
      session: {
        ...reservation('e').session,
        startsAt: at('2026-03-02T10:00:00Z'),
        endsAt: at('2026-03-02T11:00:00Z'),
      },
    });
    const snapshot = snapshotOf([p], [earlier]);
    const d = decideBooking(snapshot, active('mytime'), request, ctx);
    expect(earlier.creditState).toBe('held');
    expect(d.changes.postings.map((x) => [x.key, x.kind])).toEqual([
      ['r:e:2', 'use'],
      ['r:r1:1', 'hold'],
    ]);
    expect(counters(d.purchases.get('p') as PurchaseSnap)).toMatchObject({ held: 1, used: 1, remaining: 3 });
  });

  it('refuses an unknown session, a taken id and a second booking of the same session', () => {
    const base = snapshotOf([purchase('p')]);
    const none = { ...base, booking: { session: null, live: null, idTaken: false } };
    expect(() => decideBooking(none, active('mytime'), request, ctx)).toThrow(/session/);
    const taken = {
      ...base,
      booking: { ...(base.booking as NonNullable<ClientSnapshot['booking']>), idTaken: true },
    };
    expect(() => decideBooking(taken, active('mytime'), request, ctx)).toThrow(
      "reservation 'r1' already exists",
    );
    const live = {
      ...base,
      booking: { ...(base.booking as NonNullable<ClientSnapshot['booking']>), live: 'r0' },
    };
    expect(() => decideBooking(live, active('mytime'), request, ctx)).toThrow(/already booked.*\(r0\)/);
  });
});
