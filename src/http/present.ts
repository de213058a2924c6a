import { offerLabel } from '../credits/labels.ts';
import type { Item } from '../domain/item.ts';
import type { LedgerEntry } from '../domain/ledger-entry.ts';
import type { Location } from '../domain/location.ts';
import type { Plan } from '../domain/plan.ts';
import type { Purchase } from '../domain/purchase.ts';

/** JSON shapes of the API: the tenant id never leaves, times are ISO-8601 UTC. */
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const presentLocation = (l: Location) => ({ id: l.id, name: l.name, timeZone: l.timeZone });

export const presentItem = (i: Item) => ({
  id: i.id,
  name: i.name,
  kind: i.kind,
  price: i.price,
  itemType: i.itemType,
  bucketType: i.bucketType,
});

export const presentPlan = (p: Plan) => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  credits: p.credits,
  unlimited: p.unlimited,
  price: p.price,
  daysToExpire: p.daysToExpire,
  oneDay: p.oneDay,
  bucketType: p.bucketType,
  itemType: p.itemType,
  priority: p.priority,
  itemIds: p.itemIds,
  commission: p.commission,
  integrations: p.integrations,
});

export const presentPurchase = (p: Purchase, plan: Pick<Plan, 'kind' | 'name'>) => ({
  id: p.id,
  clientId: p.clientId,
  planId: p.planId,
  planName: plan.name,
  kind: plan.kind,
  locationId: p.locationId,
  source: p.source,
  purchasedAt: iso(p.purchasedAt),
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
});

export const presentLedgerEntry = (e: LedgerEntry) => ({
  id: e.id,
  kind: e.kind,
  delta: { total: e.total, held: e.held, used: e.used, deducted: e.deducted, expired: e.expired },
  reservationId: e.reservationId,
  ticketId: e.ticketId,
  actor: e.actor,
  reason: e.reason,
  policyVersion: e.policyVersion,
  occurredAt: iso(e.occurredAt),
});
