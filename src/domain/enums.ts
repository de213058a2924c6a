/** The closed vocabularies of SPEC §1, as const tuples so schemas and types share them. */
export const itemKinds = ['class', 'appointment', 'event', 'product'] as const;
export const bucketTypes = ['standard', 'personal_training'] as const;
export const planKinds = ['package', 'membership', 'session_bucket'] as const;
export const purchaseStatuses = ['active', 'on_hold', 'expired', 'voided'] as const;
export const purchaseSources = ['pos', 'recurring'] as const;
export const channels = ['in_store', 'online'] as const;
export const reservationStatuses = ['booked', 'checked_in', 'no_show', 'canceled'] as const;
export const creditStates = ['none', 'assigned', 'held', 'used', 'released'] as const;
export const ticketStatuses = ['open', 'saved', 'closed', 'voided', 'refunded'] as const;
export const commissionBases = ['retail', 'unit_price', 'internal_price'] as const;
export const roles = ['admin', 'staff'] as const;
export const ledgerKinds = [
  'grant',
  'addition',
  'deduction',
  'hold',
  'use',
  'release',
  'refund',
  'expiry',
  'void',
  'waive',
  // Studio policies (issue 20): late-cancel and no-show outcomes, forgiveness, transfers.
  'late_cancel',
  'no_show_forfeit',
  'forgiven',
  'forfeit_waive',
  'transfer_out',
  'transfer_in',
] as const;

/** The item type whose session-bucket plans grant credits (B7). */
export const schedulerBucketItemType = 'Scheduler_Bucket';

export type ItemKind = (typeof itemKinds)[number];
export type BucketType = (typeof bucketTypes)[number];
export type PlanKind = (typeof planKinds)[number];
export type PurchaseStatus = (typeof purchaseStatuses)[number];
export type PurchaseSource = (typeof purchaseSources)[number];
export type Channel = (typeof channels)[number];
export type ReservationStatus = (typeof reservationStatuses)[number];
export type CreditState = (typeof creditStates)[number];
export type TicketStatus = (typeof ticketStatuses)[number];
export type CommissionBasis = (typeof commissionBases)[number];
export type Role = (typeof roles)[number];
export type LedgerKind = (typeof ledgerKinds)[number];
