import type { CreditState } from '../domain/enums.ts';
import type { Purchase } from '../domain/purchase.ts';
import type { CreditContext } from './context.ts';
import { post } from './ledger.ts';
import type { Transition } from './transitions.ts';

/**
 * Whatever holds a credit: a reservation, or a product line on a ticket. Both carry
 * the same four fields; `key` names it in ledger idempotency keys.
 */
export interface Claim {
  purchaseId?: string | null;
  creditState: CreditState;
  coveredUnits: number;
  creditSeq: number;
}

export interface ClaimRef {
  key: string;
  reservationId: string | null;
  ticketId: string | null;
}

/**
 * Applies a planned transition: the ledger entry (keyed by the claim and its
 * sequence number, so a replay cannot post twice) and the claim's new state.
 */
export async function applyTransition(
  ctx: CreditContext,
  claim: Claim,
  ref: ClaimRef,
  purchase: Purchase | null,
  move: Extract<Transition, { kind: 'move' }>,
  reason: string,
  /** When it happened: a time trigger's own instant, else now. */
  at: Date = ctx.now,
): Promise<void> {
  if (move.posting && purchase) {
    claim.creditSeq += 1;
    const ledgerEntryId = await post(ctx.tx, purchase, {
      kind: move.posting.kind,
      delta: move.posting.delta,
      actor: ctx.actor,
      at,
      reason,
      idempotencyKey: `${ref.key}:${claim.creditSeq}`,
      reservationId: ref.reservationId,
      ticketId: ref.ticketId,
      policyVersion: ctx.active.version,
    });
    ctx.events.push({
      name: 'credit.changed',
      payload: {
        tenantId: ctx.tenantId,
        purchaseId: purchase.id,
        kind: move.posting.kind,
        ledgerEntryId,
        reservationId: ref.reservationId,
        ticketId: ref.ticketId,
        policyVersion: ctx.active.version,
        remaining: purchase.remaining,
      },
    });
  }
  claim.creditState = move.state;
  claim.coveredUnits = move.covered;
  if (move.state === 'none') claim.purchaseId = null;
}
