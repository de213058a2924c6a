/**
 * Typed events plugins subscribe to (SPEC §6). A credit operation collects them in
 * its context; they are written to the outbox in the transaction that made the
 * change, and delivered after it commits. Payloads carry what a subscriber needs,
 * so plugins never read punchcard's tables.
 */
export interface EventMap {
  'purchase.created': {
    tenantId: string;
    purchaseId: string;
    clientId: string;
    planId: string;
    planName: string;
    planKind: string;
    itemIds: string[];
    /** Credits granted; null for an unlimited plan. */
    credits: number | null;
    unlimited: boolean;
    /** Minor units. */
    price: number;
    locationId: string;
    source: 'pos' | 'recurring';
    purchasedAt: string;
    expiresAt: string | null;
    /** The plan's free-form integration flags, e.g. `{ clubOs: true }`. */
    integrations: Record<string, unknown>;
  };
  'purchase.changed': {
    tenantId: string;
    purchaseId: string;
    change: 'hold' | 'resume' | 'expire' | 'void' | 'adjustment';
    status: string;
    reason: string | null;
  };
  'credit.changed': {
    tenantId: string;
    purchaseId: string;
    /** The ledger entry's kind. */
    kind: string;
    ledgerEntryId: string;
    reservationId: string | null;
    ticketId: string | null;
    /** The rule-set version the change was decided under (null for staff adjustments). */
    policyVersion: number | null;
    /** The purchase's balance after the change. */
    remaining: number;
  };
  'reservation.changed': {
    tenantId: string;
    reservationId: string;
    status: string;
    creditState: string;
    /** What happened: a booking, a check-in, a no-show, a cancellation (the client's or the studio's class cancel), staff moving its credit, or staff waiving a no-show. */
    change: 'booked' | 'checked_in' | 'no_show' | 'canceled' | 'reassigned' | 'waived';
    clientId: string;
    sessionId: string;
    locationId: string;
    startsAt: string;
    endsAt: string;
    itemId: string;
    /** The item's session bucket type: `personal_training` qualifies Club OS PT follow-ups. */
    bucketType: string;
    /** The item's integration flags, e.g. `{ clubOs: true }` (calendar events to Club OS). */
    itemIntegrations: Record<string, boolean>;
    purchaseId: string | null;
  };
  /**
   * A late cancel or no-show got its penalty (issue 20): the credit forfeited
   * (`late_cancel`, `no_show_forfeit`), a late cancel forgiven (`forgiven`), or staff
   * gave a forfeited credit back and cleared the fee (`waived`).
   */
  'reservation.penalty': {
    tenantId: string;
    reservationId: string;
    clientId: string;
    sessionId: string;
    purchaseId: string | null;
    outcome: 'late_cancel' | 'no_show_forfeit' | 'forgiven' | 'waived';
    /** Minor units for the host to charge (0: none); for `waived`, the fee cleared. */
    fee: number;
    reason: string;
  };
  /** Issue 20: a spending posting brought remaining to the plan's `lowBalanceAt` (once per crossing). */
  'credits.low': {
    tenantId: string;
    purchaseId: string;
    clientId: string;
    planId: string;
    remaining: number;
    threshold: number;
    /** The ledger kind of the posting that crossed it. */
    kind: string;
    reservationId: string | null;
    ticketId: string | null;
  };
  /** Issue 20: the purchase expires within the plan's `expiringNoticeDays` (once per expiry instant). */
  'credits.expiring': {
    tenantId: string;
    purchaseId: string;
    clientId: string;
    planId: string;
    expiresAt: string;
    /** Null for an unlimited purchase. */
    remaining: number | null;
    noticeDays: number;
  };
  /** Issue 20: staff froze a purchase; its expiry moved to `expiresAt`. */
  'purchase.frozen': {
    tenantId: string;
    purchaseId: string;
    clientId: string;
    freezeId: string;
    from: string;
    to: string;
    days: number;
    frozenDays: number;
    expiresAt: string | null;
    reason: string;
  };
  /** Issue 20: a freeze ended early (or was undone before it began); the expiry moved back. */
  'purchase.unfrozen': {
    tenantId: string;
    purchaseId: string;
    clientId: string;
    freezeId: string;
    /** The last frozen local date, null when the freeze was undone before it began. */
    to: string | null;
    days: number;
    frozenDays: number;
    expiresAt: string | null;
    reason: string | null;
  };
  'ticket.changed': { tenantId: string; ticketId: string; status: string };
  /** Staff set the household a purchase is shared with (issue 20 item 4): the members as they are now. */
  'purchase.members_changed': {
    tenantId: string;
    purchaseId: string;
    ownerId: string;
    members: { clientId: string; cap: number | null }[];
  };
  /** An admin moved credits of a purchase to another client's new purchase (issue 20 item 5). */
  'purchase.transferred': {
    tenantId: string;
    fromPurchaseId: string;
    toPurchaseId: string;
    fromClientId: string;
    toClientId: string;
    /** Credits moved; null when a whole unlimited purchase moved. */
    credits: number | null;
    reason: string;
  };
  /** Issue 20: a client joined a full session's waitlist (with the credits held for it, if the tenant holds them). */
  'waitlist.joined': WaitlistEventBase & { position: number };
  /** A spot opened and the client was booked: `reservationId` is the new reservation. */
  'waitlist.promoted': WaitlistEventBase & { reservationId: string };
  /** A spot opened but the client could not be booked (why in `reason`): they left the line. */
  'waitlist.skipped': WaitlistEventBase & { reason: string };
  /** The client left the waitlist; any held credit came back. */
  'waitlist.left': WaitlistEventBase;
  'policy.changed': { tenantId: string; version: number; hash: string; reason: string };
}
/** What every waitlist event says: whose entry, for which session, and the credits it held. */
export interface WaitlistEventBase {
  tenantId: string;
  entryId: string;
  sessionId: string;
  clientId: string;
  /** The purchase that held a credit for the entry (null when none was held). */
  purchaseId: string | null;
  /** Credits the entry held when the event happened (0 when none). */
  heldUnits: number;
}
export type EventName = keyof EventMap;
export type PunchcardEvent = { [K in EventName]: { name: K; payload: EventMap[K] } }[EventName];

/** What a subscriber learns besides the payload: delivery is at least once, so `id` deduplicates. */
export interface EventMeta {
  /** The outbox row's id: the same on every redelivery of this event. */
  id: string;
  occurredAt: string;
  /** 1 on the first delivery to this subscriber, then 2, 3, … */
  attempt: number;
}
export type EventHandler<K extends EventName> = (
  payload: EventMap[K],
  meta: EventMeta,
) => void | Promise<void>;
