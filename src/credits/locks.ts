import type { CreditContext } from './context.ts';

/**
 * Every credit operation concerns one client's purchases, so it first locks that
 * client's row; operations on several clients (the sweep) lock them in id order.
 * With that one rule no two transactions can wait on each other in a cycle, and
 * the purchase locks taken after it (also in id order) only guard against writers
 * that skip it.
 */
export async function lockClients(ctx: CreditContext, clientIds: string[]): Promise<void> {
  const ids = [...new Set(clientIds)].sort();
  if (ids.length === 0) return;
  await ctx.tx.execute(
    `select id from clients where tenant_id = ? and id in (${ids.map(() => '?').join(', ')}) order by id for update`,
    [ctx.tenantId, ...ids],
  );
}
