import { defineEntity, p } from '@mikro-orm/core';
import { bucketTypes, type CommissionBasis, planKinds } from './enums.ts';
import { tenantFilter } from './tenant-filter.ts';

export interface CommissionSetting {
  basis: CommissionBasis;
  internalPrice?: number;
}

/**
 * Issue 20 (visit caps): at most `count` visits per `period` of the session's local
 * date, periods counted from the calendar (ISO weeks from Monday) or from the
 * purchase's start date. Over the cap the booking is refused (409) or booked
 * without a credit; up to `rollover.max` unused visits of the previous period carry over.
 */
export interface VisitCap {
  count: number;
  period: 'day' | 'week' | 'month';
  anchor: 'calendar' | 'purchase';
  mode: 'refuse' | 'no_credit';
  rollover?: { max: number };
}

const PlanSchema = defineEntity({
  name: 'Plan',
  tableName: 'plans',
  filters: tenantFilter,
  properties: {
    tenantId: p.string().primary(),
    id: p.string().primary(),
    name: p.string(),
    kind: p.enum(planKinds),
    /** Credits granted per purchase; null when unlimited. */
    credits: p.integer().nullable(),
    unlimited: p.boolean(),
    price: p.bigint('number'),
    /** 0 = never expires (B6). */
    daysToExpire: p.integer(),
    oneDay: p.boolean(),
    bucketType: p.enum(bucketTypes).nullable(),
    itemType: p.string().nullable(),
    /** Lower is used first by presets that order by priority. */
    priority: p.integer(),
    itemIds: p.array(),
    commission: p.json<CommissionSetting>(),
    integrations: p.json<Record<string, boolean>>(),
    /** Visits allowed per period (issue 20); null: uncapped. */
    cap: p.json<VisitCap>().nullable(),
    /** Issue 20: most days a purchase may be frozen in all; null: no limit. */
    maxFreezeDays: p.integer().nullable(),
    /** Issue 20: `credits.low` when remaining falls to this; null: never. */
    lowBalanceAt: p.integer().nullable(),
    /** Issue 20: `credits.expiring` this many days before expiry; null: never. */
    expiringNoticeDays: p.integer().nullable(),
  },
});
export class Plan extends PlanSchema.class {}
PlanSchema.setClass(Plan);
