import { anyOf, query } from '../db/sql.ts';
import type { TicketStatus } from '../domain/enums.ts';
import { Item } from '../domain/item.ts';
import { Location } from '../domain/location.ts';
import { Ticket } from '../domain/ticket.ts';
import { conflict, type FieldError, notFound, PunchcardError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Trigger } from '../policy/index.ts';
import { allocate } from './allocate.ts';
import { touchLine } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { claimKey, triggerLine, triggerReservation, usedThroughAfter } from './decide.ts';
import { commit } from './ledger.ts';
import { oneDayExpiredBeforeSession, releaseForExpiredOneDay } from './one-day.ts';
import { lineView } from './present.ts';
import type { LineSnap, ReservationSnap, TicketRow, TicketSnap, Work } from './types.ts';
import { clientWork } from './work.ts';

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

/** Checks every reference a ticket names; all faults at once, each with its pointer. */
function checkLines(
  work: Work | null,
  input: TicketInput,
  items: Set<string>,
  reservations: Map<string, ReservationSnap>,
  located: boolean,
) {
  const faults: FieldError[] = [];
  if (!work) faults.push({ path: '/clientId', message: `no client with id '${input.clientId}'` });
  if (!located) faults.push({ path: '/locationId', message: `no location with id '${input.locationId}'` });
  const seen = new Set<string>();
  for (const [index, line] of input.lines.entries()) {
    const at = `/lines/${index}`;
    if (!items.has(line.itemId))
      faults.push({ path: `${at}/itemId`, message: `no item with id '${line.itemId}'` });
    if (!line.reservationId) continue;
    const r = reservations.get(line.reservationId);
    if (!r)
      faults.push({ path: `${at}/reservationId`, message: `no reservation with id '${line.reservationId}'` });
    else if (r.clientId !== input.clientId)
      faults.push({ path: `${at}/reservationId`, message: 'belongs to another client' });
    else if (r.status === 'canceled') faults.push({ path: `${at}/reservationId`, message: 'is canceled' });
    else if (items.has(line.itemId) && r.item.id !== line.itemId)
      faults.push({ path: `${at}/itemId`, message: `the reservation is for item '${r.item.id}'` });
    else if (seen.has(r.id))
      faults.push({ path: `${at}/reservationId`, message: 'is already on this ticket' });
    // B10: a reservation line's units are the session's; saying so is fine, saying otherwise is not.
    if (r && line.units !== undefined && line.units !== r.session.units)
      faults.push({
        path: `${at}/units`,
        message: `must be ${r.session.units}, the session's units, or left out`,
      });
    if (r) seen.add(r.id);
  }
  if (faults.length > 0) throw new PunchcardError('invalid', 'the ticket is not valid', faults);
}

/** A reservation already on a live ticket cannot be rung up twice. */
async function refuseDoubleCheckout(ctx: CreditContext, input: TicketInput): Promise<void> {
  const wanted = input.lines.flatMap((l) => (l.reservationId ? [l.reservationId] : []));
  if (wanted.length === 0) return;
  const taken = await query(
    ctx,
    `select l.reservation_id, t.id from ticket_lines l join tickets t on t.tenant_id = l.tenant_id and t.id = l.ticket_id
      where l.tenant_id = $1 and l.reservation_id = ${anyOf(2)} and t.status <> 'voided'`,
    [ctx.tenantId, JSON.stringify(wanted)],
  );
  if (taken.length === 0) return;
  const index = input.lines.findIndex((l) => l.reservationId === taken[0].reservation_id);
  throw new PunchcardError(
    'conflict',
    `reservation '${taken[0].reservation_id}' is already on ticket '${taken[0].id}'`,
    [{ path: `/lines/${index}/reservationId`, message: `already on ticket '${taken[0].id}'` }],
  );
}

const ticketSnap = (t: TicketRow, lineCount: number): TicketSnap => ({
  id: t.id,
  status: t.status,
  manual: t.manual,
  lineCount,
});

/**
 * Rings up a ticket: lines are created, credits allocated to the lines that have
 * none yet in the rule set's order (B9, B10, B11), then `ticket_generated` runs on
 * every line (B12: an in-store booking's credit is used as soon as its ticket exists).
 */
export async function openTicket(ctx: CreditContext, input: TicketInput) {
  const wanted = input.lines.flatMap((l) => (l.reservationId ? [l.reservationId] : []));
  const found = await clientWork(ctx, { client: { clientId: input.clientId }, reservationIds: wanted });
  const work = found?.work ?? null;
  const itemIds = [...new Set(input.lines.map((l) => l.itemId))];
  const items = await ctx.tx.find(Item, { id: { $in: itemIds } });
  const location = await ctx.tx.findOne(Location, { id: input.locationId });
  const reservations = new Map(
    wanted.flatMap((id) => {
      const r = work?.reservations.get(id);
      return r ? [[id, r] as const] : [];
    }),
  );
  checkLines(work, input, new Set(items.map((i) => i.id)), reservations, location !== null);
  if (!work) return null as never;
  if (input.id && (await ctx.tx.findOne(Ticket, { id: input.id })))
    throw conflict(`ticket '${input.id}' already exists`);
  await refuseDoubleCheckout(ctx, input);
  const itemOf = new Map(items.map((i) => [i.id, i]));
  const ticket: TicketRow = {
    id: input.id ?? newId('tkt'),
    clientId: input.clientId,
    locationId: input.locationId,
    manual: input.manual === true,
    status: 'open',
    policyVersion: work.version,
    voidReason: null,
    createdAt: ctx.now,
    closedAt: null,
  };
  work.cs.tickets.set(ticket.id, { ticket, insert: true });
  const lines: LineSnap[] = input.lines.map((l, lineNo) => {
    const item = itemOf.get(l.itemId) as Item;
    const r = l.reservationId ? reservations.get(l.reservationId) : undefined;
    const line: LineSnap = {
      ticketId: ticket.id,
      lineNo,
      item: {
        id: item.id,
        kind: item.kind,
        price: item.price,
        itemType: item.itemType ?? null,
        bucketType: item.bucketType,
      },
      reservationId: r?.id ?? null,
      unitPrice: l.price ?? r?.session.price ?? item.price,
      units: r?.session.units ?? l.units ?? 1,
      coveredUnits: 0,
      purchaseId: null,
      creditState: 'none',
      creditSeq: 0,
    };
    touchLine(work, line);
    work.cs.newLines.add(`${ticket.id}:${lineNo}`);
    return line;
  });
  const snap = ticketSnap(ticket, lines.length);
  allocate(work, snap, input.clientId, lines, reservations);
  runTrigger(work, snap, input.clientId, lines, reservations, 'ticket_generated');
  return finishTicket(ctx, work, found?.snapshot.usedThrough ?? new Map(), ticket, lines, reservations);
}

/** Runs one ticket trigger on every line: reservations through their own usage decision. */
function runTrigger(
  work: Work,
  ticket: TicketSnap,
  clientId: string,
  lines: LineSnap[],
  reservations: Map<string, ReservationSnap>,
  trigger: Trigger,
): void {
  for (const line of lines) {
    const r = line.reservationId ? reservations.get(line.reservationId) : undefined;
    if (r) {
      r.ticket = ticket;
      r.checkedOutManually = ticket.manual && ticket.status === 'closed';
      triggerReservation(work, r, trigger, work.now, ticket.id);
    } else if (!line.reservationId) triggerLine(work, ticket, clientId, line, trigger);
  }
}

async function finishTicket(
  ctx: CreditContext,
  work: Work,
  usedThrough: Map<string, number>,
  ticket: TicketRow,
  lines: LineSnap[],
  reservations: Map<string, ReservationSnap>,
) {
  work.cs.events.push({
    name: 'ticket.changed',
    payload: { tenantId: ctx.tenantId, ticketId: ticket.id, status: ticket.status },
  });
  if (!work.cs.tickets.has(ticket.id)) work.cs.tickets.set(ticket.id, { ticket, insert: false });
  await commit(ctx, work.cs);
  return ticketView(work, usedThrough, ticket, lines, reservations);
}

/** The ticket as the POS shows it: each line's credit, amount due, commission base and label. */
function ticketView(
  work: Work,
  usedThrough: Map<string, number>,
  ticket: TicketRow,
  lines: LineSnap[],
  reservations: Map<string, ReservationSnap>,
) {
  const shown = lines.map((line) => {
    const r = line.reservationId ? (reservations.get(line.reservationId) ?? null) : null;
    const ref = r ? { reservationId: r.id } : { ticketId: line.ticketId, lineNo: line.lineNo };
    return lineView(
      line,
      r,
      work.purchases,
      work.policy.settings.unlimitedLabelThreshold,
      usedThroughAfter(work.cs, ref, usedThrough.get(claimKey(ref)) ?? 0),
    );
  });
  return {
    id: ticket.id,
    clientId: ticket.clientId,
    locationId: ticket.locationId,
    manual: ticket.manual,
    status: ticket.status,
    voidReason: ticket.voidReason ?? null,
    lines: shown,
    total: shown.reduce((sum, l) => sum + l.amountDue, 0),
    retailTotal: shown.reduce((sum, l) => sum + l.retail, 0),
    policyVersion: ticket.policyVersion ?? null,
  };
}
export type TicketView = ReturnType<typeof ticketView>;

/** Lock → snapshot for an operation on a ticket: its client's work, the ticket locked, its lines. */
async function ticketWork(ctx: CreditContext, id: string, lock = true) {
  const found = await clientWork(ctx, { client: { ticketId: id }, ticketId: id, lock });
  if (!found?.snapshot.ticket) throw notFound('ticket', id);
  const { work } = found;
  // Working copies: decisions change them, the snapshot stays as read.
  const ticket = { ...found.snapshot.ticket.ticket };
  const lines = found.snapshot.ticket.lines.map((l) => ({ ...l, item: { ...l.item } }));
  const reservations = new Map(
    lines.flatMap((l) => {
      const r = l.reservationId ? work.reservations.get(l.reservationId) : undefined;
      return r ? [[r.id, r] as const] : [];
    }),
  );
  return { work, usedThrough: found.snapshot.usedThrough, ticket, lines, reservations };
}

/** GET: the ticket with its client's due time triggers decided in memory; a read writes nothing. */
export async function showTicket(ctx: CreditContext, id: string): Promise<TicketView> {
  const { work, usedThrough, ticket, lines, reservations } = await ticketWork(ctx, id, false);
  return ticketView(work, usedThrough, ticket, lines, reservations);
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
): Promise<TicketView> {
  const { work, usedThrough, ticket, lines, reservations } = await ticketWork(ctx, id);
  const move = moves[action];
  if (!move.from.includes(ticket.status))
    throw conflict(`cannot ${action} a ticket that is ${ticket.status}`);
  if (action === 'close') {
    const expired = oneDayExpiredBeforeSession(work, [...reservations.values()]);
    if (expired) {
      ticket.status = 'voided';
      ticket.voidReason = expired;
      releaseForExpiredOneDay(work, ticket.id, lines, reservations);
      return finishTicket(ctx, work, usedThrough, ticket, lines, reservations);
    }
    ticket.closedAt = ctx.now;
  }
  ticket.status = move.to;
  runTrigger(work, ticketSnap(ticket, lines.length), ticket.clientId, lines, reservations, move.trigger);
  return finishTicket(ctx, work, usedThrough, ticket, lines, reservations);
}
