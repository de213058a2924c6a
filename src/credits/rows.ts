import type { CreditState } from '../domain/enums.ts';
import type { Item } from '../domain/item.ts';
import type { Plan } from '../domain/plan.ts';
import type { Purchase } from '../domain/purchase.ts';
import type { Reservation } from '../domain/reservation.ts';
import type { Session } from '../domain/session.ts';

/**
 * Rows read with plain SQL (the sweep, the booking fast path) shaped as the
 * entities the pure decision code reads. Column names are the tables' own; joined
 * session and item columns use the aliases the queries give them.
 */
// biome-ignore lint/suspicious/noExplicitAny: raw SQL rows, narrowed field by field below
export type Row = Record<string, any>;

const asDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const nullableNumber = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export const reservationOf = (row: Row) =>
  ({
    id: String(row.id),
    clientId: String(row.client_id),
    sessionId: String(row.session_id),
    channel: row.channel,
    status: row.status,
    purchaseId: row.purchase_id ?? null,
    manualPurchase: Boolean(row.manual_purchase),
    creditState: row.credit_state as CreditState,
    coveredUnits: Number(row.covered_units),
    creditSeq: Number(row.credit_seq),
    startedApplied: Boolean(row.started_applied),
    endedApplied: Boolean(row.ended_applied),
  }) as Reservation;

export const sessionOf = (row: Row) =>
  ({
    id: String(row.session_id),
    itemId: String(row.item_id),
    locationId: String(row.location_id),
    startsAt: asDate(row.starts_at),
    endsAt: asDate(row.ends_at),
    price: nullableNumber(row.s_price),
    units: Number(row.units),
  }) as Session;

export const itemOf = (row: Row) =>
  ({
    id: String(row.item_id),
    kind: row.i_kind,
    price: Number(row.i_price),
    itemType: row.i_item_type ?? null,
    bucketType: row.i_bucket_type,
  }) as Item;

export const planOf = (p: Row) =>
  ({
    id: String(p.id),
    kind: p.kind,
    credits: nullableNumber(p.credits),
    unlimited: Boolean(p.unlimited),
    price: Number(p.price),
    daysToExpire: Number(p.days_to_expire),
    oneDay: Boolean(p.one_day),
    bucketType: p.bucket_type ?? null,
    itemType: p.item_type ?? null,
    priority: Number(p.priority),
    itemIds: p.item_ids,
  }) as Plan;

export const purchaseOf = (p: Row) =>
  ({
    tenantId: String(p.tenant_id),
    id: String(p.id),
    clientId: String(p.client_id),
    planId: String(p.plan_id),
    locationId: String(p.location_id),
    purchasedAt: asDate(p.purchased_at),
    expiresAt: p.expires_at === null ? null : asDate(p.expires_at),
    status: p.status,
    source: p.source,
    unlimited: Boolean(p.unlimited),
    total: Number(p.total),
    held: Number(p.held),
    used: Number(p.used),
    deducted: Number(p.deducted),
    expired: Number(p.expired),
    remaining: Number(p.remaining),
  }) as Purchase;
