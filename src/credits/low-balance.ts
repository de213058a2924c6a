import type { LedgerKind } from '../domain/enums.ts';
import type { PunchcardEvent } from '../events.ts';
import type { Posting, PurchaseSnap } from './types.ts';

/** Postings by which the client spends (expiry and void are not the client's doing). */
const spending: ReadonlySet<LedgerKind> = new Set<LedgerKind>([
  'hold',
  'use',
  'deduction',
  'late_cancel',
  'no_show_forfeit',
  'transfer_out',
]);

/**
 * Issue 20 item 7: `credits.low` when a spending posting brings a limited purchase's
 * remaining from above its plan's `lowBalanceAt` to at or below it — once per
 * crossing: later postings under the threshold start from below it, and only a
 * return above it (a release, an addition) arms it again. Decided inside `post`, so
 * the event joins the change set the one commit writes.
 */
export function lowBalanceEvent(
  tenantId: string,
  purchase: PurchaseSnap,
  remainingBefore: number,
  posting: Posting,
): PunchcardEvent | null {
  const threshold = purchase.plan.lowBalanceAt;
  if (threshold == null || purchase.unlimited || !spending.has(posting.kind)) return null;
  if (!(remainingBefore > threshold && posting.remainingAfter <= threshold)) return null;
  return {
    name: 'credits.low',
    payload: {
      tenantId,
      purchaseId: purchase.id,
      clientId: purchase.clientId,
      planId: purchase.planId,
      remaining: posting.remainingAfter,
      threshold,
      kind: posting.kind,
      reservationId: posting.reservationId,
      ticketId: posting.ticketId,
    },
  };
}
