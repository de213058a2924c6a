import type { ReservationStatus } from '../domain/enums.ts';
import { notFound, PunchcardError } from '../errors.ts';
import type { Trigger } from '../policy/index.ts';
import { touchReservation } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { explainAfter, triggerReservation, usedThroughAfter } from './decide.ts';
import { commit } from './ledger.ts';
import { type ReservedView, reservationView } from './present.ts';
import { type ReservationChange as ReservationEventChange, reservationChanged } from './reservation-event.ts';
import type { ClientSnapshot, ReservationSnap, Work } from './types.ts';
import { fillFreedSeat } from './waitlist/service.ts';
import { clientWork } from './work.ts';

const allowedFrom: Record<'checked_in' | 'no_show' | 'canceled', ReservationStatus[]> = {
  checked_in: ['booked', 'no_show'],
  no_show: ['booked', 'checked_in'],
  canceled: ['booked'],
};

/** Read → what is due decided, for an operation on one reservation (locked with its client unless `lock` is false). */
export async function reservationWork(
  ctx: CreditContext,
  id: string,
  lock = true,
  purchaseIds: string[] = [],
): Promise<{ work: Work; snapshot: ClientSnapshot; reservation: ReservationSnap }> {
  const found = await clientWork(ctx, {
    client: { reservationId: id },
    reservationIds: [id],
    purchaseIds,
    lock,
  });
  const reservation = found?.work.reservations.get(id);
  if (!found || !reservation) throw notFound('reservation', id);
  return { ...found, reservation };
}

/** Check-in, no-show and cancel: the status moves and the policy decides the credit. */
export async function changeStatus(
  ctx: CreditContext,
  id: string,
  to: 'checked_in' | 'no_show' | 'canceled',
): Promise<ReservedView> {
  const { work, snapshot, reservation: r } = await reservationWork(ctx, id);
  if (!allowedFrom[to].includes(r.status)) {
    throw new PunchcardError('conflict', `cannot mark a ${r.status} reservation ${to.replace('_', '-')}`);
  }
  r.status = to;
  triggerReservation(work, r, to as Trigger);
  // A seat opened: the waitlist's first eligible client is booked in this same change set (issue 20).
  if (to === 'canceled') await fillFreedSeat(ctx, work, r);
  return finish(ctx, work, snapshot, r, to);
}

/** Commits a reservation's change set and answers the reservation as it now stands, from memory. */
export async function finish(
  ctx: CreditContext,
  work: Work,
  snapshot: ClientSnapshot,
  r: ReservationSnap,
  change: ReservationEventChange,
): Promise<ReservedView> {
  touchReservation(work, r);
  work.cs.events.push(reservationChanged(ctx, r, change));
  await commit(ctx, work.cs);
  return answer(work, snapshot, r);
}

/** The reservation as decided in memory: its explanation and label as they stand after the change set. */
export const answer = (work: Work, snapshot: ClientSnapshot, r: ReservationSnap): ReservedView =>
  reservationView({
    reservation: r,
    purchases: work.purchases,
    explain: explainAfter(
      snapshot.explains.get(r.id) ?? null,
      work.cs.reservations.get(r.id),
      work.cs.policy,
    ),
    usedThrough: usedThroughAfter(work.cs, { reservationId: r.id }, snapshot.usedThrough.get(r.id) ?? 0),
    threshold: work.policy.settings.unlimitedLabelThreshold,
  });

/**
 * GET: the reservation with its client's due time triggers decided in memory (B12:
 * every read shows them). A read writes nothing and locks nothing: the next write
 * of that client decides the same triggers, each judged as of its own instant.
 */
export async function showReservation(ctx: CreditContext, id: string): Promise<ReservedView> {
  const { work, snapshot, reservation } = await reservationWork(ctx, id, false);
  return answer(work, snapshot, reservation);
}

/** GET: several reservations of one client, decided in memory as showReservation does. */
export async function showClientReservations(
  ctx: CreditContext,
  clientId: string,
  ids: string[],
): Promise<Map<string, ReservedView>> {
  const found = await clientWork(ctx, { client: { clientId }, reservationIds: ids, lock: false });
  const views = new Map<string, ReservedView>();
  if (!found) return views;
  for (const id of ids) {
    const r = found.work.reservations.get(id);
    if (r) views.set(id, answer(found.work, found.snapshot, r));
  }
  return views;
}
