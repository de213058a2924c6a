import type { EntityManager } from '@mikro-orm/sql';
import type { CreditState } from '../domain/enums.ts';
import { Plan } from '../domain/plan.ts';
import { Purchase } from '../domain/purchase.ts';
import { creditLabel } from './labels.ts';

/**
 * Credits of the purchase used up to and including this claim's latest use, in
 * commit order: the X of `PACKAGE USED (#X/ UNLIMITED)` (B20).
 */
async function usedThrough(
  tx: EntityManager,
  tenantId: string,
  purchaseId: string,
  keyPrefix: string,
): Promise<number> {
  const [row] = await tx.execute<{ n: number | string | null }[]>(
    `select coalesce(sum(e.used), 0) as n from ledger_entries e
      where e.tenant_id = ? and e.purchase_id = ?
        and e.seq <= (select max(u.seq) from ledger_entries u
                       where u.tenant_id = ? and u.purchase_id = ? and u.kind = 'use'
                         and left(u.idempotency_key, length(?)) = ?)`,
    [tenantId, purchaseId, tenantId, purchaseId, `${keyPrefix}:`, `${keyPrefix}:`],
  );
  return Number(row?.n ?? 0);
}

/**
 * The label of a reservation or ticket line paid by a credit (B20). A no-show keeps
 * showing the label of the purchase it was booked with.
 */
export async function claimLabel(
  tx: EntityManager,
  tenantId: string,
  claim: { purchaseId: string | null; creditState: CreditState; noShow: boolean; keyPrefix: string },
  threshold: number,
  lastPurchaseId: string | null = claim.purchaseId,
): Promise<string | null> {
  const purchaseId = claim.purchaseId ?? (claim.noShow ? lastPurchaseId : null);
  if (!purchaseId) return null;
  const purchase = await tx.findOne(Purchase, { tenantId, id: purchaseId });
  if (!purchase) return null;
  const plan = await tx.findOneOrFail(Plan, { tenantId, id: purchase.planId });
  const state = claim.noShow && claim.creditState === 'released' ? 'assigned' : claim.creditState;
  const usedSoFar = state === 'used' ? await usedThrough(tx, tenantId, purchaseId, claim.keyPrefix) : 0;
  return creditLabel({
    kind: plan.kind,
    state,
    total: purchase.total,
    unlimited: purchase.unlimited,
    usedSoFar,
    threshold,
  });
}
