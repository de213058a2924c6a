import { LockMode } from '@mikro-orm/core';
import { Client } from '../domain/client.ts';
import type { TicketStatus } from '../domain/enums.ts';
import { Item } from '../domain/item.ts';
import { Location } from '../domain/location.ts';
import type { Purchase } from '../domain/purchase.ts';
import { Reservation } from '../domain/reservation.ts';
import { Session } from '../domain/session.ts';
import { Ticket } from '../domain/ticket.ts';
import { TicketLine } from '../domain/ticket-line.ts';
import { conflict, type FieldError, notFound, PunchcardError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Trigger } from '../policy/index.ts';
import { allocationOrder } from './allocate.ts';
import { choosePurchase, creditsApply } from './assign.ts';
import { lockedCandidates } from './candidates.ts';
import { catchUp } from './catch-up.ts';
import type { CreditContext } from './context.ts';
import type { Candidate } from './eligibility.ts';
import { applyLineTrigger } from './line-credit.ts';
import { lockReservations } from './locks.ts';
import { oneDayExpiredBeforeSession, voidForExpiredOneDay } from './one-day.ts';
import { applyTrigger } from './reservation-credit.ts';

export interface TicketLineInput {
  itemId: string;
  reservationId?: string;
  price?: number;
  units?: number;
}

export interface TicketInput {
  id?: string;
  clientId: string;
  locationId: string;
  manual?: boolean;
  lines: TicketLineInput[];
}

interface Prepared {
  input: TicketLineInput;
  item: Item;
  reservation: Reservation | null;
  session: Session | null;
}

/** Checks every reference a ticket names; all faults at once, each with its pointer. */
async function prepareLines(ctx: CreditContext, input: TicketInput): Promise<Prepared[]> {
  const faults: FieldError[] = [];
  const client = await ctx.tx.findOne(Client, { id: input.clientId });
  if (!client) faults.push({ path: '/clientId', message: `no client with id '${input.clientId}'` });
  if (!(await ctx.tx.findOne(Location, { id: input.locationId }))) {
    faults.push({ path: '/locationId', message: `no location with id '${input.locationId}'` });
  }
  const prepared: Prepared[] = [];
  const seen = new Set<string>();
  for (const [index, line] of input.lines.entries()) {
    const at = `/lines/${index}`;
    const item = await ctx.tx.findOne(Item, { id: line.itemId });
    if (!item) faults.push({ path: `${at}/itemId`, message: `no item with id '${line.itemId}'` });
    let reservation: Reservation | null = null;
    let session: Session | null = null;
    if (line.reservationId) {
      reservation = await ctx.tx.findOne(Reservation, { id: line.reservationId });
      session = reservation ? await ctx.tx.findOne(Session, { id: reservation.sessionId }) : null;
      if (!reservation || !session) {
        faults.push({
          path: `${at}/reservationId`,
          message: `no reservation with id '${line.reservationId}'`,
        });
      } else if (reservation.clientId !== input.clientId) {
        faults.push({ path: `${at}/reservationId`, message: 'belongs to another client' });
      } else if (reservation.status === 'canceled') {
        faults.push({ path: `${at}/reservationId`, message: 'is canceled' });
      } else if (item && session.itemId !== item.id) {
        faults.push({ path: `${at}/itemId`, message: `the reservation is for item '${session.itemId}'` });
      } else if (seen.has(reservation.id)) {
        faults.push({ path: `${at}/reservationId`, message: 'is already on this ticket' });
      }
      if (line.units !== undefined)
        faults.push({ path: `${at}/units`, message: 'a reservation line takes its units from the session' });
      if (reservation) seen.add(reservation.id);
    }
    if (item) prepared.push({ input: line, item, reservation, session });
  }
  if (faults.length > 0) throw new PunchcardError('invalid', 'the ticket is not valid', faults);
  return prepared;
}

/** A reservation already on a live ticket cannot be rung up twice. */
async function refuseDoubleCheckout(ctx: CreditContext, prepared: Prepared[]): Promise<void> {
  for (const [index, p] of prepared.entries()) {
    if (!p.reservation) continue;
    const lines = await ctx.tx.find(TicketLine, { reservationId: p.reservation.id });
    for (const line of lines) {
      const other = await ctx.tx.findOneOrFail(Ticket, { id: line.ticketId });
      if (other.status !== 'voided') {
        throw new PunchcardError(
          'conflict',
          `reservation '${p.reservation.id}' is already on ticket '${other.id}'`,
          [{ path: `/lines/${index}/reservationId`, message: `already on ticket '${other.id}'` }],
        );
      }
    }
  }
}

/**
 * Rings up a ticket: lines are created, credits allocated to the lines that have
 * none yet in the rule set's order (B9, B10, B11), then `ticket_generated` runs on
 * every line (B12: an in-store booking's credit is used as soon as its ticket exists).
 */
export async function openTicket(ctx: CreditContext, input: TicketInput): Promise<Ticket> {
  const prepared = await prepareLines(ctx, input);
  if (input.id && (await ctx.tx.findOne(Ticket, { id: input.id })))
    throw conflict(`ticket '${input.id}' already exists`);
  await catchUp(ctx, { clientId: input.clientId });
  const reservations = prepared.flatMap((p) => (p.reservation ? [p.reservation.id] : []));
  const lockedReservations = await lockReservations(ctx, reservations);
  await refuseDoubleCheckout(ctx, prepared);
  const ticket = ctx.tx.create(Ticket, {
    tenantId: ctx.tenantId,
    id: input.id ?? newId('tkt'),
    clientId: input.clientId,
    locationId: input.locationId,
    manual: input.manual === true,
    status: 'open',
    policyVersion: ctx.active.version,
    voidReason: null,
    createdAt: ctx.now,
    closedAt: null,
  });
  const lines = prepared.map((p, lineNo) =>
    ctx.tx.create(TicketLine, {
      tenantId: ctx.tenantId,
      ticketId: ticket.id,
      lineNo,
      itemId: p.item.id,
      reservationId: p.reservation?.id ?? null,
      unitPrice: p.input.price ?? p.session?.price ?? p.item.price,
      units: p.session?.units ?? p.input.units ?? 1,
      coveredUnits: 0,
      purchaseId: null,
      creditState: 'none',
      creditSeq: 0,
      amountDue: 0,
      commissionBase: null,
      label: null,
    }),
  );
  await ctx.tx.flush();
  await allocate(ctx, ticket, prepared, lines, lockedReservations);
  await runTrigger(ctx, ticket, 'ticket_generated');
  return ticket;
}

async function allocate(
  ctx: CreditContext,
  ticket: Ticket,
  prepared: Prepared[],
  lines: TicketLine[],
  reservations: Map<string, Reservation>,
): Promise<void> {
  const open = lines
    .map((line, i) => ({
      line,
      prep: prepared[i],
      lineNo: line.lineNo,
      unitPrice: line.unitPrice,
      startsAt: prepared[i].session?.startsAt ?? null,
    }))
    .filter(
      ({ line }) => !line.reservationId || reservations.get(line.reservationId)?.creditState === 'none',
    );
  const { sorted } = allocationOrder(ctx.active.policy, ticket, lines.length, open);
  // Credits promised to earlier lines of this ticket but not yet taken from remaining.
  const promised = new Map<string, number>();
  for (const { line, prep } of sorted) {
    const reservation = line.reservationId ? (reservations.get(line.reservationId) ?? null) : null;
    const payable = {
      clientId: ticket.clientId,
      item: prep.item,
      session: prep.session,
      reservation,
      channel: reservation?.channel ?? ('in_store' as const),
      price: line.unitPrice,
      units: line.units,
      at: ctx.now,
    };
    if (!creditsApply(ctx.active.policy, payable)) continue;
    const candidates = await lockedCandidates(ctx, ticket.clientId, prep.item.id);
    // Plain copies, not entities: the unit of work must never see the reduced figure.
    const views: Candidate[] = candidates.map((c) => ({
      plan: c.plan,
      purchase: {
        ...pick(c.purchase),
        remaining: c.purchase.remaining - (promised.get(c.purchase.id) ?? 0),
      } as Purchase,
    }));
    const { winner } = choosePurchase(ctx.active.policy, payable, views, 'auto');
    if (!winner) continue;
    const covered = winner.purchase.unlimited ? line.units : Math.min(line.units, winner.purchase.remaining);
    promised.set(winner.purchase.id, (promised.get(winner.purchase.id) ?? 0) + covered);
    const claim = reservation ?? line;
    claim.purchaseId = winner.purchase.id;
    claim.creditState = 'assigned';
    claim.coveredUnits = covered;
  }
  await ctx.tx.flush();
}

const pick = (p: Purchase) => ({
  id: p.id,
  clientId: p.clientId,
  planId: p.planId,
  status: p.status,
  unlimited: p.unlimited,
  remaining: p.remaining,
  total: p.total,
  held: p.held,
  used: p.used,
  purchasedAt: p.purchasedAt,
  expiresAt: p.expiresAt ?? null,
});

/** Runs one ticket trigger on every line: reservations through their own policy path. */
async function runTrigger(ctx: CreditContext, ticket: Ticket, trigger: Trigger): Promise<void> {
  const lines = await ctx.tx.find(TicketLine, { ticketId: ticket.id }, { orderBy: { lineNo: 'asc' } });
  const reservations = await lockReservations(
    ctx,
    lines.flatMap((l) => (l.reservationId ? [l.reservationId] : [])),
  );
  for (const line of lines) {
    const reservation = line.reservationId ? reservations.get(line.reservationId) : undefined;
    if (reservation) await applyTrigger(ctx, reservation, trigger, ctx.now, ticket.id);
    else await applyLineTrigger(ctx, ticket, lines.length, line, trigger);
  }
  await ctx.tx.flush();
  ctx.events.push({
    name: 'ticket.changed',
    payload: { tenantId: ctx.tenantId, ticketId: ticket.id, status: ticket.status },
  });
}

export async function lockedTicket(ctx: CreditContext, id: string): Promise<Ticket> {
  const found = await ctx.tx.findOne(Ticket, { id });
  if (!found) throw notFound('ticket', id);
  await catchUp(ctx, { clientId: found.clientId });
  await ctx.tx.flush();
  return ctx.tx.findOneOrFail(Ticket, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

const moves: Record<
  'save' | 'close' | 'void' | 'refund',
  { from: TicketStatus[]; to: TicketStatus; trigger: Trigger }
> = {
  save: { from: ['open'], to: 'saved', trigger: 'ticket_saved' },
  close: { from: ['open', 'saved'], to: 'closed', trigger: 'ticket_closed' },
  void: { from: ['open', 'saved', 'closed'], to: 'voided', trigger: 'ticket_voided' },
  refund: { from: ['closed'], to: 'refunded', trigger: 'ticket_refunded' },
};

/** Save, close, void, refund: the status moves and each line's credit follows the policy. */
export async function moveTicket(
  ctx: CreditContext,
  id: string,
  action: keyof typeof moves,
): Promise<Ticket> {
  const ticket = await lockedTicket(ctx, id);
  const move = moves[action];
  if (!move.from.includes(ticket.status))
    throw conflict(`cannot ${action} a ticket that is ${ticket.status}`);
  if (action === 'close') {
    const expired = await oneDayExpiredBeforeSession(ctx, ticket);
    if (expired) return voidForExpiredOneDay(ctx, ticket, expired);
    ticket.closedAt = ctx.now;
  }
  ticket.status = move.to;
  await runTrigger(ctx, ticket, move.trigger);
  return ticket;
}
