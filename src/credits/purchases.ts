import type { EntityManager } from '@mikro-orm/sql';
import { Client } from '../domain/client.ts';
import type { PurchaseSource } from '../domain/enums.ts';
import { Location } from '../domain/location.ts';
import { Plan } from '../domain/plan.ts';
import { Purchase } from '../domain/purchase.ts';
import { expiresAt } from '../domain/time.ts';
import { conflict, invalid, notFound, PunchcardError, unknownReference } from '../errors.ts';
import { newId } from '../ids.ts';
import { expirePurchase, settleExpiredPurchases } from './expiry.ts';
import { creditsGranted } from './grant.ts';
import { lockPurchases, post } from './ledger.ts';

export interface SaleInput {
  id?: string;
  clientId: string;
  planId: string;
  locationId: string;
  purchasedAt?: string;
  source?: PurchaseSource;
}

export interface Actor {
  name: string;
  now: Date;
  /** The request's idempotency scope: repeats of one operation post once. */
  operationKey: string;
}

/** Sells a plan to a client: the purchase row and its grant entry, in one transaction. */
export async function sellPurchase(tx: EntityManager, tenantId: string, input: SaleInput, actor: Actor) {
  const [client, plan, location] = await Promise.all([
    tx.findOne(Client, { id: input.clientId }),
    tx.findOne(Plan, { id: input.planId }),
    tx.findOne(Location, { id: input.locationId }),
  ]);
  if (!client) throw unknownReference('/clientId', 'client', input.clientId);
  if (!plan) throw unknownReference('/planId', 'plan', input.planId);
  if (!location) throw unknownReference('/locationId', 'location', input.locationId);
  if (input.id && (await tx.findOne(Purchase, { id: input.id })))
    throw conflict(`purchase '${input.id}' already exists`);
  const purchasedAt = input.purchasedAt ? new Date(input.purchasedAt) : actor.now;
  if (purchasedAt.getTime() > actor.now.getTime()) throw invalid('/purchasedAt', 'must not be in the future');
  const purchase = tx.create(Purchase, {
    tenantId,
    id: input.id ?? newId('pur'),
    clientId: client.id,
    planId: plan.id,
    locationId: location.id,
    purchasedAt,
    expiresAt: expiresAt(purchasedAt, location.timeZone, plan),
    status: 'active',
    source: input.source ?? 'pos',
    unlimited: plan.unlimited,
    total: 0,
    held: 0,
    used: 0,
    deducted: 0,
    expired: 0,
    remaining: 0,
    createdAt: actor.now,
  });
  await tx.flush();
  const credits = creditsGranted(plan);
  if (credits > 0) {
    await post(tx, purchase, {
      kind: 'grant',
      delta: { total: credits },
      actor: actor.name,
      at: purchasedAt,
      reason: `sold ${plan.name}`,
      idempotencyKey: `grant:${purchase.id}`,
    });
  }
  await tx.flush();
  await settleExpiredPurchases(tx, actor.now, { purchaseIds: [purchase.id] });
  return { purchase, plan };
}

/** Loads and locks one purchase of the tenant, settling read-time expiry first. */
export async function lockedPurchase(tx: EntityManager, id: string, now: Date): Promise<Purchase> {
  await settleExpiredPurchases(tx, now, { purchaseIds: [id] });
  const purchase = (await lockPurchases(tx, [id])).get(id);
  if (!purchase) throw notFound('purchase', id);
  return purchase;
}

/**
 * B19: additions grow total and remaining; deductions shrink only remaining, never
 * below zero.
 */
export async function adjustPurchase(
  tx: EntityManager,
  id: string,
  change: { delta: number; reason: string },
  actor: Actor,
): Promise<Purchase> {
  const purchase = await lockedPurchase(tx, id, actor.now);
  if (purchase.status === 'voided') throw conflict(`purchase '${id}' is voided`);
  if (purchase.unlimited) throw conflict(`purchase '${id}' is unlimited: it has no balance to adjust`);
  if (change.delta < 0 && -change.delta > purchase.remaining) {
    throw invalid('/delta', `cannot deduct ${-change.delta}: only ${purchase.remaining} remaining`);
  }
  const addition = change.delta > 0;
  await post(tx, purchase, {
    kind: addition ? 'addition' : 'deduction',
    delta: addition ? { total: change.delta } : { deducted: -change.delta },
    actor: actor.name,
    at: actor.now,
    reason: change.reason,
    idempotencyKey: `adjust:${actor.operationKey}`,
  });
  // An addition to an expired purchase lands straight in `expired`: it cannot be used.
  if (addition && purchase.status === 'expired') {
    await post(tx, purchase, {
      kind: 'expiry',
      delta: { expired: change.delta },
      actor: actor.name,
      at: actor.now,
      reason: 'added to an expired purchase',
      idempotencyKey: `adjust-expiry:${actor.operationKey}`,
    });
  }
  return purchase;
}

export type StatusChange = 'hold' | 'resume' | 'expire' | 'void';

/**
 * Staff status changes. Hold and resume move no credits; expire moves the unheld
 * remaining to `expired`; void forfeits it (booked as a `void` entry counted in
 * `deducted`). Credits held for booked sessions stay held in every case.
 */
export async function changePurchaseStatus(
  tx: EntityManager,
  id: string,
  change: StatusChange,
  reason: string | undefined,
  actor: Actor,
): Promise<Purchase> {
  const purchase = await lockedPurchase(tx, id, actor.now);
  const from = purchase.status;
  const refuse = () => {
    throw new PunchcardError('conflict', `cannot ${change} a purchase that is ${from}`);
  };
  switch (change) {
    case 'hold':
      if (from !== 'active') refuse();
      purchase.status = 'on_hold';
      break;
    case 'resume':
      if (from !== 'on_hold') refuse();
      purchase.status = 'active';
      break;
    case 'expire':
      if (from !== 'active' && from !== 'on_hold') refuse();
      await expirePurchase(tx, purchase, actor.now, actor.name, reason ?? 'expired by staff');
      break;
    case 'void':
      if (from === 'voided') refuse();
      purchase.status = 'voided';
      if (!purchase.unlimited && purchase.remaining > 0) {
        await post(tx, purchase, {
          kind: 'void',
          delta: { deducted: purchase.remaining },
          actor: actor.name,
          at: actor.now,
          reason: reason ?? 'voided by staff',
          idempotencyKey: `void:${purchase.id}`,
        });
      }
      break;
  }
  return purchase;
}
