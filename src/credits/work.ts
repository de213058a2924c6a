import { query } from '../db/sql.ts';
import { notFound } from '../errors.ts';
import { emptyChangeSet } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { applyDueTimeTriggers, settleExpiry } from './due.ts';
import { lockClient } from './locks.ts';
import { readReservations } from './snapshot.ts';
import type { ChangeSet, PurchaseSnap, ReservationSnap, Work } from './types.ts';

export const newWork = (
  ctx: CreditContext,
  purchases: Map<string, PurchaseSnap>,
  explainAll = true,
  cs: ChangeSet = emptyChangeSet(),
): Work => ({
  tenantId: ctx.tenantId,
  policy: ctx.active.policy,
  version: ctx.active.version,
  hash: ctx.active.hash,
  actor: ctx.actor,
  now: ctx.now,
  explainAll,
  purchases,
  reservations: new Map(),
  cs,
});

/** The reservations with these ids, read into the work unless it holds them already. */
export async function reservationsOf(
  ctx: CreditContext,
  work: Work,
  ids: string[],
): Promise<ReservationSnap[]> {
  const missing = ids.filter((id) => !work.reservations.has(id));
  if (missing.length > 0) {
    for (const [id, r] of await readReservations(ctx, { ids: missing })) work.reservations.set(id, r);
  }
  return ids.flatMap((id) => work.reservations.get(id) ?? []);
}

/**
 * Lock → snapshot for one client's operation, with what time has made due already
 * decided (B12 time triggers, B6 expiry), so the operation decides on the present
 * and an answer never depends on whether a sweep has run. The caller decides its
 * own change on top and commits once. Returns null when the client does not exist.
 */
export async function clientWork(ctx: CreditContext, clientId: string): Promise<Work | null> {
  const client = await lockClient(ctx, clientId, ctx.now);
  if (!client) return null;
  const due = client.due ? await readReservations(ctx, { dueFor: [clientId], upTo: ctx.now }) : new Map();
  const work = newWork(ctx, client.purchases);
  for (const [id, r] of due) work.reservations.set(id, r);
  applyDueTimeTriggers(work, due.values(), ctx.now);
  settleExpiry(work, ctx.now);
  return work;
}

/** Lock → snapshot for an operation on one reservation: its client's work, and the reservation in it. */
export async function reservationWork(
  ctx: CreditContext,
  id: string,
): Promise<{ work: Work; reservation: ReservationSnap }> {
  const [row] = await query(ctx, 'select client_id from reservations where tenant_id = $1 and id = $2', [
    ctx.tenantId,
    id,
  ]);
  const work = row ? await clientWork(ctx, String(row.client_id)) : null;
  const [reservation] = work ? await reservationsOf(ctx, work, [id]) : [];
  if (!work || !reservation) throw notFound('reservation', id);
  return { work, reservation };
}
