import { defineEntity, p } from '@mikro-orm/core';
import { bucketTypes, itemKinds } from './enums.ts';
import { tenantFilter } from './tenant-filter.ts';

const ItemSchema = defineEntity({
  name: 'Item',
  tableName: 'items',
  filters: tenantFilter,
  properties: {
    tenantId: p.string().primary(),
    id: p.string().primary(),
    name: p.string(),
    kind: p.enum(itemKinds),
    /** Retail price in minor units. */
    price: p.bigint('number'),
    itemType: p.string().nullable(),
    bucketType: p.enum(bucketTypes),
    /** Per-item integration flags, e.g. `{ clubOs: true }`. */
    integrations: p.json<Record<string, boolean>>(),
  },
});
export class Item extends ItemSchema.class {}
ItemSchema.setClass(Item);
