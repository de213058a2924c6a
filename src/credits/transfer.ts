import { conflict } from '../errors.ts';
import { post, touchPurchase } from './changeset.ts';
import { frozenAt } from './freeze-window.ts';
import type { PurchaseSnap, Work } from './types.ts';

/**
 * Transfers (issue 20 item 5), pure: why a purchase cannot give credits away now, and
 * the move itself on working snapshot data. The receiver gets a new purchase of the
 * same plan, location, sale instant and expiry; the credits leave the source as a
 * `transfer_out` entry (its total shrinks) and arrive as a `transfer_in` entry (the new
 * total), so the sum of totals and of remaining over both is exactly what it was.
 */

export interface TransferRequest {
  toClientId: string;
  /** Credits to move; absent: the whole unheld remaining (or, unlimited, the purchase itself). */
  credits?: number;
  reason: string;
  /** The receiver's new purchase. */
  newPurchaseId: string;
}

/** Why no credit may leave the purchase now, or null. */
export function transferRefusal(purchase: PurchaseSnap & { frozen?: boolean }, now: Date): string | null {
  if (purchase.status === 'voided') return 'voided';
  if (purchase.status === 'expired' || (purchase.expiresAt && purchase.expiresAt.getTime() <= now.getTime()))
    return 'expired';
  if (purchase.status === 'on_hold') return 'on hold';
  // Freezes (issue 20 item 3, table purchase_freezes): a purchase frozen at `now` moves nothing.
  if (purchase.frozen || frozenAt(purchase, now)) return 'frozen';
  return null;
}

/** The transfer on the working purchases: the receiver's purchase, both entries; throws 409 when refused. */
export function decideTransfer(
  work: Work,
  source: PurchaseSnap,
  request: TransferRequest,
): { purchase: PurchaseSnap; credits: number | null } {
  const refusal = transferRefusal(source, work.now);
  if (refusal) throw conflict(`purchase '${source.id}' is ${refusal}: its credits cannot be transferred`);
  if (source.unlimited && request.credits !== undefined)
    throw conflict(`purchase '${source.id}' is unlimited: transfer it whole (without credits)`);
  const credits = source.unlimited ? null : (request.credits ?? source.remaining);
  if (credits !== null && credits > source.remaining)
    throw conflict(
      `cannot transfer ${credits} credits: purchase '${source.id}' has ${source.remaining} remaining`,
    );
  if (credits === 0) throw conflict(`purchase '${source.id}' has no unused credits to transfer`);
  const { pool: _pool, ...terms } = structuredClone(source);
  const target: PurchaseSnap = {
    ...terms,
    id: request.newPurchaseId,
    clientId: request.toClientId,
    status: 'active',
    total: 0,
    held: 0,
    used: 0,
    deducted: 0,
    expired: 0,
    remaining: 0,
  };
  work.purchases.set(target.id, target);
  work.cs.newPurchases.add(target.id);
  touchPurchase(work, target);
  const entry = { reason: request.reason, at: work.now, policyVersion: null };
  post(work, source, {
    ...entry,
    kind: 'transfer_out',
    delta: credits === null ? {} : { total: -credits },
    key: `transfer-out:${target.id}`,
  });
  post(work, target, {
    ...entry,
    kind: 'transfer_in',
    delta: credits === null ? {} : { total: credits },
    key: `transfer-in:${target.id}`,
  });
  // A whole unlimited purchase changes hands: the source pays for nothing more (credits it holds stay held).
  if (source.unlimited) source.status = 'voided';
  touchPurchase(work, source);
  work.cs.events.push({
    name: 'purchase.transferred',
    payload: {
      tenantId: work.tenantId,
      fromPurchaseId: source.id,
      toPurchaseId: target.id,
      fromClientId: source.clientId,
      toClientId: request.toClientId,
      credits,
      reason: request.reason,
    },
  });
  return { purchase: target, credits };
}
