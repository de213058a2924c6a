import { unknownReference } from '../errors.ts';
import { newId } from '../ids.ts';
import type { BookingInput } from './book.ts';
import type { CreditContext } from './context.ts';
import { decideBooking } from './decide.ts';
import { reservationView } from './present.ts';
import { policyAt, readClient } from './read.ts';
import { lockSeats } from './waitlist/seats.ts';

/**
 * A quote: the booking's own read (without locks) and its own decision, stopped
 * before the commit. Which purchase would pay, the label, the counts it would
 * leave and why — the same answer a booking made now would give, written nowhere.
 */
export async function quote(ctx: CreditContext, input: BookingInput) {
  const request = { ...input, id: input.id ?? newId('res') };
  const snapshot = await readClient(ctx, {
    client: { clientId: input.clientId },
    booking: { sessionId: input.sessionId, reservationId: request.id },
    ...(input.purchaseId ? { purchaseIds: [input.purchaseId] } : {}),
    lock: false,
  });
  if (!snapshot) throw unknownReference('/clientId', 'client', input.clientId);
  // A full session is refused as the booking would refuse it (issue 20).
  if (snapshot.booking?.session?.session.capacity != null)
    snapshot.booking.taken = await lockSeats(ctx, input.sessionId, undefined, false);
  const active = await policyAt(ctx, snapshot.policyVersion);
  const decision = decideBooking(snapshot, active, request, ctx);
  const view = reservationView({ ...decision, threshold: active.policy.settings.unlimitedLabelThreshold });
  return {
    clientId: view.clientId,
    sessionId: view.sessionId,
    channel: view.channel,
    purchaseId: view.purchaseId,
    credit: view.credit,
    label: view.label,
    counts: view.counts,
    shares: view.shares,
    explain: view.explain,
  };
}
export type QuoteView = Awaited<ReturnType<typeof quote>>;
