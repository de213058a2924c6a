import type { LedgerKind } from '../domain/enums.ts';
import type { CachedActive } from '../policy/index.ts';
import { applyDelta, type Counters, type Delta } from './balance.ts';
import type { CreditContext } from './context.ts';
import { lowBalanceEvent } from './low-balance.ts';
import { trackPoolUse } from './pool.ts';
import type {
  ChangeSet,
  ClientSnapshot,
  LineSnap,
  Posting,
  PurchaseSnap,
  ReservationChange,
  ReservationSnap,
  Work,
} from './types.ts';

/** Usage steps kept per reservation: the latest ones explain its current state. */
export const stepsKept = 20;

export const emptyChangeSet = (policy: ChangeSet['policy'] = { version: 0, hash: '' }): ChangeSet => ({
  policy,
  postings: [],
  purchases: new Map(),
  newPurchases: new Set(),
  reservations: new Map(),
  lines: new Map(),
  resweep: new Set(),
  swept: new Set(),
  tickets: new Map(),
  newLines: new Set(),
  events: [],
});

const full = (d: Delta): Counters => ({
  total: d.total ?? 0,
  held: d.held ?? 0,
  used: d.used ?? 0,
  deducted: d.deducted ?? 0,
  expired: d.expired ?? 0,
});

/**
 * Books one entry against a working purchase: the counters move (applyDelta
 * refuses any move the entry's kind may not make, or a negative balance), the
 * posting and its credit.changed event join the change set.
 */
export function post(
  work: Work,
  purchase: PurchaseSnap,
  entry: {
    kind: LedgerKind;
    delta: Delta;
    key: string;
    reason: string | null;
    at: Date;
    reservationId?: string | null;
    ticketId?: string | null;
    lineNo?: number | null;
    /** Staff adjustments are not decided by the rule set. */
    policyVersion?: number | null;
    /** Whom the credits move for (a claim's client); the purchase's owner when absent. */
    clientId?: string | undefined;
  },
): Posting {
  const before = purchase.remaining;
  const next = applyDelta(purchase, entry.kind, entry.delta, purchase.unlimited);
  Object.assign(purchase, next);
  const clientId = entry.clientId ?? purchase.clientId;
  trackPoolUse(purchase, clientId, entry.delta);
  const posting: Posting = {
    purchaseId: purchase.id,
    clientId,
    kind: entry.kind,
    delta: full(entry.delta),
    key: entry.key,
    reservationId: entry.reservationId ?? null,
    ticketId: entry.ticketId ?? null,
    lineNo: entry.lineNo ?? null,
    actor: work.actor,
    reason: entry.reason,
    policyVersion: entry.policyVersion === undefined ? work.version : entry.policyVersion,
    at: entry.at,
    remainingAfter: next.remaining,
    usedAfter: next.used,
  };
  work.cs.postings.push(posting);
  work.cs.purchases.set(purchase.id, purchase);
  work.cs.events.push({ credit: posting });
  const low = lowBalanceEvent(work.tenantId, purchase, before, posting);
  if (low) work.cs.events.push(low);
  return posting;
}

/** Marks a purchase's status (or counters) as changed. */
export const touchPurchase = (work: Work, purchase: PurchaseSnap) =>
  work.cs.purchases.set(purchase.id, purchase);

/** The change record of a reservation, created on first touch. */
export function touchReservation(work: Work, r: ReservationSnap, insert = false): ReservationChange {
  let change = work.cs.reservations.get(r.id);
  if (!change) {
    change = { reservation: r, insert, steps: [] };
    work.cs.reservations.set(r.id, change);
  }
  return change;
}

export const touchLine = (work: Work, line: LineSnap) =>
  work.cs.lines.set(`${line.ticketId}:${line.lineNo}`, line);

export const newWork = (
  ctx: Pick<CreditContext, 'tenantId' | 'actor' | 'now'>,
  active: Pick<CachedActive, 'version' | 'hash' | 'policy'>,
  purchases: Map<string, PurchaseSnap>,
  explainAll = true,
  cs: ChangeSet = emptyChangeSet({ version: active.version, hash: active.hash }),
): Work => ({
  tenantId: ctx.tenantId,
  policy: active.policy,
  version: active.version,
  hash: active.hash,
  actor: ctx.actor,
  now: ctx.now,
  explainAll,
  purchases,
  reservations: new Map(),
  cs,
});

/**
 * Working copies of a snapshot for decide: decisions update these in memory (so the
 * next one sees its effect) and record their effects in the change set; the
 * snapshot the caller holds is never touched.
 */
export function workOn(
  ctx: Pick<CreditContext, 'tenantId' | 'actor' | 'now'>,
  active: CachedActive,
  snapshot: ClientSnapshot,
): Work {
  const copy = structuredClone({ purchases: snapshot.purchases, reservations: snapshot.reservations });
  const work = newWork(ctx, active, copy.purchases);
  work.reservations = copy.reservations;
  work.clientId = snapshot.clientId;
  if (snapshot.forgiven) work.forgiven = [...snapshot.forgiven];
  return work;
}
