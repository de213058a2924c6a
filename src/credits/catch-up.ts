import { query } from '../db/sql.ts';
import { newWork } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { applyDueTimeTriggers, settleExpiry } from './due.ts';
import { commit } from './ledger.ts';
import { lockClients } from './locks.ts';
import { currentPolicy } from './read.ts';
import { readExpiredUnsettled, readPurchases, readReservations } from './snapshot.ts';
import { clientWork } from './work.ts';

/**
 * Brings time-driven state up to now before a read: session start and end triggers
 * that have come due (B12, B15), then purchases past their expiry (B6), committed.
 * Every route that shows credits calls it first, so an answer never depends on
 * whether a background sweep has run yet. With a client, that client is locked
 * first (the global lock order); without one (a tenant-wide report), every client
 * with something due is locked, in id order, and then every purchase past expiry.
 */
export async function catchUp(ctx: CreditContext, scope: { clientId?: string }): Promise<void> {
  if (scope.clientId) {
    const found = await clientWork(ctx, { client: { clientId: scope.clientId } });
    if (found) await commit(ctx, found.work.cs);
    return;
  }
  const due = await query(
    ctx,
    `select distinct r.client_id from reservations r
       join sessions s on s.tenant_id = r.tenant_id and s.id = r.session_id
      where r.tenant_id = $1 and not r.ended_applied
        and ((not r.started_applied and s.starts_at <= $2) or s.ends_at <= $2)`,
    [ctx.tenantId, ctx.now],
  );
  const clients = [
    ...(await lockClients(
      ctx,
      due.map((d) => String(d.client_id)),
    )),
  ];
  const work = newWork(ctx, await currentPolicy(ctx), await readPurchases(ctx, { clientIds: clients }));
  const reservations = await readReservations(ctx, { dueFor: clients, upTo: ctx.now });
  applyDueTimeTriggers(work, reservations.values(), ctx.now);
  for (const [id, p] of await readExpiredUnsettled(ctx, ctx.now))
    if (!work.purchases.has(id)) work.purchases.set(id, p);
  settleExpiry(work, ctx.now);
  await commit(ctx, work.cs);
}
