import { defineEntity, p } from '@mikro-orm/core';
import { ticketStatuses } from './enums.ts';
import { tenantFilter } from './tenant-filter.ts';

/** A point-of-sale checkout. */
const TicketSchema = defineEntity({
  name: 'Ticket',
  tableName: 'tickets',
  filters: tenantFilter,
  properties: {
    tenantId: p.string().primary(),
    id: p.string().primary(),
    clientId: p.string(),
    locationId: p.string(),
    /** Processed by hand by staff: its lines settle their own credits (B15). */
    manual: p.boolean(),
    status: p.enum(ticketStatuses),
    policyVersion: p.integer().nullable(),
    /** Why the service voided it by itself (B8), if it did. */
    voidReason: p.string().nullable(),
    createdAt: p.datetime(),
    closedAt: p.datetime().nullable(),
  },
});
export class Ticket extends TicketSchema.class {}
TicketSchema.setClass(Ticket);
