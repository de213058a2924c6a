import type { ReservationStatus } from '../domain/enums.ts';
import { PunchcardError } from '../errors.ts';
import type { Trigger } from '../policy/index.ts';
import { touchReservation } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { triggerReservation } from './decide.ts';
import { commit } from './ledger.ts';
import { type ReservedView, reservationView } from './present.ts';
import type { ReservationSnap, Work } from './types.ts';
import { reservationWork } from './work.ts';

const allowedFrom: Record<'checked_in' | 'no_show' | 'canceled', ReservationStatus[]> = {
  checked_in: ['booked', 'no_show'],
  no_show: ['booked', 'checked_in'],
  canceled: ['booked'],
};

/** Check-in, no-show and cancel: the status moves and the policy decides the credit. */
export async function changeStatus(
  ctx: CreditContext,
  id: string,
  to: 'checked_in' | 'no_show' | 'canceled',
): Promise<ReservedView> {
  const { work, reservation: r } = await reservationWork(ctx, id);
  if (!allowedFrom[to].includes(r.status)) {
    throw new PunchcardError('conflict', `cannot mark a ${r.status} reservation ${to.replace('_', '-')}`);
  }
  r.status = to;
  triggerReservation(work, r, to as Trigger);
  return finish(ctx, work, r);
}

/** Commits a reservation's change set and answers the reservation as it now stands. */
export async function finish(ctx: CreditContext, work: Work, r: ReservationSnap): Promise<ReservedView> {
  touchReservation(work, r);
  work.cs.events.push({
    name: 'reservation.changed',
    payload: { tenantId: ctx.tenantId, reservationId: r.id, status: r.status, creditState: r.creditState },
  });
  const explains = await commit(ctx, work.cs, { explain: true });
  return reservationView(ctx, r, work.purchases, explains.get(r.id));
}

/** GET: the reservation after its client's due time triggers and expiry are committed. */
export async function showReservation(ctx: CreditContext, id: string): Promise<ReservedView> {
  const { work, reservation } = await reservationWork(ctx, id);
  const explains = await commit(ctx, work.cs, { explain: true });
  return reservationView(ctx, reservation, work.purchases, explains.get(id));
}
