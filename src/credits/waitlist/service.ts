import { query } from '../../db/sql.ts';
import { conflict, notFound, unknownReference } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { CreditContext } from '../context.ts';
import { commit } from '../ledger.ts';
import { policyAt, readClient } from '../read.ts';
import type { ReservationSnap, Work } from '../types.ts';
import { clientWork } from '../work.ts';
import { decideJoin, decideLeave, decidePromotion } from './decide.ts';
import { entryColumns, entryOf, type WaitlistEntrySnap } from './entry.ts';
import { mergeChanges } from './merge.ts';
import { lockSeats } from './seats.ts';

export interface WaitlistEntryView {
  id: string;
  clientId: string;
  /** 1 is next in line. */
  position: number;
  joinedAt: string;
  /** The purchase holding credits for it, and how many (0 when none is held). */
  purchaseId: string | null;
  heldUnits: number;
}

export interface WaitlistView {
  sessionId: string;
  capacity: number | null;
  /** Seats taken by live reservations. */
  taken: number;
  waiting: WaitlistEntryView[];
}

const viewOf = (e: WaitlistEntrySnap, position: number): WaitlistEntryView => ({
  id: e.id,
  clientId: e.clientId,
  position,
  joinedAt: e.joinedAt.toISOString(),
  purchaseId: e.creditState === 'held' ? e.purchaseId : null,
  heldUnits: e.creditState === 'held' ? e.coveredUnits : 0,
});

/** The session's line in order (first joined first), read fresh. */
export async function waitingLine(ctx: CreditContext, sessionId: string): Promise<WaitlistEntrySnap[]> {
  const rows = await query(
    ctx,
    `select ${entryColumns} from waitlist_entries w
      where w.tenant_id = $1 and w.session_id = $2 and w.status = 'waiting' order by w.joined_at, w.id`,
    [ctx.tenantId, sessionId],
  );
  return rows.map(entryOf);
}

/** The client's waiting entry for the session, if any (read under the client's lock, it cannot move). */
async function waitingEntry(
  ctx: CreditContext,
  sessionId: string,
  clientId: string,
): Promise<WaitlistEntrySnap | null> {
  const [row] = await query(
    ctx,
    `select ${entryColumns} from waitlist_entries w
      where w.tenant_id = $1 and w.session_id = $2 and w.client_id = $3 and w.status = 'waiting'`,
    [ctx.tenantId, sessionId, clientId],
  );
  return row ? entryOf(row) : null;
}

/**
 * Joins a full session's line: the client's one locking read (its purchases, the
 * session), then — the client locked — whether it already waits, then the seat lock
 * and count; decide (holding credits when the tenant says so); one commit.
 */
export async function joinWaitlist(
  ctx: CreditContext,
  sessionId: string,
  clientId: string,
): Promise<WaitlistEntryView> {
  const entryId = newId('wl');
  const read = await clientWork(ctx, {
    client: { clientId },
    booking: { sessionId, reservationId: entryId },
  });
  if (!read) throw unknownReference('/clientId', 'client', clientId);
  const { work, snapshot } = read;
  const found = snapshot.booking?.session;
  if (!found) throw notFound('session', sessionId);
  const { session, item } = found;
  if (session.canceledAt)
    throw conflict(`session '${sessionId}' was canceled by the studio: it has no waitlist`);
  if (session.capacity == null)
    throw conflict(`session '${sessionId}' has no capacity: it is never full, book it instead`);
  if (session.startsAt <= ctx.now)
    throw conflict(`session '${sessionId}' has started: its waitlist is closed`);
  if (snapshot.booking?.live)
    throw conflict(
      `client '${clientId}' is already booked into session '${sessionId}' (${snapshot.booking.live})`,
    );
  // Before the seat lock: a promotion holding it may be waiting for this client's lock.
  if (await waitingEntry(ctx, sessionId, clientId))
    throw conflict(`client '${clientId}' is already on the waitlist of session '${sessionId}'`);
  const taken = await lockSeats(ctx, sessionId);
  if (taken < session.capacity)
    throw conflict(
      `session '${sessionId}' is not full (${taken} of ${session.capacity} seats taken): book it instead`,
    );
  const position = (await waitingLine(ctx, sessionId)).length + 1;
  const entry = decideJoin(
    work,
    { id: entryId, clientId, session, item, position },
    work.policy.settings.waitlistHoldsCredit === true,
  );
  await commit(ctx, work.cs);
  return viewOf(entry, position);
}

/** Leaves the line: the client's locking read, its entry, decide (a held credit comes back), one commit. */
export async function leaveWaitlist(
  ctx: CreditContext,
  sessionId: string,
  clientId: string,
): Promise<{ id: string; clientId: string; sessionId: string; status: 'left' }> {
  const read = await clientWork(ctx, { client: { clientId } });
  if (!read) throw notFound('client', clientId);
  const entry = await waitingEntry(ctx, sessionId, clientId);
  if (!entry) throw notFound('waitlist entry', `${sessionId}/${clientId}`);
  decideLeave(read.work, entry);
  await commit(ctx, read.work.cs);
  return { id: entry.id, clientId, sessionId, status: 'left' };
}

/** GET: the session's seats and its line in order. Locks nothing. */
export async function showWaitlist(ctx: CreditContext, sessionId: string): Promise<WaitlistView> {
  const [session] = await query(
    ctx,
    `select s.capacity, (select count(*) from reservations r where r.tenant_id = s.tenant_id and r.session_id = s.id
                            and r.status <> 'canceled') as taken
       from sessions s where s.tenant_id = $1 and s.id = $2`,
    [ctx.tenantId, sessionId],
  );
  if (!session) throw notFound('session', sessionId);
  const line = await waitingLine(ctx, sessionId);
  return {
    sessionId,
    capacity: session.capacity == null ? null : Number(session.capacity),
    taken: Number(session.taken),
    waiting: line.map((e, i) => viewOf(e, i + 1)),
  };
}

/**
 * A spot opened (a reservation of a session with a capacity is being canceled, in
 * `work`): in the same transaction and change set, the first waiting client whose
 * booking the tenant's rules accept is booked; those before it whose credit is gone
 * are skipped. Lock order: the canceling client (already locked by its read), the
 * seat lock, then each waiting client tried, whose entry is read again under its
 * lock (it may have left meanwhile).
 */
export async function fillFreedSeat(
  ctx: CreditContext,
  work: Work,
  canceled: ReservationSnap,
): Promise<void> {
  const capacity = canceled.session.capacity;
  if (capacity == null) return;
  const sessionId = canceled.sessionId;
  let taken = await lockSeats(ctx, sessionId, canceled.id);
  if (taken >= capacity) return;
  for (const next of await waitingLine(ctx, sessionId)) {
    if (taken >= capacity) break;
    const reservationId = newId('res');
    const snapshot = await readClient(ctx, {
      client: { clientId: next.clientId },
      booking: { sessionId, reservationId },
    });
    const entry = await waitingEntry(ctx, sessionId, next.clientId);
    if (!snapshot?.booking || !entry) continue;
    snapshot.booking.taken = taken;
    const decision = decidePromotion(
      snapshot,
      await policyAt(ctx, snapshot.policyVersion),
      entry,
      reservationId,
      ctx,
    );
    mergeChanges(work.cs, decision.changes);
    if (decision.reservation) taken += 1;
  }
}
