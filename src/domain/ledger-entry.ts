import { defineEntity, p } from '@mikro-orm/core';
import { ledgerKinds } from './enums.ts';
import { tenantFilter } from './tenant-filter.ts';

/**
 * Append-only: never updated or deleted. Each entry carries the change it made to
 * every counter of its purchase, so a balance is the column sums of its entries.
 */
const LedgerEntrySchema = defineEntity({
  name: 'LedgerEntry',
  tableName: 'ledger_entries',
  filters: tenantFilter,
  properties: {
    tenantId: p.string().primary(),
    id: p.string().primary(),
    purchaseId: p.string(),
    /** Whom the credits moved for: a pool member who used them, else the purchase's owner (null before 0016). */
    clientId: p.string().nullable(),
    kind: p.enum(ledgerKinds),
    total: p.integer(),
    held: p.integer(),
    used: p.integer(),
    deducted: p.integer(),
    expired: p.integer(),
    reservationId: p.string().nullable(),
    ticketId: p.string().nullable(),
    /** The ticket line, for a product line's claim. */
    lineNo: p.integer().nullable(),
    actor: p.string(),
    reason: p.string().nullable(),
    /** Unique per tenant: the same operation can never be booked twice. */
    idempotencyKey: p.string(),
    policyVersion: p.integer().nullable(),
    occurredAt: p.datetime(),
  },
});
export class LedgerEntry extends LedgerEntrySchema.class {}
LedgerEntrySchema.setClass(LedgerEntry);
