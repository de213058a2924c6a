import { query } from '../db/sql.ts';
import type { Channel } from '../domain/enums.ts';
import { conflict, unknownReference } from '../errors.ts';
import { newId } from '../ids.ts';
import { touchReservation } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { assignReservation, triggerReservation } from './decide.ts';
import { applyDueTimeTriggers } from './due.ts';
import { commit } from './ledger.ts';
import { type ReservedView, reservationView } from './present.ts';
import { itemOf, sessionOf } from './snapshot.ts';
import type { ReservationSnap } from './types.ts';
import { clientWork } from './work.ts';

export interface BookingInput {
  id?: string;
  clientId: string;
  sessionId: string;
  channel: Channel;
}

/**
 * Books a client into a session: lock the client, snapshot its purchases and what
 * is due, decide the assignment (through the rule set) and the `booked` trigger (a
 * hold for MyTime, nothing for gymGO) — plus the time triggers at once when the
 * session already started — and commit it all in one statement.
 */
export async function book(ctx: CreditContext, input: BookingInput): Promise<ReservedView> {
  const work = await clientWork(ctx, input.clientId);
  if (!work) throw unknownReference('/clientId', 'client', input.clientId);
  const [row] = await query(
    ctx,
    `select s.id as session_id, s.item_id, s.location_id, s.starts_at, s.ends_at, s.price as s_price, s.units,
            i.kind as i_kind, i.price as i_price, i.item_type as i_item_type, i.bucket_type as i_bucket_type,
            (select r.id from reservations r where r.tenant_id = s.tenant_id and r.session_id = s.id
                and r.client_id = $3 and r.status <> 'canceled') as live,
            exists (select 1 from reservations r where r.tenant_id = s.tenant_id and r.id = $4) as id_taken
       from sessions s join items i on i.tenant_id = s.tenant_id and i.id = s.item_id
      where s.tenant_id = $1 and s.id = $2`,
    [ctx.tenantId, input.sessionId, input.clientId, input.id ?? ''],
  );
  if (!row) throw unknownReference('/sessionId', 'session', input.sessionId);
  if (row.id_taken) throw conflict(`reservation '${input.id}' already exists`);
  if (row.live)
    throw conflict(
      `client '${input.clientId}' is already booked into session '${input.sessionId}' (${row.live})`,
    );
  const r: ReservationSnap = {
    id: input.id ?? newId('res'),
    clientId: input.clientId,
    sessionId: input.sessionId,
    channel: input.channel,
    status: 'booked',
    purchaseId: null,
    manualPurchase: false,
    creditState: 'none',
    coveredUnits: 0,
    creditSeq: 0,
    startedApplied: false,
    endedApplied: false,
    createdAt: ctx.now,
    session: sessionOf(row),
    item: itemOf(row),
    ticket: null,
    checkedOutManually: false,
  };
  work.reservations.set(r.id, r);
  const change = touchReservation(work, r, true);
  assignReservation(work, r, 'auto');
  triggerReservation(work, r, 'booked');
  if (r.session.startsAt <= ctx.now) applyDueTimeTriggers(work, [r], ctx.now);
  work.cs.events.push({
    name: 'reservation.changed',
    payload: { tenantId: ctx.tenantId, reservationId: r.id, status: r.status, creditState: r.creditState },
  });
  await commit(ctx, work.cs);
  return reservationView(ctx, r, work.purchases, {
    assignment: change.assignment ?? null,
    usage: change.steps,
    policyVersion: ctx.active.version,
    policyHash: ctx.active.hash,
  });
}
