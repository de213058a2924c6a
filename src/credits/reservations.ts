import { LockMode } from '@mikro-orm/core';
import { Client } from '../domain/client.ts';
import type { Channel, ReservationStatus } from '../domain/enums.ts';
import { Reservation } from '../domain/reservation.ts';
import { Session } from '../domain/session.ts';
import { conflict, notFound, PunchcardError, unknownReference } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Trigger } from '../policy/index.ts';
import { catchUp } from './catch-up.ts';
import { applyTransition } from './claims.ts';
import type { CreditContext } from './context.ts';
import { lockPurchases } from './ledger.ts';
import { applyTrigger, assignReservation } from './reservation-credit.ts';
import { applyDueTimeTriggers } from './time-triggers.ts';
import { planTransition, purchaseView } from './transitions.ts';

export interface BookingInput {
  id?: string;
  clientId: string;
  sessionId: string;
  channel: Channel;
}

/**
 * Books a client into a session: assignment through the rule set, then the
 * `booked` trigger (a hold for MyTime, nothing for gymGO). A session already
 * started or ended gets its time triggers at once.
 */
export async function book(ctx: CreditContext, input: BookingInput): Promise<Reservation> {
  const client = await ctx.tx.findOne(Client, { id: input.clientId });
  if (!client) throw unknownReference('/clientId', 'client', input.clientId);
  const session = await ctx.tx.findOne(Session, { id: input.sessionId });
  if (!session) throw unknownReference('/sessionId', 'session', input.sessionId);
  await catchUp(ctx, { clientId: client.id });
  if (input.id && (await ctx.tx.findOne(Reservation, { id: input.id }))) {
    throw conflict(`reservation '${input.id}' already exists`);
  }
  const twice = await ctx.tx.findOne(Reservation, {
    clientId: client.id,
    sessionId: session.id,
    status: { $ne: 'canceled' },
  });
  if (twice)
    throw conflict(`client '${client.id}' is already booked into session '${session.id}' (${twice.id})`);
  const r = ctx.tx.create(Reservation, {
    tenantId: ctx.tenantId,
    id: input.id ?? newId('res'),
    clientId: client.id,
    sessionId: session.id,
    channel: input.channel,
    status: 'booked',
    purchaseId: null,
    manualPurchase: false,
    creditState: 'none',
    coveredUnits: 0,
    creditSeq: 0,
    startedApplied: false,
    endedApplied: false,
    policyVersion: ctx.active.version,
    explain: null,
    createdAt: ctx.now,
  });
  await ctx.tx.flush();
  await assignReservation(ctx, r, 'auto');
  await applyTrigger(ctx, r, 'booked');
  await ctx.tx.flush();
  if (session.startsAt <= ctx.now) await applyDueTimeTriggers(ctx, ctx.now, { clientId: client.id });
  changed(ctx, r);
  return r;
}

/** Loads a reservation locked FOR UPDATE, after its client's time triggers are applied. */
export async function lockedReservation(ctx: CreditContext, id: string): Promise<Reservation> {
  const found = await ctx.tx.findOne(Reservation, { id });
  if (!found) throw notFound('reservation', id);
  await catchUp(ctx, { clientId: found.clientId });
  await ctx.tx.flush();
  return ctx.tx.findOneOrFail(Reservation, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

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
): Promise<Reservation> {
  const r = await lockedReservation(ctx, id);
  if (!allowedFrom[to].includes(r.status)) {
    throw new PunchcardError('conflict', `cannot mark a ${r.status} reservation ${to.replace('_', '-')}`);
  }
  r.status = to;
  await applyTrigger(ctx, r, to as Trigger);
  await ctx.tx.flush();
  changed(ctx, r);
  return r;
}

/**
 * B5: staff move a reservation to another purchase. The credit moves with ledger
 * entries on both: given back to the old purchase, then taken from the new one in
 * the same state (held stays held, used stays used).
 */
export async function reassign(ctx: CreditContext, id: string, purchaseId: string): Promise<Reservation> {
  const r = await lockedReservation(ctx, id);
  if (r.status === 'canceled') throw conflict('a canceled reservation has no credit to move');
  if (r.purchaseId === purchaseId) return r;
  const previous = r.creditState;
  await lockPurchases(
    ctx.tx,
    [r.purchaseId, purchaseId].filter((x): x is string => Boolean(x)),
    ctx.locked,
  );
  if (r.purchaseId && (previous === 'held' || previous === 'used')) {
    const old = (await lockPurchases(ctx.tx, [r.purchaseId], ctx.locked)).get(r.purchaseId) ?? null;
    const back = planTransition(
      { state: previous, covered: r.coveredUnits },
      'release',
      r.coveredUnits,
      purchaseView(old),
    );
    if (back.kind === 'move')
      await applyTransition(
        ctx,
        r,
        { key: `r:${r.id}`, reservationId: r.id, ticketId: null },
        old,
        back,
        'moved by staff',
      );
  }
  r.creditState = 'none';
  r.purchaseId = null;
  const target = await assignReservation(ctx, r, 'manual', purchaseId);
  if (target && (previous === 'held' || previous === 'used')) {
    const forward = planTransition(
      { state: 'assigned', covered: r.coveredUnits },
      previous === 'held' ? 'hold' : 'use',
      r.coveredUnits,
      purchaseView(target),
    );
    if (forward.kind === 'move')
      await applyTransition(
        ctx,
        r,
        { key: `r:${r.id}`, reservationId: r.id, ticketId: null },
        target,
        forward,
        'moved by staff',
      );
  }
  await ctx.tx.flush();
  changed(ctx, r);
  return r;
}

function changed(ctx: CreditContext, r: Reservation): void {
  ctx.events.push({
    name: 'reservation.changed',
    payload: { tenantId: ctx.tenantId, reservationId: r.id, status: r.status, creditState: r.creditState },
  });
}
