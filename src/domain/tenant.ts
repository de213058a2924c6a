import { defineEntity, p } from '@mikro-orm/core';

/** One business. Not tenant-filtered: it is the tenant. */
const TenantSchema = defineEntity({
  name: 'Tenant',
  tableName: 'tenants',
  properties: {
    id: p.string().primary(),
    name: p.string(),
    /** The rule-set version in force; versions live in `ruleset_versions`. */
    activeVersion: p.integer(),
    createdAt: p.datetime(),
  },
});
export class Tenant extends TenantSchema.class {}
TenantSchema.setClass(Tenant);
