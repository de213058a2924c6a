import { applyDueTimeTriggersInBulk } from './bulk-time-triggers.ts';
import type { CreditContext } from './context.ts';
import { settleExpiredPurchases } from './expiry.ts';
import { lockClients } from './locks.ts';
import type { TimeTriggerStats } from './time-triggers.ts';

/** Sessions claimed per transaction: bounded work and lock time per batch. */
export const sweepBatchSize = 1000;

/**
 * B15/B16 for one batch of a tenant's ended, unswept sessions: every enrolled
 * client's credit goes through `session_ended` (the rule set skips no-shows,
 * cancellations and manual checkouts), then the sessions are marked swept.
 * Sessions are claimed FOR NO KEY UPDATE SKIP LOCKED, so several service processes
 * can sweep at once and never take the same session; NO KEY keeps new bookings
 * (whose foreign key only takes KEY SHARE) from waiting on the sweep.
 * Idempotent: each trigger applies once per reservation, whatever ran before.
 */
export async function sweepBatch(
  ctx: CreditContext,
  asOf: Date,
): Promise<TimeTriggerStats & { done: boolean }> {
  const sessions = await ctx.tx.execute<{ id: string }[]>(
    `select id from sessions where tenant_id = ? and swept_at is null and ends_at <= ?
      order by ends_at, id limit ? for no key update skip locked`,
    [ctx.tenantId, asOf, sweepBatchSize],
  );
  if (sessions.length === 0) return { sessions: 0, used: 0, released: 0, skipped: 0, done: true };
  const ids = sessions.map((s) => s.id);
  const marks = ids.map(() => '?').join(', ');
  const clients = await ctx.tx.execute<{ client_id: string }[]>(
    `select distinct client_id from reservations where tenant_id = ? and session_id in (${marks})`,
    [ctx.tenantId, ...ids],
  );
  await lockClients(
    ctx,
    clients.map((c) => c.client_id),
  );
  const stats = await applyDueTimeTriggersInBulk(ctx, asOf, ids);
  await ctx.tx.execute(`update sessions set swept_at = ? where tenant_id = ? and id in (${marks})`, [
    ctx.now,
    ctx.tenantId,
    ...ids,
  ]);
  return { ...stats, sessions: ids.length, done: sessions.length < sweepBatchSize };
}

/** Expiry for the whole tenant, so reports and balances are right without a read. */
export async function sweepExpiry(ctx: CreditContext, asOf: Date): Promise<number> {
  return settleExpiredPurchases(ctx.tx, asOf);
}
