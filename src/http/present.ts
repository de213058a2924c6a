import type { Static } from 'typebox';
import { offerLabel } from '../credits/labels.ts';
import { capOf, usedBy } from '../credits/pool.ts';
import type { Pool } from '../credits/types.ts';
import type { Client } from '../domain/client.ts';
import type { Item } from '../domain/item.ts';
import type { ItemType } from '../domain/item-type.ts';
import type { LedgerEntry } from '../domain/ledger-entry.ts';
import type { Location } from '../domain/location.ts';
import type { Plan } from '../domain/plan.ts';
import type { Purchase } from '../domain/purchase.ts';
import type * as catalog from './responses/catalog.ts';
import type * as purchases from './responses/purchases.ts';

/**
 * JSON shapes of the API, typed by the response schemas in ./responses/ (the same ones
 * the OpenAPI document shows): the tenant id never leaves, times are ISO-8601 UTC.
 */
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const presentLocation = (l: Location): Static<typeof catalog.Location> => ({
  id: l.id,
  name: l.name,
  timeZone: l.timeZone,
});

export const presentClient = (c: Client): Static<typeof catalog.Client> => ({
  id: c.id,
  name: c.name,
  email: c.email ?? null,
});

export const presentItem = (i: Item): Static<typeof catalog.Item> => ({
  id: i.id,
  name: i.name,
  kind: i.kind,
  price: i.price,
  itemType: i.itemType ?? null,
  bucketType: i.bucketType,
  integrations: i.integrations ?? {},
});

export const presentItemType = (t: ItemType): Static<typeof catalog.ItemType> => ({
  id: t.id,
  name: t.name,
  schedulerBucket: t.schedulerBucket,
});

export const presentPlan = (p: Plan): Static<typeof catalog.Plan> => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  credits: p.credits ?? null,
  unlimited: p.unlimited,
  price: p.price,
  daysToExpire: p.daysToExpire,
  oneDay: p.oneDay,
  bucketType: p.bucketType ?? null,
  itemType: p.itemType ?? null,
  priority: p.priority,
  itemIds: p.itemIds,
  commission: p.commission,
  integrations: p.integrations,
  cap: p.cap ?? null,
  maxFreezeDays: p.maxFreezeDays ?? null,
  lowBalanceAt: p.lowBalanceAt ?? null,
  expiringNoticeDays: p.expiringNoticeDays ?? null,
});

export const presentPurchase = (
  p: Purchase,
  plan: Pick<Plan, 'kind' | 'name'>,
): Static<typeof purchases.Purchase> => ({
  id: p.id,
  clientId: p.clientId,
  planId: p.planId,
  planName: plan.name,
  kind: plan.kind,
  locationId: p.locationId,
  source: p.source,
  purchasedAt: p.purchasedAt.toISOString(),
  expiresAt: iso(p.expiresAt),
  status: p.status,
  unlimited: p.unlimited,
  total: p.total,
  used: p.used,
  held: p.held,
  deducted: p.deducted,
  expired: p.expired,
  remaining: p.remaining,
  label: offerLabel({ kind: plan.kind, status: p.status, remaining: p.remaining, unlimited: p.unlimited }),
  ...(p.pool && p.pool.members.length > 0 ? { members: poolMembers(p.pool) } : {}),
});

const poolMembers = (pool: Pool) =>
  pool.members.map((clientId) => ({ clientId, cap: capOf(pool, clientId), used: usedBy(pool, clientId) }));

/** A purchase in a member's balances: the owner's, shared with the member (issue 20 item 4). */
export const presentSharedPurchase = (
  p: Purchase,
  plan: Pick<Plan, 'kind' | 'name'>,
  memberId: string,
): Static<typeof purchases.Purchase> => {
  const pool = p.pool as Pool;
  return {
    ...presentPurchase(p, plan),
    sharedBy: { ownerId: p.clientId, cap: capOf(pool, memberId), used: usedBy(pool, memberId) },
  };
};

export const presentLedgerEntry = (e: LedgerEntry): Static<typeof purchases.LedgerEntry> => ({
  id: e.id,
  kind: e.kind,
  delta: { total: e.total, held: e.held, used: e.used, deducted: e.deducted, expired: e.expired },
  clientId: e.clientId ?? null,
  reservationId: e.reservationId ?? null,
  ticketId: e.ticketId ?? null,
  actor: e.actor,
  reason: e.reason ?? null,
  policyVersion: e.policyVersion ?? null,
  occurredAt: e.occurredAt.toISOString(),
});
