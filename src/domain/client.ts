import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter } from './tenant-filter.ts';

const ClientSchema = defineEntity({
  name: 'Client',
  tableName: 'clients',
  filters: tenantFilter,
  properties: {
    tenantId: p.string().primary(),
    id: p.string().primary(),
    name: p.string(),
    email: p.string().nullable(),
  },
});
export class Client extends ClientSchema.class {}
ClientSchema.setClass(Client);
