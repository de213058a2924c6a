import { anyOf, query } from '../db/sql.ts';
import { Location } from '../domain/location.ts';
import { Plan } from '../domain/plan.ts';
import { Purchase } from '../domain/purchase.ts';
import { expiresAt } from '../domain/time.ts';
import { conflict, invalid, notFound, PunchcardError, unknownReference } from '../errors.ts';
import { newId } from '../ids.ts';
import { newWork, post, touchPurchase, touchReservation } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { expirePurchase, settleExpiry } from './due.ts';
import { creditsGranted } from './grant.ts';
import { schedulerBucketOf } from './item-types.ts';
import { commit } from './ledger.ts';
import { lockClients } from './locks.ts';
import { currentPolicy } from './read.ts';
import { readReservations } from './snapshot.ts';
import type { PurchaseSnap, Work } from './types.ts';
import { clientWork } from './work.ts';

export interface SaleInput {
  id?: string;
  clientId: string;
  planId: string;
  locationId: string;
  purchasedAt?: string;
  source?: 'pos' | 'recurring';
}

/**
 * Sells a plan to a client: the purchase row, its grant, the purchase.created event
 * and — for a purchase recorded late (B16) — the client's reservations it could
 * have paid for and nothing paid yet, handed back to the next sweep.
 */
export async function sellPurchase(ctx: CreditContext, input: SaleInput): Promise<string> {
  // One connection: its statements go one after another.
  const found = await lockClients(ctx, [input.clientId]);
  const plan = await ctx.tx.findOne(Plan, { id: input.planId });
  const location = await ctx.tx.findOne(Location, { id: input.locationId });
  if (!found.has(input.clientId)) throw unknownReference('/clientId', 'client', input.clientId);
  if (!plan) throw unknownReference('/planId', 'plan', input.planId);
  if (!location) throw unknownReference('/locationId', 'location', input.locationId);
  if (input.id && (await ctx.tx.findOne(Purchase, { id: input.id })))
    throw conflict(`purchase '${input.id}' already exists`);
  const purchasedAt = input.purchasedAt ? new Date(input.purchasedAt) : ctx.now;
  if (purchasedAt.getTime() > ctx.now.getTime()) throw invalid('/purchasedAt', 'must not be in the future');
  const purchase: PurchaseSnap = {
    id: input.id ?? newId('pur'),
    clientId: input.clientId,
    planId: plan.id,
    locationId: location.id,
    purchasedAt,
    expiresAt: expiresAt(purchasedAt, location.timeZone, plan) ?? null,
    status: 'active',
    source: input.source ?? 'pos',
    unlimited: plan.unlimited,
    total: 0,
    held: 0,
    used: 0,
    deducted: 0,
    expired: 0,
    remaining: 0,
    plan: {
      id: plan.id,
      name: plan.name,
      kind: plan.kind,
      credits: plan.credits ?? null,
      unlimited: plan.unlimited,
      price: plan.price,
      daysToExpire: plan.daysToExpire,
      oneDay: plan.oneDay,
      bucketType: plan.bucketType ?? null,
      itemType: plan.itemType ?? null,
      priority: plan.priority,
      itemIds: [...plan.itemIds],
      commission: plan.commission,
      maxFreezeDays: plan.maxFreezeDays ?? null,
      lowBalanceAt: plan.lowBalanceAt ?? null,
      expiringNoticeDays: plan.expiringNoticeDays ?? null,
    },
  };
  const work = newWork(ctx, await currentPolicy(ctx), new Map([[purchase.id, purchase]]));
  work.cs.newPurchases.add(purchase.id);
  work.cs.purchases.set(purchase.id, purchase);
  work.cs.events.push({
    name: 'purchase.created',
    payload: {
      tenantId: ctx.tenantId,
      purchaseId: purchase.id,
      clientId: purchase.clientId,
      planId: plan.id,
      planName: plan.name,
      planKind: plan.kind,
      itemIds: [...plan.itemIds],
      credits: plan.unlimited ? null : (plan.credits ?? null),
      unlimited: plan.unlimited,
      price: plan.price,
      locationId: purchase.locationId,
      source: purchase.source,
      purchasedAt: purchasedAt.toISOString(),
      expiresAt: purchase.expiresAt ? purchase.expiresAt.toISOString() : null,
      integrations: { ...(plan.integrations ?? {}) },
    },
  });
  // B7 asks the item type's record only for a session bucket (one read, none for other plans).
  const schedulerBucket =
    plan.kind === 'session_bucket' ? await schedulerBucketOf(ctx, plan.itemType) : undefined;
  const credits = creditsGranted({ ...plan, schedulerBucket });
  if (credits > 0) {
    post(work, purchase, {
      kind: 'grant',
      delta: { total: credits },
      key: `grant:${purchase.id}`,
      reason: `sold ${plan.name}`,
      at: purchasedAt,
      policyVersion: null,
    });
  }
  settleExpiry(work, ctx.now);
  await reopenForLatePurchase(ctx, work, purchase);
  await commit(ctx, work.cs);
  return purchase.id;
}

/**
 * B16 for a purchase recorded after sessions it was valid for had ended: the client's
 * reservations of those sessions that no credit paid (nothing assigned, not
 * canceled) get their `session_ended` again, from the next sweep or read.
 */
async function reopenForLatePurchase(ctx: CreditContext, work: Work, purchase: PurchaseSnap): Promise<void> {
  if (purchase.status !== 'active' || purchase.purchasedAt.getTime() >= ctx.now.getTime()) return;
  const rows = await query(
    ctx,
    `select r.id from reservations r join sessions s on s.tenant_id = r.tenant_id and s.id = r.session_id
      where r.tenant_id = $1 and r.client_id = $2 and r.ended_applied and r.credit_state = 'none'
        and r.status <> 'canceled' and s.ends_at >= $3 and s.item_id = ${anyOf(4)}`,
    [ctx.tenantId, purchase.clientId, purchase.purchasedAt, JSON.stringify(purchase.plan.itemIds)],
  );
  const reservations = await readReservations(ctx, { ids: rows.map((r) => String(r.id)) });
  for (const r of reservations.values()) {
    r.endedApplied = false;
    touchReservation(work, r);
    work.cs.resweep.add(r.sessionId);
  }
}

/** Lock → snapshot for an operation on one purchase: its client's work, with the purchase in it. */
export async function purchaseWork(
  ctx: CreditContext,
  id: string,
): Promise<{ work: Work; purchase: PurchaseSnap }> {
  const [row] = await query(ctx, 'select client_id from purchases where tenant_id = $1 and id = $2', [
    ctx.tenantId,
    id,
  ]);
  const found = row
    ? await clientWork(ctx, { client: { clientId: String(row.client_id) }, purchaseIds: [id] })
    : null;
  const work = found?.work;
  const purchase = work?.purchases.get(id);
  if (!work || !purchase) throw notFound('purchase', id);
  return { work, purchase };
}

const changed = (
  work: Work,
  p: PurchaseSnap,
  change: 'hold' | 'resume' | 'expire' | 'void' | 'adjustment',
  reason: string | null,
) =>
  work.cs.events.push({
    name: 'purchase.changed',
    payload: { tenantId: work.tenantId, purchaseId: p.id, change, status: p.status, reason },
  });

/**
 * B19: additions grow total and remaining; deductions shrink only remaining, never
 * below zero. An addition to an expired purchase lands straight in `expired`.
 */
export async function adjustPurchase(
  ctx: CreditContext,
  id: string,
  change: { delta: number; reason: string },
  operationKey: string,
): Promise<void> {
  const { work, purchase } = await purchaseWork(ctx, id);
  if (purchase.status === 'voided') throw conflict(`purchase '${id}' is voided`);
  if (purchase.unlimited) throw conflict(`purchase '${id}' is unlimited: it has no balance to adjust`);
  if (change.delta < 0 && -change.delta > purchase.remaining) {
    throw invalid('/delta', `cannot deduct ${-change.delta}: only ${purchase.remaining} remaining`);
  }
  const addition = change.delta > 0;
  const entry = { reason: change.reason, at: ctx.now, policyVersion: null };
  post(work, purchase, {
    ...entry,
    kind: addition ? 'addition' : 'deduction',
    delta: addition ? { total: change.delta } : { deducted: -change.delta },
    key: `adjust:${operationKey}`,
  });
  if (addition && purchase.status === 'expired') {
    post(work, purchase, {
      ...entry,
      kind: 'expiry',
      delta: { expired: change.delta },
      key: `adjust-expiry:${operationKey}`,
      reason: 'added to an expired purchase',
    });
  }
  changed(work, purchase, 'adjustment', change.reason);
  await commit(ctx, work.cs);
}

export type StatusChange = 'hold' | 'resume' | 'expire' | 'void';

/**
 * Staff status changes. Hold and resume move no credits; expire moves the unheld
 * remaining to `expired`; void forfeits it (a `void` entry counted in `deducted`).
 * Credits held for booked sessions stay held in every case.
 */
export async function changePurchaseStatus(
  ctx: CreditContext,
  id: string,
  change: StatusChange,
  reason: string | undefined,
): Promise<void> {
  const { work, purchase } = await purchaseWork(ctx, id);
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
      // expirePurchase records its own purchase.changed.
      expirePurchase(work, purchase, ctx.now, reason ?? 'expired by staff');
      await commit(ctx, work.cs);
      return;
    case 'void':
      if (from === 'voided') refuse();
      purchase.status = 'voided';
      if (!purchase.unlimited && purchase.remaining > 0) {
        post(work, purchase, {
          kind: 'void',
          delta: { deducted: purchase.remaining },
          key: `void:${purchase.id}`,
          reason: reason ?? 'voided by staff',
          at: ctx.now,
          policyVersion: null,
        });
      }
      break;
  }
  touchPurchase(work, purchase);
  changed(work, purchase, change, reason ?? null);
  await commit(ctx, work.cs);
}
