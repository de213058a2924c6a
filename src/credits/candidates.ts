import { Plan } from '../domain/plan.ts';
import type { CreditContext } from './context.ts';
import type { Candidate } from './eligibility.ts';
import { lockPurchases } from './ledger.ts';

/**
 * The client's purchases of plans covering the item, locked FOR UPDATE in id order
 * before anything is decided, so two bookings can never both spend the last credit.
 */
export async function lockedCandidates(
  ctx: CreditContext,
  clientId: string,
  itemId: string,
): Promise<Candidate[]> {
  const rows = await ctx.tx.execute<{ id: string }[]>(
    `select p.id from purchases p
       join plans pl on pl.tenant_id = p.tenant_id and pl.id = p.plan_id
      where p.tenant_id = ? and p.client_id = ? and p.status <> 'voided' and ? = any(pl.item_ids)`,
    [ctx.tenantId, clientId, itemId],
  );
  const locked = await lockPurchases(
    ctx.tx,
    rows.map((r) => r.id),
    ctx.locked,
  );
  if (locked.size === 0) return [];
  const plans = await ctx.tx.find(Plan, {
    id: { $in: [...new Set([...locked.values()].map((p) => p.planId))] },
  });
  const planOf = new Map(plans.map((p) => [p.id, p]));
  return [...locked.values()].map((purchase) => ({ purchase, plan: planOf.get(purchase.planId) as Plan }));
}
