import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter } from './tenant-filter.ts';

/** A tenant's item type; items and plans name one by id in `itemType`. */
const ItemTypeSchema = defineEntity({
  name: 'ItemType',
  tableName: 'item_types',
  filters: tenantFilter,
  properties: {
    tenantId: p.string().primary(),
    id: p.string().primary(),
    name: p.string(),
    /** B7: a session-bucket plan of this type grants its sessions. */
    schedulerBucket: p.boolean(),
  },
});
export class ItemType extends ItemTypeSchema.class {}
ItemTypeSchema.setClass(ItemType);
