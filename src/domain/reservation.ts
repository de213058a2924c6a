import { defineEntity, p } from '@mikro-orm/core';
import { channels, creditStates, reservationStatuses } from './enums.ts';
import { tenantFilter } from './tenant-filter.ts';

/** A client's place in a session, and the credit that pays for it. */
const ReservationSchema = defineEntity({
  name: 'Reservation',
  tableName: 'reservations',
  filters: tenantFilter,
  properties: {
    tenantId: p.string().primary(),
    id: p.string().primary(),
    clientId: p.string(),
    sessionId: p.string(),
    channel: p.enum(channels),
    status: p.enum(reservationStatuses),
    purchaseId: p.string().nullable(),
    /** Staff chose the purchase by hand (B5): auto-assignment leaves it alone. */
    manualPurchase: p.boolean(),
    creditState: p.enum(creditStates),
    /** Units the credit covers (B10); 0 when nothing pays. */
    coveredUnits: p.integer(),
    /** Each purchase's share when more than one pays (B10 across purchases), in assignment order. */
    shares: p.json<{ purchaseId: string; units: number }[]>().nullable(),
    /** Ledger postings made for it so far: makes each posting's idempotency key unique. */
    creditSeq: p.integer().default(0),
    /** Time-based triggers already applied, so each applies exactly once (B12). */
    startedApplied: p.boolean(),
    endedApplied: p.boolean(),
    /** The late cancel's or no-show's penalty (issue 20): kind, fee for the host to charge, waive. */
    penalty: p.json<unknown>().nullable(),
    policyVersion: p.integer().nullable(),
    explain: p.json<unknown>().nullable(),
    createdAt: p.datetime(),
  },
});
export class Reservation extends ReservationSchema.class {}
ReservationSchema.setClass(Reservation);
