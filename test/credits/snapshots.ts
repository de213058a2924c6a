import { emptyChangeSet } from '../../src/credits/changeset.ts';
import type { LineSnap, PurchaseSnap, ReservationSnap, Work } from '../../src/credits/types.ts';
import { compilePolicy, loadPreset, type Ruleset } from '../../src/policy/index.ts';

/** Plain snapshot objects for decide tests: no database, no ORM. */
export const at = (iso: string) => new Date(iso);

export function purchase(id: string, extra: Partial<PurchaseSnap> & { credits?: number } = {}): PurchaseSnap {
  const total = extra.credits ?? extra.total ?? 10;
  const p: PurchaseSnap = {
    id,
    clientId: 'sarah',
    planId: 'plan',
    locationId: 'loc',
    purchasedAt: at('2026-03-01T15:00:00Z'),
    expiresAt: null,
    status: 'active',
    source: 'pos',
    unlimited: false,
    total,
    held: 0,
    used: 0,
    deducted: 0,
    expired: 0,
    remaining: total,
    plan: {
      id: 'plan',
      name: 'Pack',
      kind: 'package',
      credits: total,
      unlimited: false,
      price: 10000,
      daysToExpire: 0,
      oneDay: false,
      bucketType: null,
      itemType: null,
      priority: 0,
      itemIds: ['yoga'],
      commission: { basis: 'retail' },
    },
    ...extra,
  };
  p.remaining = p.total - p.held - p.used - p.deducted - p.expired;
  return p;
}

export function reservation(id: string, extra: Partial<ReservationSnap> = {}): ReservationSnap {
  return {
    id,
    clientId: 'sarah',
    sessionId: `s-${id}`,
    channel: 'in_store',
    status: 'booked',
    purchaseId: null,
    manualPurchase: false,
    creditState: 'none',
    coveredUnits: 0,
    creditSeq: 0,
    startedApplied: false,
    endedApplied: false,
    createdAt: at('2026-03-02T15:00:00Z'),
    session: {
      id: `s-${id}`,
      itemId: 'yoga',
      locationId: 'loc',
      startsAt: at('2026-03-03T15:00:00Z'),
      endsAt: at('2026-03-03T16:00:00Z'),
      price: null,
      units: 1,
    },
    item: { id: 'yoga', kind: 'class', price: 2500, itemType: null, bucketType: 'standard' },
    ticket: null,
    checkedOutManually: false,
    ...extra,
  };
}

export function line(lineNo: number, unitPrice: number, extra: Partial<LineSnap> = {}): LineSnap {
  return {
    ticketId: 'tkt',
    lineNo,
    item: { id: 'yoga', kind: 'class', price: unitPrice, itemType: null, bucketType: 'standard' },
    reservationId: null,
    unitPrice,
    units: 1,
    coveredUnits: 0,
    purchaseId: null,
    creditState: 'none',
    creditSeq: 0,
    ...extra,
  };
}

export function work(
  policy: string | Ruleset,
  purchases: PurchaseSnap[],
  now = '2026-03-02T15:00:00Z',
): Work {
  const ruleset = typeof policy === 'string' ? loadPreset(policy) : policy;
  return {
    tenantId: 't',
    policy: compilePolicy(ruleset),
    version: 7,
    hash: 'h',
    actor: 'staff',
    now: at(now),
    explainAll: true,
    purchases: new Map(purchases.map((p) => [p.id, p])),
    reservations: new Map(),
    cs: emptyChangeSet(),
  };
}

/** The change set's postings as [purchase, kind, non-zero counters]. */
export const postings = (w: Work) =>
  w.cs.postings.map((p) => [
    p.purchaseId,
    p.kind,
    Object.fromEntries(Object.entries(p.delta).filter(([, v]) => v !== 0)),
  ]);

export const counters = (p: PurchaseSnap) => ({
  total: p.total,
  held: p.held,
  used: p.used,
  deducted: p.deducted,
  expired: p.expired,
  remaining: p.remaining,
});
