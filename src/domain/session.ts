import { defineEntity, p } from '@mikro-orm/core';
import { tenantFilter } from './tenant-filter.ts';

/** One scheduled occurrence of an item. */
const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  filters: tenantFilter,
  properties: {
    tenantId: p.string().primary(),
    id: p.string().primary(),
    itemId: p.string(),
    locationId: p.string(),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    /** Overrides the item's price when set (B11). */
    price: p.bigint('number').nullable(),
    /** Nights of a multi-day appointment (B10). */
    units: p.integer(),
    /** When the after-session sweep finished this session (B15); null until then. */
    sweptAt: p.datetime().nullable(),
    /** Who runs the session, as the host names staff (optional). */
    staffId: p.string().nullable(),
    /** When the studio canceled the session (issue 17): no booking after that. */
    canceledAt: p.datetime().nullable(),
    /** Seats (issue 20): a full session keeps a waitlist; null is unlimited. Set at create only. */
    capacity: p.integer().nullable(),
  },
});
export class Session extends SessionSchema.class {}
SessionSchema.setClass(Session);
