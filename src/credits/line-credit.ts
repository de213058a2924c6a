import { Item } from '../domain/item.ts';
import { Plan } from '../domain/plan.ts';
import type { Purchase } from '../domain/purchase.ts';
import type { Ticket } from '../domain/ticket.ts';
import type { TicketLine } from '../domain/ticket-line.ts';
import type { Trigger } from '../policy/index.ts';
import { applyTransition } from './claims.ts';
import type { CreditContext } from './context.ts';
import { usageFacts } from './facts.ts';
import { lockPurchases } from './ledger.ts';
import { planTransition, purchaseView, type UsageEvent } from './transitions.ts';

export const lineKey = (line: TicketLine) => `l:${line.ticketId}:${line.lineNo}`;

/**
 * A lifecycle trigger on a product line (a line with no reservation): the rule set
 * decides, as for reservations (B13: products are used when the ticket is saved
 * or closed). A product line that got no credit at allocation never gets one later.
 */
export async function applyLineTrigger(
  ctx: CreditContext,
  ticket: Ticket,
  lineCount: number,
  line: TicketLine,
  trigger: Trigger,
): Promise<UsageEvent> {
  const item = await ctx.tx.findOneOrFail(Item, { id: line.itemId });
  let purchase: Purchase | null = null;
  let plan: Plan | null = null;
  if (line.purchaseId) {
    purchase = (await lockPurchases(ctx.tx, [line.purchaseId], ctx.locked)).get(line.purchaseId) ?? null;
    plan = purchase ? await ctx.tx.findOneOrFail(Plan, { id: purchase.planId }) : null;
  }
  const decision = ctx.active.policy.decide(
    'usage',
    usageFacts({
      trigger,
      at: ctx.now,
      settings: ctx.active.policy.settings,
      item,
      session: null,
      plan,
      purchase,
      reservation: null,
      ticket: { ticket, lineCount },
      clientId: ticket.clientId,
      channel: 'in_store',
      price: line.unitPrice,
    }),
  );
  const event = decision.type as UsageEvent;
  const next = planTransition(
    { state: line.creditState, covered: line.coveredUnits },
    event,
    line.units,
    purchaseView(purchase),
  );
  if (next.kind === 'move') {
    const reason = decision.rule ? `rule '${decision.rule}' on ${trigger}` : `default on ${trigger}`;
    await applyTransition(
      ctx,
      line,
      { key: lineKey(line), reservationId: null, ticketId: ticket.id },
      purchase,
      next,
      reason,
    );
  }
  return event;
}
