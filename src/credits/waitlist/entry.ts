import type { Row } from '../../db/sql.ts';
import type { CreditState } from '../../domain/enums.ts';
import type { WaitlistEventBase } from '../../events.ts';
import type { Share } from '../usage.ts';

export const waitlistStatuses = ['waiting', 'promoted', 'skipped', 'left'] as const;
export type WaitlistStatus = (typeof waitlistStatuses)[number];

/**
 * One client's place in a full session's line (issue 20). It is a claim like a
 * reservation: while it waits it may hold credits (`held`, with its shares), and
 * the same state machine gives them back (`released`).
 */
export interface WaitlistEntrySnap {
  id: string;
  sessionId: string;
  clientId: string;
  status: WaitlistStatus;
  joinedAt: Date;
  endedAt: Date | null;
  purchaseId: string | null;
  creditState: CreditState;
  coveredUnits: number;
  shares?: Share[];
  /** Postings made for it so far: part of each posting's idempotency key. */
  creditSeq: number;
  /** The reservation its promotion booked. */
  reservationId: string | null;
  /** Why it was skipped, or who ended it. */
  reason: string | null;
}

export const entryColumns = `w.id, w.session_id, w.client_id, w.status, w.joined_at, w.ended_at, w.purchase_id,
  w.credit_state, w.covered_units, w.shares, w.credit_seq, w.reservation_id, w.reason`;

const asDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

export const entryOf = (r: Row): WaitlistEntrySnap => ({
  id: String(r.id),
  sessionId: String(r.session_id),
  clientId: String(r.client_id),
  status: r.status as WaitlistStatus,
  joinedAt: asDate(r.joined_at),
  endedAt: r.ended_at == null ? null : asDate(r.ended_at),
  purchaseId: r.purchase_id == null ? null : String(r.purchase_id),
  creditState: r.credit_state as CreditState,
  coveredUnits: Number(r.covered_units),
  ...(Array.isArray(r.shares) ? { shares: r.shares as Share[] } : {}),
  creditSeq: Number(r.credit_seq),
  reservationId: r.reservation_id == null ? null : String(r.reservation_id),
  reason: r.reason == null ? null : String(r.reason),
});

/** The payload every waitlist event starts with. */
export const eventBase = (tenantId: string, e: WaitlistEntrySnap): WaitlistEventBase => ({
  tenantId,
  entryId: e.id,
  sessionId: e.sessionId,
  clientId: e.clientId,
  purchaseId: e.purchaseId,
  heldUnits: e.creditState === 'held' ? e.coveredUnits : 0,
});
