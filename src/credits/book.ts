import type { Channel } from '../domain/enums.ts';
import { unknownReference } from '../errors.ts';
import { newId } from '../ids.ts';
import type { CreditContext } from './context.ts';
import { decideBooking } from './decide.ts';
import { commit } from './ledger.ts';
import { type ReservedView, reservationView } from './present.ts';
import { policyAt, readClient } from './read.ts';
import { lockSeats } from './waitlist/seats.ts';

export interface BookingInput {
  id?: string;
  clientId: string;
  sessionId: string;
  channel: Channel;
  /** Pay with this purchase (422 at /purchaseId when the policy would not let it pay). */
  purchaseId?: string;
}

/**
 * Books a client into a session in one pass: one locking read (the client, its
 * live purchases, what is due, the session, the policy version) → decide (pure) →
 * one commit statement → the answer from memory.
 */
export async function book(ctx: CreditContext, input: BookingInput): Promise<ReservedView> {
  const request = { ...input, id: input.id ?? newId('res') };
  const snapshot = await readClient(ctx, {
    client: { clientId: input.clientId },
    booking: { sessionId: input.sessionId, reservationId: request.id },
    ...(input.purchaseId ? { purchaseIds: [input.purchaseId] } : {}),
  });
  if (!snapshot) throw unknownReference('/clientId', 'client', input.clientId);
  // Only a session with a capacity counts its seats, under its seat lock (issue 20).
  if (snapshot.booking?.session?.session.capacity != null)
    snapshot.booking.taken = await lockSeats(ctx, input.sessionId);
  const active = await policyAt(ctx, snapshot.policyVersion);
  const decision = decideBooking(snapshot, active, request, ctx);
  await commit(ctx, decision.changes);
  return reservationView({ ...decision, threshold: active.policy.settings.unlimitedLabelThreshold });
}
