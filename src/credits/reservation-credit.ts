import { Item } from '../domain/item.ts';
import { Plan } from '../domain/plan.ts';
import type { Purchase } from '../domain/purchase.ts';
import type { Reservation } from '../domain/reservation.ts';
import { Session } from '../domain/session.ts';
import { Ticket } from '../domain/ticket.ts';
import { TicketLine } from '../domain/ticket-line.ts';
import { invalid } from '../errors.ts';
import type { Trigger } from '../policy/index.ts';
import { choosePurchase, creditsApply } from './assign.ts';
import { lockedCandidates } from './candidates.ts';
import { applyTransition, type ClaimRef } from './claims.ts';
import type { CreditContext } from './context.ts';
import type { AssignMode, Payable } from './eligibility.ts';
import { usageFacts } from './facts.ts';
import { lockPurchases } from './ledger.ts';
import { planTransition, purchaseView, type UsageEvent } from './transitions.ts';

export interface UsageStep {
  trigger: Trigger;
  event: UsageEvent;
  rule: string | null;
  /** Every rule that matched, highest priority first (absent for sweep steps). */
  matched?: string[];
  reason: string;
  state: string;
  at: string;
}

export interface ReservationExplain {
  assignment: ReturnType<typeof choosePurchase> extends infer T ? Omit<T, 'winner'> | null : never;
  usage: UsageStep[];
  policyVersion: number;
  policyHash: string;
}

const refOf = (r: Reservation, ticketId: string | null = null): ClaimRef => ({
  key: `r:${r.id}`,
  reservationId: r.id,
  ticketId,
});

interface Scene {
  session: Session;
  item: Item;
}

async function sceneOf(ctx: CreditContext, r: Reservation): Promise<Scene> {
  // Full primary keys, so repeated lookups are answered by the identity map.
  const session = await ctx.tx.findOneOrFail(Session, { tenantId: ctx.tenantId, id: r.sessionId });
  const item = await ctx.tx.findOneOrFail(Item, { tenantId: ctx.tenantId, id: session.itemId });
  return { session, item };
}

function payableOf(r: Reservation, scene: Scene, at: Date): Payable {
  return {
    clientId: r.clientId,
    item: scene.item,
    session: scene.session,
    reservation: r,
    channel: r.channel,
    price: scene.session.price ?? scene.item.price,
    units: scene.session.units,
    at,
  };
}

function explainOf(r: Reservation, ctx: CreditContext): ReservationExplain {
  const current = (r.explain as ReservationExplain | null) ?? null;
  return {
    assignment: current?.assignment ?? null,
    usage: current?.usage ?? [],
    policyVersion: ctx.active.version,
    policyHash: ctx.active.hash,
  };
}

/**
 * Picks the purchase for a reservation (auto: B2/B3/B4/B6/B8 through the rule set;
 * manual: staff's choice, B5) and marks it `assigned`. Returns the locked purchase.
 */
export async function assignReservation(
  ctx: CreditContext,
  r: Reservation,
  mode: AssignMode,
  wanted?: string,
): Promise<Purchase | null> {
  const scene = await sceneOf(ctx, r);
  const line = payableOf(r, scene, ctx.now);
  const explain = explainOf(r, ctx);
  if (!creditsApply(ctx.active.policy, line)) {
    explain.assignment = {
      considered: [],
      order: [],
      orderRule: null,
      chosen: null,
      summary: 'price is $0 and zeroPriceUsesCredits is off: no credit',
    };
    r.explain = explain;
    return null;
  }
  let candidates = await lockedCandidates(ctx, r.clientId, scene.item.id);
  if (wanted) candidates = candidates.filter((c) => c.purchase.id === wanted);
  const choice = choosePurchase(ctx.active.policy, line, candidates, mode);
  const { winner, ...trace } = choice;
  explain.assignment = trace;
  r.explain = explain;
  if (!winner) {
    if (mode === 'manual') {
      const why =
        trace.considered[0]?.reason ?? 'it does not belong to this client or does not cover the item';
      throw invalid('/purchaseId', `purchase '${wanted}' cannot pay for this reservation: ${why}`);
    }
    return null;
  }
  r.purchaseId = winner.purchase.id;
  r.creditState = 'assigned';
  r.coveredUnits = winner.purchase.unlimited ? line.units : Math.min(line.units, winner.purchase.remaining);
  r.manualPurchase = mode === 'manual';
  return winner.purchase;
}

async function checkedOutManually(
  ctx: CreditContext,
  r: Reservation,
): Promise<{ ticket: Ticket | null; lines: number; manual: boolean }> {
  const line = await ctx.tx.findOne(TicketLine, { reservationId: r.id }, { orderBy: { ticketId: 'desc' } });
  if (!line) return { ticket: null, lines: 0, manual: false };
  const ticket = await ctx.tx.findOneOrFail(Ticket, { id: line.ticketId });
  const lines = await ctx.tx.count(TicketLine, { ticketId: ticket.id });
  return { ticket, lines, manual: ticket.manual && ticket.status === 'closed' };
}

/**
 * One lifecycle trigger on a reservation (SPEC §3 usage): the rule set decides
 * hold/use/release/keep, and the transition is booked. The reservation must be
 * locked by the caller. Time triggers are judged as of their own instant (`at`).
 */
export async function applyTrigger(
  ctx: CreditContext,
  r: Reservation,
  trigger: Trigger,
  at: Date = ctx.now,
  ticketId: string | null = null,
): Promise<UsageStep> {
  const scene = await sceneOf(ctx, r);
  // A booking is new: it cannot be on a ticket yet.
  const onTicket =
    trigger === 'booked' ? { ticket: null, lines: 0, manual: false } : await checkedOutManually(ctx, r);
  let purchase: Purchase | null = null;
  let plan: Plan | null = null;
  if (r.purchaseId) {
    purchase = (await lockPurchases(ctx.tx, [r.purchaseId], ctx.locked)).get(r.purchaseId) ?? null;
    plan = purchase
      ? await ctx.tx.findOneOrFail(Plan, { tenantId: ctx.tenantId, id: purchase.planId })
      : null;
  }
  const line = payableOf(r, scene, at);
  // explain, not decide: staff see every rule that matched, not only the winner.
  const decision = ctx.active.policy.explain(
    'usage',
    usageFacts({
      trigger,
      at,
      settings: ctx.active.policy.settings,
      item: scene.item,
      session: scene.session,
      plan,
      purchase,
      reservation: r,
      checkedOutManually: onTicket.manual,
      ticket: onTicket.ticket ? { ticket: onTicket.ticket, lineCount: onTicket.lines } : null,
      clientId: r.clientId,
      channel: r.channel,
      price: line.price,
    }),
  );
  const event = decision.type as UsageEvent;
  let next = planTransition(
    { state: r.creditState, covered: r.coveredUnits },
    event,
    line.units,
    purchaseView(purchase),
  );
  if (next.kind === 'assign-first') {
    purchase = await assignReservation(ctx, r, 'auto');
    next = purchase
      ? planTransition(
          { state: r.creditState, covered: r.coveredUnits },
          event,
          line.units,
          purchaseView(purchase),
        )
      : { kind: 'none' };
  }
  const reason = decision.rule ? `rule '${decision.rule}' on ${trigger}` : `default on ${trigger}`;
  if (next.kind === 'move') await applyTransition(ctx, r, refOf(r, ticketId), purchase, next, reason, at);
  const step: UsageStep = {
    trigger,
    event,
    rule: decision.rule,
    matched: decision.matched.map((m) => m.rule),
    reason: decision.reason,
    state: r.creditState,
    at: at.toISOString(),
  };
  const explain = explainOf(r, ctx);
  explain.usage = [...explain.usage, step].slice(-20);
  r.explain = explain;
  r.policyVersion = ctx.active.version;
  return step;
}
