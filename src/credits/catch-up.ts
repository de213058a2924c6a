import type { CreditContext } from './context.ts';
import { settleExpiredPurchases } from './expiry.ts';
import { lockClients } from './locks.ts';
import { applyDueTimeTriggers } from './time-triggers.ts';

/**
 * Brings time-driven state up to now before a read or a decision: session start
 * and end triggers that have come due (B12, B15), then purchases past their expiry
 * (B6). Every route that shows or uses credits calls it first, so an answer never
 * depends on whether a background sweep has run yet. With a client, that client is
 * locked first (the global lock order); without one (a tenant-wide report), every
 * client with something due is locked, in id order.
 */
export async function catchUp(ctx: CreditContext, scope: { clientId?: string }): Promise<void> {
  if (scope.clientId) {
    await lockClients(ctx, [scope.clientId]);
  } else {
    const due = await ctx.tx.execute<{ client_id: string }[]>(
      `select distinct r.client_id from reservations r
         join sessions s on s.tenant_id = r.tenant_id and s.id = r.session_id
        where r.tenant_id = ? and ((not r.started_applied and s.starts_at <= ?) or (not r.ended_applied and s.ends_at <= ?))`,
      [ctx.tenantId, ctx.now, ctx.now],
    );
    await lockClients(
      ctx,
      due.map((d) => d.client_id),
    );
  }
  await applyDueTimeTriggers(ctx, ctx.now, { clientId: scope.clientId });
  await settleExpiredPurchases(ctx.tx, ctx.now, { clientId: scope.clientId });
}
