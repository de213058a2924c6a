import { releaseClaim } from './decide.ts';
import type { LineSnap, ReservationSnap, Work } from './types.ts';

/**
 * B8: a one-day package used to pre-book a later session is re-validated when the
 * ticket closes: if it expired before the session's date, it cannot pay. Pure.
 */
export function oneDayExpiredBeforeSession(work: Work, reservations: ReservationSnap[]): string | null {
  for (const r of reservations) {
    if (!r.purchaseId || r.creditState === 'none' || r.creditState === 'released') continue;
    const purchase = work.purchases.get(r.purchaseId);
    if (
      purchase?.plan.oneDay &&
      purchase.expiresAt &&
      purchase.expiresAt.getTime() < r.session.startsAt.getTime()
    ) {
      return `one-day package '${purchase.id}' expired ${purchase.expiresAt.toISOString()}, before the session on ${r.session.startsAt.toISOString()}`;
    }
  }
  return null;
}

/** B8's consequence is fixed, not a policy choice: every credit on the ticket is given back. */
export function releaseForExpiredOneDay(
  work: Work,
  ticketId: string,
  lines: LineSnap[],
  reservations: Map<string, ReservationSnap>,
): void {
  const reason = 'one-day package expired before the session (B8)';
  for (const line of lines) {
    const r = line.reservationId ? reservations.get(line.reservationId) : undefined;
    if (r) releaseClaim(work, r, { reservationId: r.id, ticketId, lineNo: null }, reason);
    else if (!line.reservationId)
      releaseClaim(work, line, { reservationId: null, ticketId, lineNo: line.lineNo }, reason);
  }
}
