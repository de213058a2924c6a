import type { CreditContext } from './context.ts';
import { settleExpiredPurchases } from './expiry.ts';
import { lockClients } from './locks.ts';
import { applyDueTimeTriggers } from './time-triggers.ts';

export interface CatchUpScope {
  clientId?: string;
  purchaseIds?: string[];
}

/**
 * Brings time-driven state up to now before a read or a decision: session start
 * and end triggers that have come due (B12, B15), then purchases past their expiry
 * (B6). Every route that shows or uses credits calls it first, so an answer never
 * depends on whether a background sweep has run yet.
 */
export async function catchUp(ctx: CreditContext, scope: CatchUpScope): Promise<void> {
  if (scope.clientId) await lockClients(ctx, [scope.clientId]);
  if (!scope.purchaseIds) await applyDueTimeTriggers(ctx, ctx.now, { clientId: scope.clientId });
  await settleExpiredPurchases(ctx.tx, ctx.now, scope);
}
