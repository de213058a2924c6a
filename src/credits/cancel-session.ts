import { query } from '../db/sql.ts';
import { conflict, notFound } from '../errors.ts';
import { workOn } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { triggerReservation } from './decide.ts';
import { decideDue } from './due.ts';
import { commit } from './ledger.ts';
import type { ReservedView } from './present.ts';
import { currentPolicy, policyAt, readClient } from './read.ts';
import { reservationChanged } from './reservation-event.ts';
import { answer } from './reservation-status.ts';
import type { ClientSnapshot, Work } from './types.ts';
import { decideLineClosed } from './waitlist/decide.ts';
import { waitingLine } from './waitlist/service.ts';

export interface SessionCancelView {
  sessionId: string;
  canceledAt: string;
  /** Every reservation of the session as the cancel leaves it, in id order. */
  reservations: ReservedView[];
}

/** The session's attendees: their clients (in id order, the lock order) and reservation ids. */
async function attendees(ctx: CreditContext, sessionId: string): Promise<Map<string, string[]>> {
  const rows = await query(
    ctx,
    `select r.client_id, r.id from reservations r where r.tenant_id = $1 and r.session_id = $2
      order by r.client_id, r.id`,
    [ctx.tenantId, sessionId],
  );
  const byClient = new Map<string, string[]>();
  for (const row of rows) {
    const list = byClient.get(String(row.client_id)) ?? [];
    list.push(String(row.id));
    byClient.set(String(row.client_id), list);
  }
  return byClient;
}

/** The clients' snapshots merged into one: their purchases and reservations never overlap. */
function merged(snapshots: ClientSnapshot[], policyVersion: number): ClientSnapshot {
  const into: ClientSnapshot = {
    clientId: snapshots[0]?.clientId ?? '',
    policyVersion,
    purchases: new Map(),
    reservations: new Map(),
    usedThrough: new Map(),
    explains: new Map(),
    ticket: null,
    booking: null,
  };
  for (const s of snapshots) {
    for (const [k, v] of s.purchases) into.purchases.set(k, v);
    for (const [k, v] of s.reservations) into.reservations.set(k, v);
    for (const [k, v] of s.usedThrough) into.usedThrough.set(k, v);
    for (const [k, v] of s.explains) into.explains.set(k, v);
  }
  return into;
}

/**
 * Every live reservation of a canceled session is canceled and its credit decided
 * by the tenant's rules on the `session_canceled` trigger (seed 001: the credit
 * comes back), in one transaction and one commit statement, with one
 * reservation.changed event per reservation. The session is marked canceled in the
 * same statement and can no longer be booked.
 *
 * Locks: each attendee's client (in client id order, the global lock order) with
 * its live purchases, then the session row FOR UPDATE — bookings share its key
 * lock, so one in flight is waited for and then joins the attendees; one after it
 * sees the session canceled (409). A second cancel finds nothing live and answers
 * the same without a ledger entry.
 */
export async function cancelSession(ctx: CreditContext, sessionId: string): Promise<SessionCancelView> {
  const snapshots: ClientSnapshot[] = [];
  const locked = new Set<string>();
  const lockAttendees = async () => {
    for (const [clientId, reservationIds] of await attendees(ctx, sessionId)) {
      if (locked.has(clientId)) continue;
      const snapshot = await readClient(ctx, { client: { clientId }, reservationIds });
      if (snapshot) snapshots.push(snapshot);
      locked.add(clientId);
    }
  };
  await lockAttendees();
  const [session] = await query(
    ctx,
    'select s.ends_at, s.canceled_at from sessions s where s.tenant_id = $1 and s.id = $2 for update of s',
    [ctx.tenantId, sessionId],
  );
  if (!session) throw notFound('session', sessionId);
  const canceledAt = session.canceled_at == null ? null : new Date(String(session.canceled_at));
  if (!canceledAt && new Date(String(session.ends_at)) <= ctx.now)
    throw conflict(`session '${sessionId}' has ended: its credits are settled, it cannot be canceled`);
  // Bookings that committed while we waited for the session row joined the attendees.
  await lockAttendees();
  // Its waitlist closes (issue 20): each waiting client locked with its purchases, to give a held credit back.
  const waiting = await waitingLine(ctx, sessionId);
  for (const clientId of [...new Set(waiting.map((e) => e.clientId))].sort()) {
    if (locked.has(clientId)) continue;
    const snapshot = await readClient(ctx, { client: { clientId } });
    if (snapshot) snapshots.push(snapshot);
    locked.add(clientId);
  }
  const active = snapshots[0] ? await policyAt(ctx, snapshots[0].policyVersion) : await currentPolicy(ctx);
  const snapshot = merged(snapshots, active.version);
  const work = workOn(ctx, active, snapshot);
  decideDue(work);
  decideSessionCancel(work, sessionId);
  for (const entry of waiting) decideLineClosed(work, entry, 'the studio canceled the session');
  await commit(ctx, work.cs);
  const reservations = [...work.reservations.values()]
    .filter((r) => r.sessionId === sessionId)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    sessionId,
    canceledAt: (canceledAt ?? ctx.now).toISOString(),
    reservations: reservations.map((r) => answer(work, snapshot, r)),
  };
}

/** Pure: each live reservation of the session canceled, the rule set deciding its credit. */
export function decideSessionCancel(work: Work, sessionId: string): void {
  work.cs.canceledSessions = new Set([sessionId]);
  const live = [...work.reservations.values()]
    .filter((r) => r.sessionId === sessionId && r.status !== 'canceled')
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const r of live) {
    r.status = 'canceled';
    triggerReservation(work, r, 'session_canceled');
    // A cancellation like the client's own: Club OS gets it for items that send calendar events.
    work.cs.events.push(reservationChanged(work, r, 'canceled'));
  }
}
