import type { CreditState } from '../domain/enums.ts';
import { commissionBase } from './commission.ts';
import { creditLabel } from './labels.ts';
import type { LineSnap, PurchaseSnap, ReservationExplain, ReservationSnap } from './types.ts';
import { sharesOf } from './usage.ts';

/**
 * What a claim shows the POS: its label (B20), amount due (B10), commission base
 * (B21) — from memory: the operation's decision holds the claims and purchases as
 * they now stand, and the credits used through each claim's latest use. Nothing is
 * read.
 */

/** The label of a reservation or ticket line paid by a credit. A no-show keeps its purchase's label. */
function claimLabel(
  claim: { creditState: CreditState; noShow: boolean },
  purchase: PurchaseSnap | null,
  threshold: number,
  usedThrough: number,
): string | null {
  if (!purchase) return null;
  const state = claim.noShow && claim.creditState === 'released' ? 'assigned' : claim.creditState;
  return creditLabel({
    kind: purchase.plan.kind,
    state,
    available: purchase.remaining,
    unlimited: purchase.unlimited,
    usedSoFar: state === 'used' && (purchase.unlimited || purchase.remaining > threshold) ? usedThrough : 0,
    threshold,
  });
}

/**
 * The paying purchase's counts where the seeds show the package icon: credits used,
 * remaining and the bucket's total as the operation leaves them (issue 17). An
 * unlimited purchase has no remaining or total to show.
 */
export const countsOf = (p: PurchaseSnap | null) =>
  p
    ? {
        used: p.used,
        remaining: p.unlimited ? null : p.remaining,
        total: p.unlimited ? null : p.total,
      }
    : null;
export type Counts = ReturnType<typeof countsOf>;

const covering = new Set(['assigned', 'held', 'used']);

/**
 * Each purchase's share of a covering claim (B10 across purchases), with its own
 * label: the first share's `#X` counts through the claim's latest use, a later
 * share's counts its purchase's credits used as they now stand.
 */
function sharesView(
  claim: Pick<ReservationSnap, 'purchaseId' | 'coveredUnits' | 'shares' | 'creditState'>,
  noShow: boolean,
  purchases: Map<string, PurchaseSnap>,
  threshold: number,
  usedThrough: number,
) {
  if (!covering.has(claim.creditState)) return [];
  return sharesOf(claim).map((share, i) => {
    const purchase = purchases.get(share.purchaseId) ?? null;
    return {
      purchaseId: share.purchaseId,
      units: share.units,
      label: claimLabel(
        { creditState: claim.creditState, noShow },
        purchase,
        threshold,
        i === 0 ? usedThrough : (purchase?.used ?? 0),
      ),
    };
  });
}

/**
 * A reservation as the answer shows it, from memory: the operation's decision
 * holds the reservation, the purchases as it leaves them, the explanation as
 * committed and the credits used through its latest use. Nothing is read.
 */
export function reservationView(answer: {
  reservation: ReservationSnap;
  purchases: Map<string, PurchaseSnap>;
  explain: ReservationExplain | null;
  usedThrough: number;
  threshold: number;
}) {
  const r = answer.reservation;
  const purchase = r.purchaseId ? (answer.purchases.get(r.purchaseId) ?? null) : null;
  const label = claimLabel(
    { creditState: r.creditState, noShow: r.status === 'no_show' },
    purchase,
    answer.threshold,
    answer.usedThrough,
  );
  return {
    id: r.id,
    clientId: r.clientId,
    sessionId: r.sessionId,
    channel: r.channel,
    status: r.status,
    purchaseId: r.creditState === 'none' ? null : r.purchaseId,
    manualPurchase: r.manualPurchase,
    credit: { state: r.creditState, units: r.coveredUnits },
    label,
    counts: countsOf(r.creditState === 'none' ? null : purchase),
    shares: sharesView(r, r.status === 'no_show', answer.purchases, answer.threshold, answer.usedThrough),
    explain: answer.explain,
    penalty: r.penalty ?? null,
  };
}
export type ReservedView = ReturnType<typeof reservationView>;

/** One ticket line as the POS shows it; a reservation line follows its reservation's claim. */
export function lineView(
  line: LineSnap,
  reservation: ReservationSnap | null,
  purchases: Map<string, PurchaseSnap>,
  threshold: number,
  usedThrough: number,
) {
  const claim = reservation ?? line;
  const covered = covering.has(claim.creditState) ? claim.coveredUnits : 0;
  const owner = claim.purchaseId ? (purchases.get(claim.purchaseId) ?? null) : null;
  const purchase = covered > 0 ? owner : null;
  const label = claimLabel(
    { creditState: claim.creditState, noShow: reservation?.status === 'no_show' },
    owner,
    threshold,
    usedThrough,
  );
  const plan = purchase?.plan ?? null;
  return {
    lineNo: line.lineNo,
    itemId: line.item.id,
    reservationId: line.reservationId,
    unitPrice: line.unitPrice,
    units: line.units,
    coveredUnits: covered,
    purchaseId: covered > 0 ? claim.purchaseId : null,
    credit: { state: claim.creditState },
    amountDue: (line.units - covered) * line.unitPrice,
    retail: line.units * line.unitPrice,
    commissionBase: commissionBase({
      unitPrice: line.unitPrice,
      units: line.units,
      covered,
      plan: plan ? { price: plan.price, credits: plan.credits, commission: plan.commission } : null,
    }),
    label,
    counts: countsOf(purchase),
    shares:
      covered > 0
        ? sharesView(claim, reservation?.status === 'no_show', purchases, threshold, usedThrough)
        : [],
  };
}
