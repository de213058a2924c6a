import { defineEntity, p } from '@mikro-orm/core';
import { purchaseSources, purchaseStatuses } from './enums.ts';
import { tenantFilter } from './tenant-filter.ts';

/**
 * A client's bought plan, the "bucket". The counters are a cache of the ledger:
 * each always equals the sum of its ledger column, and
 * remaining = total − held − used − deducted − expired (a CHECK enforces it).
 */
const PurchaseSchema = defineEntity({
  name: 'Purchase',
  tableName: 'purchases',
  filters: tenantFilter,
  properties: {
    tenantId: p.string().primary(),
    id: p.string().primary(),
    clientId: p.string(),
    planId: p.string(),
    locationId: p.string(),
    purchasedAt: p.datetime(),
    /** Null when it never expires. */
    expiresAt: p.datetime().nullable(),
    status: p.enum(purchaseStatuses),
    source: p.enum(purchaseSources),
    unlimited: p.boolean(),
    total: p.integer(),
    held: p.integer(),
    used: p.integer(),
    deducted: p.integer(),
    expired: p.integer(),
    remaining: p.integer(),
    /** Its household (issue 20 item 4): members, their caps, what each holds or used; null when not shared. */
    pool: p
      .json<{ members: string[]; caps: Record<string, number>; used: Record<string, number> }>()
      .nullable(),
    createdAt: p.datetime(),
  },
});
export class Purchase extends PurchaseSchema.class {}
PurchaseSchema.setClass(Purchase);
