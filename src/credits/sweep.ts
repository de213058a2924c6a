import { anyOf, query } from '../db/sql.ts';
import { newWork } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { applyDueTimeTriggers, settleExpiry, type TimeTriggerStats } from './due.ts';
import { commit } from './ledger.ts';
import { lockClients } from './locks.ts';
import { currentPolicy } from './read.ts';
import { readExpiredUnsettled, readPurchases, readReservations } from './snapshot.ts';

/** Sessions claimed per transaction: bounded work and lock time per batch. */
export const sweepBatchSize = 1000;

/**
 * B15/B16 for one batch of a tenant's ended, unswept sessions, through the same
 * spine as a booking: lock the batch's clients (id order), snapshot their purchases
 * and the batch's due reservations, decide every `session_started`/`session_ended`
 * (the rule set skips no-shows, cancellations and manual checkouts), commit in one
 * statement, then mark the sessions swept. Sessions are claimed FOR NO KEY UPDATE
 * SKIP LOCKED, so several service processes can sweep at once and never take the
 * same session; NO KEY keeps new bookings (whose foreign key only takes KEY SHARE)
 * from waiting on the sweep. Idempotent: each trigger applies once per reservation.
 */
export async function sweepBatch(
  ctx: CreditContext,
  asOf: Date,
): Promise<TimeTriggerStats & { done: boolean }> {
  const sessions = await query(
    ctx,
    `select id from sessions where tenant_id = $1 and swept_at is null and ends_at <= $2
      order by ends_at, id limit $3 for no key update skip locked`,
    [ctx.tenantId, asOf, sweepBatchSize],
  );
  if (sessions.length === 0) return { sessions: 0, used: 0, released: 0, skipped: 0, done: true };
  const sessionIds = JSON.stringify(sessions.map((s) => String(s.id)));
  const clients = await query(
    ctx,
    `select distinct client_id from reservations where tenant_id = $1 and session_id = ${anyOf(2)}`,
    [ctx.tenantId, sessionIds],
  );
  const locked = [
    ...(await lockClients(
      ctx,
      clients.map((c) => String(c.client_id)),
    )),
  ];
  const work = newWork(ctx, await currentPolicy(ctx), await readPurchases(ctx, { clientIds: locked }), false);
  const due = await readReservations(ctx, { dueIn: sessions.map((s) => String(s.id)), upTo: asOf });
  const stats = applyDueTimeTriggers(work, due.values(), asOf);
  for (const s of sessions) work.cs.swept.add(String(s.id));
  work.cs.stepsByReference = true;
  await commit(ctx, work.cs);
  return { ...stats, sessions: sessions.length, done: sessions.length < sweepBatchSize };
}

/** Expiry for the whole tenant, so reports and balances are right without a read. */
export async function sweepExpiry(ctx: CreditContext, asOf: Date): Promise<number> {
  const work = newWork(ctx, await currentPolicy(ctx), await readExpiredUnsettled(ctx, asOf), false);
  const count = settleExpiry(work, asOf);
  await commit(ctx, work.cs);
  return count;
}
