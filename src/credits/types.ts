import type {
  BucketType,
  Channel,
  CreditState,
  ItemKind,
  LedgerKind,
  PlanKind,
  PurchaseSource,
  PurchaseStatus,
  ReservationStatus,
  TicketStatus,
} from '../domain/enums.ts';
import type { CommissionSetting, VisitCap } from '../domain/plan.ts';
import type { PunchcardEvent } from '../events.ts';
import type { CompiledPolicy, Trigger } from '../policy/index.ts';
import type { AssignmentTrace } from './assign.ts';
import type { Counters } from './balance.ts';
import type { FreezeRecord } from './decide-freeze.ts';
import type { ForgivenCancel, PenaltyRecord } from './penalty.ts';
import type { Share, UsageEvent } from './usage.ts';
import type { CapVisit } from './visit-cap.ts';
import type { WaitlistEntrySnap } from './waitlist/entry.ts';

export type { Share } from './usage.ts';

/**
 * The plain data every decision reads: no entity instances, no ORM. Loaded with a
 * few set-based reads for one client or a whole batch of sessions alike.
 */
export interface PlanSnap {
  id: string;
  name: string;
  kind: PlanKind;
  credits: number | null;
  unlimited: boolean;
  price: number;
  daysToExpire: number;
  oneDay: boolean;
  bucketType: BucketType | null;
  itemType: string | null;
  priority: number;
  itemIds: string[];
  commission: CommissionSetting;
  /** Visits allowed per period (issue 20); absent or null: uncapped. */
  cap?: VisitCap | null;
  /** Issue 20: most days a purchase may be frozen in all (null: no limit). */
  maxFreezeDays?: number | null;
  /** Issue 20: `credits.low` when a spending posting brings remaining down to this (null: never). */
  lowBalanceAt?: number | null;
  /** Issue 20: `credits.expiring` this many days before expiry (null: never). */
  expiringNoticeDays?: number | null;
}

/** A freeze as decisions see it: the instants it covers (issue 20 item 3). */
export interface FreezeWindow {
  id: string;
  startsAt: Date;
  endsAt: Date;
  /** Its last frozen local date (yyyy-mm-dd), for explanations. */
  to: string;
}

export interface PurchaseSnap {
  id: string;
  clientId: string;
  planId: string;
  locationId: string;
  purchasedAt: Date;
  expiresAt: Date | null;
  status: PurchaseStatus;
  source: PurchaseSource;
  unlimited: boolean;
  total: number;
  held: number;
  used: number;
  deducted: number;
  expired: number;
  remaining: number;
  plan: PlanSnap;
  /** Capped plans only: the live visits it pays for (visit-cap.ts). */
  capVisits?: CapVisit[];
  /** Capped plans only: the zone of the location it was sold at (its periods start on its local start date). */
  capZone?: string;
  /** Its freezes that count (an undone one is left out), in date order. */
  freezes?: FreezeWindow[];
  /** Days its freezes added to the expiry. */
  frozenDays?: number;
  /** The household it is shared with (issue 20 item 4); absent or null when it is the owner's alone. */
  pool?: Pool | null;
}

/**
 * A purchase's household: the members who may be paid from it besides its owner, an
 * optional cap on the credits each may have held or used at once, and what each
 * holds or has used now (a cache of the ledger entries naming them, like the counters).
 */
export interface Pool {
  members: string[];
  caps: Record<string, number>;
  used: Record<string, number>;
}

export interface ItemSnap {
  id: string;
  kind: ItemKind;
  price: number;
  itemType: string | null;
  bucketType: BucketType;
  /** The item's integration flags (read for the events a reservation sends). */
  integrations?: Record<string, boolean>;
}

export interface SessionSnap {
  id: string;
  itemId: string;
  locationId: string;
  startsAt: Date;
  endsAt: Date;
  price: number | null;
  units: number;
  /** The zone of the session's location: visit caps count its local date. */
  timeZone?: string;
  /** Set when the studio canceled the session: it can no longer be booked. */
  canceledAt?: Date | null;
  /** Seats (issue 20): absent or null is unlimited. */
  capacity?: number | null;
}

export interface TicketSnap {
  id: string;
  status: TicketStatus;
  manual: boolean;
  lineCount: number;
}

/** A ticket as the POS shows it and the commit writes it. */
export interface TicketRow {
  id: string;
  clientId: string;
  locationId: string;
  manual: boolean;
  status: TicketStatus;
  policyVersion: number | null;
  voidReason: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

/** Whatever holds a credit: a reservation or a product line on a ticket. */
export interface ClaimSnap {
  purchaseId: string | null;
  creditState: CreditState;
  coveredUnits: number;
  /**
   * Each purchase's share when more than one pays (B10 across purchases), in the
   * assignment order; the first is `purchaseId`. Absent: `purchaseId` covers it all.
   */
  shares?: Share[];
  /** Postings made for it so far: part of each posting's idempotency key. */
  creditSeq: number;
}

export interface ReservationSnap extends ClaimSnap {
  id: string;
  clientId: string;
  sessionId: string;
  channel: Channel;
  status: ReservationStatus;
  manualPurchase: boolean;
  startedApplied: boolean;
  endedApplied: boolean;
  createdAt: Date;
  session: SessionSnap;
  item: ItemSnap;
  /** The latest ticket it is on, if any. */
  ticket: TicketSnap | null;
  /** Checked out on a closed manual ticket: that ticket settles it (B15). */
  checkedOutManually: boolean;
  /** The triggers it has seen (read only for simulation). */
  history?: { trigger: Trigger; at: Date }[];
  /** Its late cancel's or no-show's penalty (issue 20), if any. */
  penalty?: PenaltyRecord | null;
}

export interface LineSnap extends ClaimSnap {
  ticketId: string;
  lineNo: number;
  item: ItemSnap;
  reservationId: string | null;
  unitPrice: number;
  units: number;
}

/** One step of a reservation's explanation: a trigger and what it did. */
export interface UsageStep {
  trigger: Trigger;
  /** The state machine's event, or the late-cancel and no-show pack's `forfeit` / `forgive`. */
  event: UsageEvent | 'forfeit' | 'forgive';
  rule: string | null;
  /** Every rule that matched, highest priority first (absent for sweep steps). */
  matched?: string[];
  reason: string;
  state: string;
  at: string;
}

export interface ReservationExplain {
  assignment: Omit<AssignmentTrace, 'winner'> | null;
  usage: UsageStep[];
  policyVersion: number;
  policyHash: string;
}

/** A ledger entry to write, with every counter's change and the balance it leaves. */
export interface Posting {
  purchaseId: string;
  /** Whom the credits moved for: the claim's client, else the purchase's owner. */
  clientId: string;
  kind: LedgerKind;
  delta: Counters;
  /** Unique per tenant: posting the same operation twice fails the transaction. */
  key: string;
  reservationId: string | null;
  ticketId: string | null;
  lineNo: number | null;
  actor: string;
  reason: string | null;
  policyVersion: number | null;
  at: Date;
  remainingAfter: number;
  /** The purchase's `used` after it: the X of a label's `#X` for a use (B20). */
  usedAfter: number;
}

export interface ReservationChange {
  reservation: ReservationSnap;
  /** A new reservation: inserted rather than updated. */
  insert: boolean;
  /** Replaces the explanation's assignment part when set. */
  assignment?: ReservationExplain['assignment'];
  /** Appended to the explanation's usage steps. */
  steps: UsageStep[];
  /** Its penalty record changed (issue 20): written as the reservation now holds it. */
  penaltyChanged?: boolean;
}

/** An event, or a credit.changed to be completed with its ledger entry's id at commit. */
export type EventIntent = PunchcardEvent | { credit: Posting };

/** Everything one operation decided; ledger.ts commits it in one statement. */
export interface ChangeSet {
  /** The policy version that decided it: written with every reservation it touches. */
  policy: { version: number; hash: string };
  postings: Posting[];
  /** Purchases whose counters or status changed (the working copies hold the new values). */
  purchases: Map<string, PurchaseSnap>;
  /** Of those, the ones sold by this operation: inserted rather than updated. */
  newPurchases: Set<string>;
  reservations: Map<string, ReservationChange>;
  lines: Map<string, LineSnap>;
  /** Sessions to sweep again: a purchase recorded late may pay for them (B16). */
  resweep: Set<string>;
  /** Tickets opened (inserted) or moved (status, void reason, closing time updated). */
  tickets: Map<string, { ticket: TicketRow; insert: boolean }>;
  /** Keys (`ticket:line`) of the lines in `lines` that are new: inserted whole. */
  newLines: Set<string>;
  /** Sessions this sweep batch has swept (their time triggers all decided). */
  swept: Set<string>;
  /** The sweep's: usage steps stored by reference, not written into each explanation (usage-dictionary.ts). */
  stepsByReference?: boolean;
  /** Sessions the studio canceled (issue 17): marked with the commit's instant unless already marked. */
  canceledSessions?: Set<string>;
  /** Freezes made or ended (issue 20): upserted whole. */
  freezes?: FreezeRecord[];
  /** Waitlist entries joined (inserted) or moved (issue 20): written by the same statement. */
  waitlist?: Map<string, { entry: WaitlistEntrySnap; insert: boolean }>;
  events: EventIntent[];
}

/**
 * What decisions work on: the policy, the instant, and working copies of the
 * snapshot that each decision updates in memory, so the next one sees its effect.
 */
export interface Work {
  tenantId: string;
  /** The client whose locking read this work is on (absent for batches): a ticket line's client. */
  clientId?: string;
  policy: CompiledPolicy;
  version: number;
  hash: string;
  actor: string;
  now: Date;
  /** Keep every matched rule in usage steps (requests); the sweep keeps the deciding one only. */
  explainAll: boolean;
  purchases: Map<string, PurchaseSnap>;
  /** Reservations read so far: one working copy each, so every decision sees the last. */
  reservations: Map<string, ReservationSnap>;
  /** The client's forgiven late cancels near now (issue 20), for the forgiveness allowance. */
  forgiven?: ForgivenCancel[];
  cs: ChangeSet;
}

/** What one locking read returns for a client's operation (credits/read.ts). */
export interface ClientSnapshot {
  clientId: string;
  /** The tenant's active policy version, for the process's policy cache. */
  policyVersion: number;
  /** The client's live purchases and those the request names, in id order. */
  purchases: Map<string, PurchaseSnap>;
  /** Reservations with a time trigger due, and those the request names, in id order. */
  reservations: Map<string, ReservationSnap>;
  /** For labels (B20): credits of the purchase used through each named, used reservation's latest use. */
  usedThrough: Map<string, number>;
  /** The stored explanation of each reservation the request names. */
  explains: Map<string, ReservationExplain>;
  /** The client's forgiven late cancels of sessions near now (issue 20). */
  forgiven?: ForgivenCancel[];
  /** The ticket the request names (locked), with its lines in line order. */
  ticket: { ticket: TicketRow; lines: LineSnap[] } | null;
  booking: {
    session: { session: SessionSnap; item: ItemSnap } | null;
    /** The client's live reservation of that session, if any. */
    live: string | null;
    idTaken: boolean;
    /** Seats taken, read under the session's seat lock (credits/seats.ts): only for a session with a capacity. */
    taken?: number;
  } | null;
}
