import { query } from '../db/sql.ts';
import type { CreditState } from '../domain/enums.ts';
import { commissionBase } from './commission.ts';
import type { CreditContext } from './context.ts';
import { creditLabel } from './labels.ts';
import { readPurchases } from './snapshot.ts';
import type { LineSnap, PurchaseSnap, ReservationExplain, ReservationSnap } from './types.ts';

/**
 * What a claim shows the POS: its label (B20), amount due (B10), commission base
 * (B21). Reads only; the purchases come from the operation's snapshot when it has
 * them.
 */

type ClaimRef = { reservationId: string } | { ticketId: string; lineNo: number };

/**
 * Credits of the purchase used up to and including this claim's latest use, in
 * commit order: the X of `PACKAGE USED (#X/ UNLIMITED)` (B20). The claim's entries
 * are found by the reservation or ticket line they belong to.
 */
async function usedThrough(ctx: CreditContext, purchaseId: string, ref: ClaimRef): Promise<number> {
  const own =
    'reservationId' in ref
      ? { where: 'u.reservation_id = $3', params: [ref.reservationId] }
      : { where: 'u.ticket_id = $3 and u.line_no = $4', params: [ref.ticketId, ref.lineNo] };
  const [row] = await query(
    ctx,
    `select coalesce(sum(e.used), 0) as n from ledger_entries e
      where e.tenant_id = $1 and e.purchase_id = $2
        and e.seq <= (select max(u.seq) from ledger_entries u
                       where u.tenant_id = $1 and u.purchase_id = $2 and u.kind = 'use' and ${own.where})`,
    [ctx.tenantId, purchaseId, ...own.params],
  );
  return Number(row?.n ?? 0);
}

async function purchaseOf(
  ctx: CreditContext,
  id: string,
  known: Map<string, PurchaseSnap>,
): Promise<PurchaseSnap | null> {
  const found = known.get(id);
  if (found) return found;
  const read = await readPurchases(ctx, { purchaseIds: [id] }, false);
  const p = read.get(id) ?? null;
  if (p) known.set(id, p);
  return p;
}

/** The label of a reservation or ticket line paid by a credit. A no-show keeps its purchase's label. */
export async function claimLabel(
  ctx: CreditContext,
  claim: { purchaseId: string | null; creditState: CreditState; noShow: boolean; ref: ClaimRef },
  known: Map<string, PurchaseSnap>,
  threshold: number,
): Promise<string | null> {
  if (!claim.purchaseId) return null;
  const purchase = await purchaseOf(ctx, claim.purchaseId, known);
  if (!purchase) return null;
  const state = claim.noShow && claim.creditState === 'released' ? 'assigned' : claim.creditState;
  const counted = state === 'used' && (purchase.unlimited || purchase.total > threshold);
  return creditLabel({
    kind: purchase.plan.kind,
    state,
    total: purchase.total,
    unlimited: purchase.unlimited,
    usedSoFar: counted ? await usedThrough(ctx, purchase.id, claim.ref) : 0,
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
  const state = r.status === 'no_show' && r.creditState === 'released' ? 'assigned' : r.creditState;
  const label = purchase
    ? creditLabel({
        kind: purchase.plan.kind,
        state,
        total: purchase.total,
        unlimited: purchase.unlimited,
        usedSoFar:
          state === 'used' && (purchase.unlimited || purchase.total > answer.threshold)
            ? answer.usedThrough
            : 0,
        threshold: answer.threshold,
      })
    : null;
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
    explain: answer.explain,
  };
}
export type ReservedView = ReturnType<typeof reservationView>;

const covering = new Set(['assigned', 'held', 'used']);

/** One ticket line as the POS shows it; a reservation line follows its reservation's claim. */
export async function lineView(
  ctx: CreditContext,
  line: LineSnap,
  reservation: ReservationSnap | null,
  known: Map<string, PurchaseSnap>,
  threshold: number,
) {
  const claim = reservation ?? line;
  const covered = covering.has(claim.creditState) ? claim.coveredUnits : 0;
  const purchase = covered > 0 && claim.purchaseId ? await purchaseOf(ctx, claim.purchaseId, known) : null;
  const label = await claimLabel(
    ctx,
    {
      purchaseId: claim.purchaseId,
      creditState: claim.creditState,
      noShow: reservation?.status === 'no_show',
      ref: reservation ? { reservationId: reservation.id } : { ticketId: line.ticketId, lineNo: line.lineNo },
    },
    known,
    threshold,
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
  };
}
