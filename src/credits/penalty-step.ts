import type { Trigger } from '../policy/index.ts';
import { post, touchReservation } from './changeset.ts';
import { applyMove, assignReservation, planFor } from './decide.ts';
import type { PenaltyFact, PenaltyKind, PenaltyRecord } from './penalty.ts';
import type { ReservationSnap, Work } from './types.ts';
import type { ClaimTransition } from './usage.ts';

/**
 * The rule set's `forfeit` and `forgive` (issue 20 item 2) on a reservation: the
 * credit moves as a use or a release would, under the pack's own ledger kinds, and
 * the reservation keeps the penalty — its kind and the fee the host charges.
 */

const hoursText = (h: number) => `${Math.round(h * 10) / 10} h`;
const periodWord = { week: 'this week', month: 'this month' } as const;

/** What happened, in words: the explanation's reason, the ledger entries' and the event's. */
function describe(work: Work, r: ReservationSnap, kind: PenaltyKind, fact: PenaltyFact, at: Date): string {
  const hours = (r.session.startsAt.getTime() - at.getTime()) / 3_600_000;
  const late = work.policy.settings.lateCancel;
  const what =
    kind === 'no_show_forfeit'
      ? 'no-show'
      : `late cancel ${hoursText(hours)} before the start${late ? ` (window ${hoursText(late.windowHours)})` : ''}`;
  if (kind === 'forgiven') {
    const f = work.policy.settings.forgiveness;
    return `${what}: forgiven ${fact.forgiven + 1} of ${f?.count ?? 0} ${periodWord[f?.period ?? 'month']}, the credit is returned`;
  }
  return `${what}: credit forfeited${fact.fee > 0 ? `, fee ${fact.fee} recorded for the host to charge` : ''}`;
}

/** Moves the claim with the pack's ledger kind in place of the state machine's. */
function moveAs(
  work: Work,
  r: ReservationSnap,
  next: ClaimTransition,
  kind: PenaltyKind,
  reason: string,
  at: Date,
  ticketId: string | null,
): number {
  if (next.kind !== 'move') return 0;
  const postings = next.postings.map((p) => ({ ...p, kind }));
  applyMove(work, r, { reservationId: r.id, ticketId, lineNo: null }, { ...next, postings }, reason, at);
  return postings.length;
}

/** `forfeit` or `forgive` at a trigger: returns the reason the usage step shows. */
export function penaltyStep(
  work: Work,
  r: ReservationSnap,
  trigger: Trigger,
  at: Date,
  type: 'forfeit' | 'forgive',
  rule: string | null,
  fact: PenaltyFact,
  ticketId: string | null,
): string {
  const by = rule ? ` (rule '${rule}')` : '';
  if (type === 'forgive') {
    if (trigger !== 'canceled') return `'forgive' applies to a cancel only: nothing changes${by}`;
    const reason = describe(work, r, 'forgiven', fact, at) + by;
    const purchase = r.purchaseId ? work.purchases.get(r.purchaseId) : undefined;
    const moved = moveAs(
      work,
      r,
      planFor(work, r, 'release', r.coveredUnits),
      'forgiven',
      reason,
      at,
      ticketId,
    );
    // Nothing was taken yet (gymGO assigns only): the ledger still shows the outcome.
    if (moved === 0 && purchase) {
      r.creditSeq += 1;
      post(work, purchase, {
        kind: 'forgiven',
        delta: {},
        key: `r:${r.id}:${r.creditSeq}`,
        reason,
        at,
        reservationId: r.id,
        ticketId,
      });
    }
    work.forgiven = [...(work.forgiven ?? []), { reservationId: r.id, startsAt: r.session.startsAt }];
    record(work, r, { kind: 'forgiven', fee: 0, at: at.toISOString(), rule, reason });
    return reason;
  }
  const kind: PenaltyKind =
    fact.window === 'late_cancel' || (fact.window === null && trigger === 'canceled')
      ? 'late_cancel'
      : 'no_show_forfeit';
  const reason = describe(work, r, kind, fact, at) + by;
  let next = planFor(work, r, 'use', r.session.units);
  if (next.kind === 'assign-first') {
    const { purchase } = assignReservation(work, r, 'auto');
    next = purchase ? planFor(work, r, 'use', r.session.units) : { kind: 'none' };
  }
  moveAs(work, r, next, kind, reason, at, ticketId);
  record(work, r, { kind, fee: fact.fee, at: at.toISOString(), rule, reason });
  return reason;
}

/** The reservation keeps its penalty; the outbox gets a `reservation.penalty` event. */
function record(work: Work, r: ReservationSnap, penalty: PenaltyRecord): void {
  r.penalty = penalty;
  touchReservation(work, r).penaltyChanged = true;
  work.cs.events.push(penaltyEvent(work, r, penalty.kind, penalty.fee, penalty.reason));
}

export function penaltyEvent(
  work: Work,
  r: ReservationSnap,
  outcome: PenaltyKind | 'waived',
  fee: number,
  reason: string,
) {
  return {
    name: 'reservation.penalty' as const,
    payload: {
      tenantId: work.tenantId,
      reservationId: r.id,
      clientId: r.clientId,
      sessionId: r.sessionId,
      purchaseId: r.purchaseId,
      outcome,
      fee,
      reason,
    },
  };
}
