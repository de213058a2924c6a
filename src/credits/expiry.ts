import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { Purchase } from '../domain/purchase.ts';
import { post } from './ledger.ts';

/**
 * B6 read-time expiry: every purchase whose expiresAt has passed reads `expired`,
 * and its unheld remaining credits move to `expired` with one expiry entry (keyed
 * by purchase, so settling twice changes nothing). Held credits stay held.
 * Runs before any read or decision that involves the purchases, so the answer
 * never depends on whether a sweep has run.
 */
export async function settleExpiredPurchases(
  tx: EntityManager,
  now: Date,
  scope: { clientId?: string; purchaseIds?: string[] } = {},
): Promise<number> {
  const where: Record<string, unknown> = { status: { $in: ['active', 'on_hold'] }, expiresAt: { $lt: now } };
  if (scope.clientId) where.clientId = scope.clientId;
  if (scope.purchaseIds) where.id = { $in: scope.purchaseIds };
  // Most calls find nothing due: ask with one cheap query before loading anything.
  const anyDue = await tx.findOne(Purchase, where, { fields: ['id'], disableIdentityMap: true });
  if (!anyDue) return 0;
  await tx.flush();
  const due = await tx.find(Purchase, where, {
    lockMode: LockMode.PESSIMISTIC_WRITE,
    orderBy: { id: 'asc' },
    refresh: true,
  });
  for (const purchase of due)
    await expirePurchase(tx, purchase, purchase.expiresAt ?? now, 'system', 'expired');
  return due.length;
}

/** Marks a locked purchase expired and moves its unheld remaining to `expired`. */
export async function expirePurchase(
  tx: EntityManager,
  purchase: Purchase,
  at: Date,
  actor: string,
  reason: string,
): Promise<void> {
  purchase.status = 'expired';
  if (!purchase.unlimited && purchase.remaining > 0) {
    await post(tx, purchase, {
      kind: 'expiry',
      delta: { expired: purchase.remaining },
      actor,
      at,
      reason,
      idempotencyKey: `expiry:${purchase.id}`,
    });
  }
}
