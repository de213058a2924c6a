import { conflict, invalid } from '../errors.ts';
import type { CreditContext } from './context.ts';
import { assignReservation, releaseClaim, takeFor } from './decide.ts';
import type { ReservedView } from './present.ts';
import { finish, reservationWork } from './reservation-status.ts';

/**
 * B5: staff move a reservation to another purchase. The credit moves with ledger
 * entries on both: given back to the old purchase, then taken from the new one in
 * the same state (held stays held, used stays used).
 */
export async function reassign(ctx: CreditContext, id: string, purchaseId: string): Promise<ReservedView> {
  const { work, snapshot, reservation: r } = await reservationWork(ctx, id, true, [purchaseId]);
  if (r.status === 'canceled') throw conflict('a canceled reservation has no credit to move');
  if (r.purchaseId === purchaseId) return finish(ctx, work, snapshot, r, 'reassigned');
  const previous = r.creditState;
  if (previous === 'held' || previous === 'used') {
    releaseClaim(work, r, { reservationId: r.id, ticketId: null, lineNo: null }, 'moved by staff');
  }
  r.creditState = 'none';
  r.purchaseId = null;
  const { purchase, trace } = assignReservation(work, r, 'manual', purchaseId);
  if (!purchase) {
    const why = trace.considered[0]?.reason ?? 'it does not belong to this client or does not cover the item';
    throw invalid('/purchaseId', `purchase '${purchaseId}' cannot pay for this reservation: ${why}`);
  }
  if (previous === 'held' || previous === 'used') takeFor(work, r, previous, 'moved by staff');
  return finish(ctx, work, snapshot, r, 'reassigned');
}
