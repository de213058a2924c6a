import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter } from './tenant-filter.ts';

/** An immutable version of a tenant's rule set; a change is always a new row. */
const RulesetVersionSchema = defineEntity({
  name: 'RulesetVersion',
  tableName: 'ruleset_versions',
  filters: tenantFilter,
  properties: {
    tenantId: p.string().primary(),
    version: p.integer().primary(),
    hash: p.string(),
    ruleset: p.json<Record<string, unknown>>(),
    actor: p.string(),
    note: p.string().nullable(),
    createdAt: p.datetime(),
  },
});
export class RulesetVersion extends RulesetVersionSchema.class {}
RulesetVersionSchema.setClass(RulesetVersion);
