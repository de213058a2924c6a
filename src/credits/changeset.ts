import type { LedgerKind } from '../domain/enums.ts';
import type { PunchcardEvent } from '../events.ts';
import type { CompiledPolicy, Trigger } from '../policy/index.ts';
import type { AssignmentTrace } from './assign.ts';
import { applyDelta, type Counters, type Delta } from './balance.ts';
import type { LineSnap, PurchaseSnap, ReservationSnap } from './snapshot.ts';
import type { UsageEvent } from './usage.ts';

/** One step of a reservation's explanation: a trigger and what it did. */
export interface UsageStep {
  trigger: Trigger;
  event: UsageEvent;
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
}

export interface ReservationChange {
  reservation: ReservationSnap;
  /** A new reservation: inserted rather than updated. */
  insert: boolean;
  /** Replaces the explanation's assignment part when set. */
  assignment?: ReservationExplain['assignment'];
  /** Appended to the explanation's usage steps. */
  steps: UsageStep[];
}

/** An event, or a credit.changed to be completed with its ledger entry's id at commit. */
export type EventIntent = PunchcardEvent | { credit: Posting };

/** Everything one operation decided; ledger.ts commits it in one statement. */
export interface ChangeSet {
  postings: Posting[];
  /** Purchases whose counters or status changed (the working copies hold the new values). */
  purchases: Map<string, PurchaseSnap>;
  reservations: Map<string, ReservationChange>;
  lines: Map<string, LineSnap>;
  /** Sessions to sweep again: a purchase recorded late may pay for them (B16). */
  resweep: Set<string>;
  events: EventIntent[];
}

/**
 * What decisions work on: the policy, the instant, and working copies of the
 * snapshot that each decision updates in memory, so the next one sees its effect.
 */
export interface Work {
  tenantId: string;
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
  cs: ChangeSet;
}

export const emptyChangeSet = (): ChangeSet => ({
  postings: [],
  purchases: new Map(),
  reservations: new Map(),
  lines: new Map(),
  resweep: new Set(),
  events: [],
});

const full = (d: Delta): Counters => ({
  total: d.total ?? 0,
  held: d.held ?? 0,
  used: d.used ?? 0,
  deducted: d.deducted ?? 0,
  expired: d.expired ?? 0,
});

/**
 * Books one entry against a working purchase: the counters move (applyDelta
 * refuses any move the entry's kind may not make, or a negative balance), the
 * posting and its credit.changed event join the change set.
 */
export function post(
  work: Work,
  purchase: PurchaseSnap,
  entry: {
    kind: LedgerKind;
    delta: Delta;
    key: string;
    reason: string | null;
    at: Date;
    reservationId?: string | null;
    ticketId?: string | null;
    lineNo?: number | null;
    /** Staff adjustments are not decided by the rule set. */
    policyVersion?: number | null;
  },
): Posting {
  const next = applyDelta(purchase, entry.kind, entry.delta, purchase.unlimited);
  Object.assign(purchase, next);
  const posting: Posting = {
    purchaseId: purchase.id,
    kind: entry.kind,
    delta: full(entry.delta),
    key: entry.key,
    reservationId: entry.reservationId ?? null,
    ticketId: entry.ticketId ?? null,
    lineNo: entry.lineNo ?? null,
    actor: work.actor,
    reason: entry.reason,
    policyVersion: entry.policyVersion === undefined ? work.version : entry.policyVersion,
    at: entry.at,
    remainingAfter: next.remaining,
  };
  work.cs.postings.push(posting);
  work.cs.purchases.set(purchase.id, purchase);
  work.cs.events.push({ credit: posting });
  return posting;
}

/** Marks a purchase's status (or counters) as changed. */
export const touchPurchase = (work: Work, purchase: PurchaseSnap) =>
  work.cs.purchases.set(purchase.id, purchase);

/** The change record of a reservation, created on first touch. */
export function touchReservation(work: Work, r: ReservationSnap, insert = false): ReservationChange {
  let change = work.cs.reservations.get(r.id);
  if (!change) {
    change = { reservation: r, insert, steps: [] };
    work.cs.reservations.set(r.id, change);
  }
  return change;
}

export const touchLine = (work: Work, line: LineSnap) =>
  work.cs.lines.set(`${line.ticketId}:${line.lineNo}`, line);
