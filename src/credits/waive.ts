import { conflict, PunchcardError } from '../errors.ts';
import type { Delta } from './balance.ts';
import { post, touchReservation } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { planFor } from './decide.ts';
import { forfeitStands } from './penalty.ts';
import { penaltyEvent } from './penalty-step.ts';
import type { ReservedView } from './present.ts';
import { finish, reservationWork } from './reservation-status.ts';
import type { ReservationSnap, Work } from './types.ts';

/**
 * Staff give back the credit a counted no-show used (seed 003's "fine grain
 * control"): a `waive` entry of its own in the ledger, the reason in the entry and
 * in the explanation. The reservation stays a no-show; its credit is released, which
 * is final, so no later trigger counts it again.
 */
export function decideWaive(work: Work, r: ReservationSnap, reason: string): void {
  if (forfeitStands(r)) {
    waiveForfeit(work, r, reason);
    return;
  }
  if (r.status !== 'no_show') throw conflict(`only a no-show can be waived; this reservation is ${r.status}`);
  if (r.creditState !== 'used' || !r.purchaseId)
    throw conflict(`this no-show has no credit used (${r.creditState}): nothing to waive`);
  // The state machine's release of each share's used credits: back to remaining, or to
  // expired or deducted when that purchase can no longer be spent.
  const next = planFor(work, r, 'release', r.coveredUnits);
  if (next.kind !== 'move' || next.postings.length === 0) throw conflict('nothing to waive');
  const text = `no-show waived by ${work.actor}: ${reason}`;
  giveBack(work, r, next.postings, 'waive', text);
  touchReservation(work, r).steps.push({
    trigger: 'no_show',
    event: 'release',
    rule: null,
    reason: text,
    state: r.creditState,
    at: work.now.toISOString(),
  });
}

/**
 * Staff give back a forfeited credit (issue 20: a late cancel or no-show the pack
 * forfeited) and clear its fee: `forfeit_waive` entries, the penalty marked waived.
 * A forfeit that took no credit (none was left) has only its fee to clear.
 */
function waiveForfeit(work: Work, r: ReservationSnap, reason: string): void {
  const penalty = r.penalty;
  if (!penalty) return;
  const what = penalty.kind === 'late_cancel' ? 'late cancel' : 'no-show';
  const text = `${what} waived by ${work.actor}: ${reason}`;
  const next = r.creditState === 'used' ? planFor(work, r, 'release', r.coveredUnits) : null;
  if (next?.kind === 'move') giveBack(work, r, next.postings, 'forfeit_waive', text);
  r.penalty = {
    ...penalty,
    fee: 0,
    waived: { by: work.actor, reason, at: work.now.toISOString(), fee: penalty.fee },
  };
  const change = touchReservation(work, r);
  change.penaltyChanged = true;
  change.steps.push({
    trigger: r.status === 'canceled' ? 'canceled' : 'no_show',
    event: 'release',
    rule: null,
    reason: text,
    state: r.creditState,
    at: work.now.toISOString(),
  });
  work.cs.events.push(penaltyEvent(work, r, 'waived', penalty.fee, text));
}

/** POST /v1/reservations/{id}/waive: read (locked) → decideWaive → commit → the reservation from memory. */
export async function waive(ctx: CreditContext, id: string, reason: string): Promise<ReservedView> {
  const { work, snapshot, reservation: r } = await reservationWork(ctx, id);
  if (ctx.actor !== 'admin' && work.policy.settings.staffMayWaive === false)
    throw new PunchcardError('forbidden', "this tenant's settings let only admins waive a no-show");
  decideWaive(work, r, reason);
  return finish(ctx, work, snapshot, r, 'waived');
}

/** Posts the release of a waived reservation's used credits under the waive's own kind. */
function giveBack(
  work: Work,
  r: ReservationSnap,
  postings: { purchaseId: string; delta: Delta }[],
  kind: 'waive' | 'forfeit_waive',
  text: string,
): void {
  for (const p of postings) {
    const purchase = work.purchases.get(p.purchaseId);
    if (!purchase) continue;
    r.creditSeq += 1;
    post(work, purchase, {
      kind,
      delta: p.delta,
      key: `r:${r.id}:${r.creditSeq}`,
      reason: text,
      at: work.now,
      reservationId: r.id,
      policyVersion: null,
    });
  }
  r.creditState = 'released';
  r.coveredUnits = 0;
}
