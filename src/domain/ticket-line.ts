import { defineEntity, p } from '@mikro-orm/core';
import { creditStates } from './enums.ts';
import { tenantFilter } from './tenant-filter.ts';

/**
 * One line of a ticket. A line for a reservation follows that reservation's credit;
 * a plain product line carries its own credit state.
 */
const TicketLineSchema = defineEntity({
  name: 'TicketLine',
  tableName: 'ticket_lines',
  filters: tenantFilter,
  properties: {
    tenantId: p.string().primary(),
    ticketId: p.string().primary(),
    lineNo: p.integer().primary(),
    itemId: p.string(),
    reservationId: p.string().nullable(),
    /** Unit price that counts (B11): the line's override, else the session's, else the item's. */
    unitPrice: p.bigint('number'),
    units: p.integer(),
    coveredUnits: p.integer(),
    /** Each purchase's share when more than one pays (B10 across purchases), in assignment order. */
    shares: p.json<{ purchaseId: string; units: number }[]>().nullable(),
    purchaseId: p.string().nullable(),
    creditState: p.enum(creditStates),
    /** Ledger postings made for it so far: makes each posting's idempotency key unique. */
    creditSeq: p.integer().default(0),
  },
});
export class TicketLine extends TicketLineSchema.class {}
TicketLineSchema.setClass(TicketLine);
