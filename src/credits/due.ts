import { post, touchPurchase } from './changeset.ts';
import { triggerReservation } from './decide.ts';
import type { PurchaseSnap, ReservationSnap, Work } from './types.ts';

/** localeCompare's order, with the collator made once: a sweep batch sorts 20 000 ids. */
const byId = new Intl.Collator().compare;

export interface TimeTriggerStats {
  sessions: number;
  used: number;
  released: number;
  skipped: number;
}

/**
 * B12/B15/B16: `session_started` and `session_ended` for every reservation whose
 * session has reached that moment by `upTo`, each exactly once (the flags travel
 * with the reservation's update), in time order, each judged as of its own instant.
 * The same decision for one client at read time and for a sweep batch of thousands.
 */
export function applyDueTimeTriggers(
  work: Work,
  reservations: Iterable<ReservationSnap>,
  upTo: Date,
): TimeTriggerStats {
  const ordered = [...reservations].sort(
    (a, b) => a.session.startsAt.getTime() - b.session.startsAt.getTime() || byId(a.id, b.id),
  );
  const stats: TimeTriggerStats = {
    sessions: new Set(ordered.map((r) => r.sessionId)).size,
    used: 0,
    released: 0,
    skipped: 0,
  };
  for (const r of ordered) {
    const before = r.creditState;
    if (!r.startedApplied && r.session.startsAt <= upTo) {
      triggerReservation(work, r, 'session_started', r.session.startsAt);
      r.startedApplied = true;
    }
    if (!r.endedApplied && r.session.endsAt <= upTo) {
      triggerReservation(work, r, 'session_ended', r.session.endsAt);
      r.endedApplied = true;
      if (r.creditState === 'used' && before !== 'used') stats.used += 1;
      else if (r.creditState === 'released' && before !== 'released') stats.released += 1;
      else stats.skipped += 1;
    }
  }
  return stats;
}

/**
 * B6: marks a purchase expired and moves its unheld remaining to `expired` with one
 * expiry entry (keyed by purchase, so it can never be posted twice). Held credits
 * stay held.
 */
export function expirePurchase(work: Work, purchase: PurchaseSnap, at: Date, reason: string): void {
  purchase.status = 'expired';
  touchPurchase(work, purchase);
  if (!purchase.unlimited && purchase.remaining > 0) {
    post(work, purchase, {
      kind: 'expiry',
      delta: { expired: purchase.remaining },
      key: `expiry:${purchase.id}`,
      reason,
      at,
      policyVersion: null,
    });
  }
  work.cs.events.push({
    name: 'purchase.changed',
    payload: {
      tenantId: work.tenantId,
      purchaseId: purchase.id,
      change: 'expire',
      status: 'expired',
      reason,
    },
  });
}

/** B6 read-time expiry: every working purchase whose expiresAt has passed by `upTo`. */
export function settleExpiry(
  work: Work,
  upTo: Date,
  purchases: Iterable<PurchaseSnap> = work.purchases.values(),
): number {
  let count = 0;
  for (const p of purchases) {
    if ((p.status === 'active' || p.status === 'on_hold') && p.expiresAt && p.expiresAt < upTo) {
      expirePurchase(work, p, p.expiresAt, 'expired');
      count += 1;
    }
  }
  return count;
}

/** What time has made due by the work's instant: time triggers of the reservations read, then expiry. */
export function decideDue(work: Work): void {
  applyDueTimeTriggers(
    work,
    [...work.reservations.values()].filter(
      (r) =>
        !r.endedApplied &&
        ((!r.startedApplied && r.session.startsAt <= work.now) || r.session.endsAt <= work.now),
    ),
    work.now,
  );
  settleExpiry(work, work.now);
}
