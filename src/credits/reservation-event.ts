import type { EventMap, PunchcardEvent } from '../events.ts';
import type { CreditContext } from './context.ts';
import type { ReservationSnap } from './types.ts';

export type ReservationChange = EventMap['reservation.changed']['change'];

/**
 * The `reservation.changed` event of one change: what a subscriber needs without
 * reading punchcard's tables — the session, the item with its bucket type and
 * integration flags (Club OS calendar events, seed 000), and the credit.
 */
export function reservationChanged(
  ctx: Pick<CreditContext, 'tenantId'>,
  r: ReservationSnap,
  change: ReservationChange,
): PunchcardEvent {
  return {
    name: 'reservation.changed',
    payload: {
      tenantId: ctx.tenantId,
      reservationId: r.id,
      status: r.status,
      creditState: r.creditState,
      change,
      clientId: r.clientId,
      sessionId: r.sessionId,
      locationId: r.session.locationId,
      startsAt: r.session.startsAt.toISOString(),
      endsAt: r.session.endsAt.toISOString(),
      itemId: r.item.id,
      bucketType: r.item.bucketType,
      itemIntegrations: { ...(r.item.integrations ?? {}) },
      purchaseId: r.creditState === 'none' ? null : r.purchaseId,
    },
  };
}
