import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter } from './tenant-filter.ts';

const LocationSchema = defineEntity({
  name: 'Location',
  tableName: 'locations',
  filters: tenantFilter,
  properties: {
    tenantId: p.string().primary(),
    id: p.string().primary(),
    name: p.string(),
    /** IANA zone; validity of purchases bought here is computed in it (B6). */
    timeZone: p.string(),
  },
});
export class Location extends LocationSchema.class {}
LocationSchema.setClass(Location);
