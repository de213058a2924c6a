import { Plan } from '../domain/plan.ts';
import { Purchase } from '../domain/purchase.ts';
import { Reservation } from '../domain/reservation.ts';
import { Session } from '../domain/session.ts';
import type { Ticket } from '../domain/ticket.ts';
import { TicketLine } from '../domain/ticket-line.ts';
import { applyTransition } from './claims.ts';
import type { CreditContext } from './context.ts';
import { lockPurchases } from './ledger.ts';
import { lineKey } from './line-credit.ts';
import { lockReservations } from './locks.ts';
import { planTransition, purchaseView } from './transitions.ts';

/**
 * B8: a one-day package used to pre-book a later session is re-validated when the
 * ticket closes: if it expired before the session's date, it cannot pay.
 */
export async function oneDayExpiredBeforeSession(ctx: CreditContext, ticket: Ticket): Promise<string | null> {
  const lines = await ctx.tx.find(TicketLine, { ticketId: ticket.id, reservationId: { $ne: null } });
  for (const line of lines) {
    const r = await ctx.tx.findOneOrFail(Reservation, { id: line.reservationId as string });
    if (!r.purchaseId || r.creditState === 'none' || r.creditState === 'released') continue;
    const purchase = await ctx.tx.findOneOrFail(Purchase, { id: r.purchaseId });
    const plan = await ctx.tx.findOneOrFail(Plan, { id: purchase.planId });
    const session = await ctx.tx.findOneOrFail(Session, { id: r.sessionId });
    if (plan.oneDay && purchase.expiresAt && purchase.expiresAt.getTime() < session.startsAt.getTime()) {
      return `one-day package '${purchase.id}' expired ${purchase.expiresAt.toISOString()}, before the session on ${session.startsAt.toISOString()}`;
    }
  }
  return null;
}

/** B8's consequence is fixed, not a policy choice: the ticket is voided and every credit released. */
export async function voidForExpiredOneDay(
  ctx: CreditContext,
  ticket: Ticket,
  reason: string,
): Promise<Ticket> {
  ticket.status = 'voided';
  ticket.voidReason = reason;
  const lines = await ctx.tx.find(TicketLine, { ticketId: ticket.id }, { orderBy: { lineNo: 'asc' } });
  const reservations = await lockReservations(
    ctx,
    lines.flatMap((l) => (l.reservationId ? [l.reservationId] : [])),
  );
  for (const line of lines) {
    const claim = line.reservationId ? reservations.get(line.reservationId) : line;
    if (!claim?.purchaseId) continue;
    const purchase =
      (await lockPurchases(ctx.tx, [claim.purchaseId], ctx.locked)).get(claim.purchaseId) ?? null;
    const next = planTransition(
      { state: claim.creditState, covered: claim.coveredUnits },
      'release',
      claim.coveredUnits,
      purchaseView(purchase),
    );
    const key = line.reservationId ? `r:${line.reservationId}` : lineKey(line);
    if (next.kind === 'move') {
      await applyTransition(
        ctx,
        claim,
        { key, reservationId: line.reservationId ?? null, ticketId: ticket.id },
        purchase,
        next,
        'one-day package expired before the session (B8)',
      );
    }
  }
  await ctx.tx.flush();
  ctx.events.push({
    name: 'ticket.changed',
    payload: { tenantId: ctx.tenantId, ticketId: ticket.id, status: ticket.status },
  });
  return ticket;
}
