import { describe, expect, it } from 'vitest';
import type { ClientSnapshot, PurchaseSnap, SessionSnap } from '../../src/credits/types.ts';
import { decideJoin, decideLeave, decidePromotion } from '../../src/credits/waitlist/decide.ts';
import type { WaitlistEntrySnap } from '../../src/credits/waitlist/entry.ts';
import { compilePolicy, loadPreset } from '../../src/policy/index.ts';
import { at, counters, postings, purchase, work } from './snapshots.ts';

/** The waitlist's decisions on plain objects (issue 20 item 6): no database. */
const session: SessionSnap = {
  id: 'class',
  itemId: 'yoga',
  locationId: 'loc',
  startsAt: at('2026-03-03T15:00:00Z'),
  endsAt: at('2026-03-03T16:00:00Z'),
  price: null,
  units: 1,
  capacity: 1,
};
const item = {
  id: 'yoga',
  kind: 'class' as const,
  price: 2500,
  itemType: null,
  bucketType: 'standard' as const,
};
const now = at('2026-03-02T15:00:00Z');
const ctx = { tenantId: 't', actor: 'staff', now };

const heldEntry = (extra: Partial<WaitlistEntrySnap> = {}): WaitlistEntrySnap => ({
  id: 'wl1',
  sessionId: 'class',
  clientId: 'sarah',
  status: 'waiting',
  joinedAt: at('2026-03-02T10:00:00Z'),
  endedAt: null,
  purchaseId: 'p',
  creditState: 'held',
  coveredUnits: 1,
  creditSeq: 1,
  reservationId: null,
  reason: null,
  ...extra,
});

function snapshotOf(
  purchases: PurchaseSnap[],
  booking: Partial<NonNullable<ClientSnapshot['booking']>> = {},
) {
  return {
    clientId: 'sarah',
    policyVersion: 7,
    purchases: new Map(purchases.map((p) => [p.id, p])),
    reservations: new Map(),
    usedThrough: new Map(),
    explains: new Map(),
    ticket: null,
    booking: { session: { session, item }, live: null, idTaken: false, taken: 0, ...booking },
  } satisfies ClientSnapshot;
}
const active = () => {
  const ruleset = loadPreset('mytime');
  return { version: 7, hash: 'h', ruleset, policy: compilePolicy(ruleset) };
};

describe('decideJoin', () => {
  it('without holds: an entry and waitlist.joined, no ledger entry', () => {
    const p = purchase('p');
    const w = work('mytime', [p]);
    const entry = decideJoin(w, { id: 'wl1', clientId: 'sarah', session, item, position: 3 }, false);
    expect(entry).toMatchObject({
      status: 'waiting',
      creditState: 'none',
      coveredUnits: 0,
      purchaseId: null,
    });
    expect(postings(w)).toEqual([]);
    expect([...(w.cs.waitlist?.values() ?? [])].map((x) => x.insert)).toEqual([true]);
    expect(w.cs.events).toEqual([
      {
        name: 'waitlist.joined',
        payload: {
          tenantId: 't',
          entryId: 'wl1',
          sessionId: 'class',
          clientId: 'sarah',
          purchaseId: null,
          heldUnits: 0,
          position: 3,
        },
      },
    ]);
  });

  it('with holds: the purchase the rules choose (FIFO) holds the credit, keyed by the entry', () => {
    const older = purchase('older', { purchasedAt: at('2026-02-01T15:00:00Z') });
    const newer = purchase('newer');
    const w = work('mytime', [newer, older]);
    const entry = decideJoin(w, { id: 'wl1', clientId: 'sarah', session, item, position: 1 }, true);
    expect(entry).toMatchObject({ creditState: 'held', coveredUnits: 1, purchaseId: 'older', creditSeq: 1 });
    expect(postings(w)).toEqual([['older', 'hold', { held: 1 }]]);
    expect(w.cs.postings[0]?.key).toBe('w:wl1:1');
    expect(w.cs.postings[0]?.reservationId).toBeNull();
    expect(counters(older)).toMatchObject({ held: 1, remaining: 9 });
    expect(counters(newer)).toMatchObject({ held: 0, remaining: 10 });
    expect(w.cs.events.map((e) => ('name' in e ? [e.name, e.payload] : ['credit']))).toEqual([
      ['credit'],
      ['waitlist.joined', expect.objectContaining({ purchaseId: 'older', heldUnits: 1, position: 1 })],
    ]);
  });

  it('with holds and no eligible credit: 409 with the assignment summary', () => {
    const w = work('mytime', [purchase('p', { status: 'on_hold' })]);
    expect(() => decideJoin(w, { id: 'wl1', clientId: 'sarah', session, item, position: 1 }, true)).toThrow(
      /^client 'sarah' has no credit to hold for session 'class'/,
    );
  });

  it('with holds, a session whose $0 price uses no credit holds nothing', () => {
    const w = work('mytime', [purchase('p')]);
    const entry = decideJoin(
      w,
      { id: 'wl1', clientId: 'sarah', session: { ...session, price: 0 }, item, position: 1 },
      true,
    );
    expect(entry.creditState).toBe('none');
    expect(postings(w)).toEqual([]);
  });
});

describe('decideLeave', () => {
  it('gives the held credit back and ends the entry; the event says what it held', () => {
    const p = purchase('p', { held: 1 });
    const w = work('mytime', [p]);
    const entry = heldEntry();
    decideLeave(w, entry);
    expect(entry).toMatchObject({ status: 'left', creditState: 'released', coveredUnits: 0, creditSeq: 2 });
    expect(entry.endedAt).toEqual(w.now);
    expect(postings(w)).toEqual([['p', 'release', { held: -1 }]]);
    expect(w.cs.postings[0]?.key).toBe('w:wl1:2');
    expect(counters(p)).toMatchObject({ held: 0, remaining: 10 });
    expect(w.cs.events.at(-1)).toEqual({
      name: 'waitlist.left',
      payload: expect.objectContaining({ purchaseId: 'p', heldUnits: 1 }),
    });
  });

  it('a credit held by a purchase voided meanwhile lands in deducted, never back in remaining', () => {
    const p = purchase('p', { held: 1, deducted: 9, status: 'voided' });
    const w = work('mytime', [p]);
    decideLeave(w, heldEntry());
    expect(postings(w)).toEqual([['p', 'release', { held: -1, deducted: 1 }]]);
    expect(counters(p)).toMatchObject({ held: 0, deducted: 10, remaining: 0 });
  });
});

describe('decidePromotion', () => {
  it('books the client with the credit it held: the hold is released, then the booking holds it again', () => {
    const p = purchase('p', { held: 1 });
    const snapshot = snapshotOf([p]);
    const d = decidePromotion(snapshot, active(), heldEntry(), 'res1', ctx);
    expect(d.reservation).toMatchObject({
      id: 'res1',
      purchaseId: 'p',
      creditState: 'held',
      status: 'booked',
    });
    expect(d.entry).toMatchObject({ status: 'promoted', reservationId: 'res1', creditState: 'released' });
    expect(d.changes.postings.map((x) => [x.purchaseId, x.kind, x.key])).toEqual([
      ['p', 'release', 'w:wl1:2'],
      ['p', 'hold', 'r:res1:1'],
    ]);
    expect(counters(d.changes.purchases.get('p') as PurchaseSnap)).toMatchObject({ held: 1, remaining: 9 });
    // The snapshot is not touched: decide works on copies.
    expect(counters(p)).toMatchObject({ held: 1, remaining: 9 });
    expect(d.changes.reservations.get('res1')?.insert).toBe(true);
    const names = d.changes.events.filter((e) => 'name' in e).map((e) => ('name' in e ? e.name : ''));
    expect(names).toEqual(['reservation.changed', 'waitlist.promoted']);
  });

  it('skips a client whose held credit is gone (voided) and keeps only the release', () => {
    const p = purchase('p', { held: 1, deducted: 9, status: 'voided' });
    const d = decidePromotion(snapshotOf([p]), active(), heldEntry(), 'res1', ctx);
    expect(d.reservation).toBeNull();
    expect(d.entry).toMatchObject({ status: 'skipped', creditState: 'released' });
    expect(d.entry.reason).toMatch(/^no eligible credit/);
    expect(d.changes.postings.map((x) => [x.purchaseId, x.kind])).toEqual([['p', 'release']]);
    expect(d.changes.reservations.size).toBe(0);
    expect(d.changes.events.at(-1)).toEqual({
      name: 'waitlist.skipped',
      payload: expect.objectContaining({ clientId: 'sarah', heldUnits: 1, reason: d.entry.reason }),
    });
  });

  it('without a hold, books with any eligible credit the rules choose, or skips when none is left', () => {
    const spent = purchase('p', { used: 10 });
    const skipped = decidePromotion(
      snapshotOf([spent]),
      active(),
      heldEntry({ purchaseId: null, creditState: 'none', coveredUnits: 0, creditSeq: 0 }),
      'res1',
      ctx,
    );
    expect(skipped.reservation).toBeNull();
    expect(skipped.changes.postings).toEqual([]);
    const fresh = purchase('q');
    const booked = decidePromotion(
      snapshotOf([spent, fresh]),
      active(),
      heldEntry({ purchaseId: null, creditState: 'none', coveredUnits: 0, creditSeq: 0 }),
      'res1',
      ctx,
    );
    expect(booked.reservation?.purchaseId).toBe('q');
  });

  it('skips a client the booking refuses: the seat already taken, or the client already booked', () => {
    const full = decidePromotion(
      snapshotOf([purchase('p', { held: 1 })], { taken: 1 }),
      active(),
      heldEntry(),
      'r',
      ctx,
    );
    expect(full.entry.reason).toBe("session 'class' is full (1 seats taken): join its waitlist");
    expect(full.changes.postings.map((x) => x.kind)).toEqual(['release']);
    const live = decidePromotion(
      snapshotOf([purchase('p', { held: 1 })], { live: 'res0' }),
      active(),
      heldEntry(),
      'r',
      ctx,
    );
    expect(live.entry).toMatchObject({ status: 'skipped' });
    expect(live.entry.reason).toMatch(/already booked/);
  });
});
