import type { CreditContext } from './context.ts';
import { anyOf, query } from './sql.ts';

/**
 * The first step of every credit operation. Every operation concerns one client's
 * purchases, so it first locks that client's row; operations on several clients
 * (the sweep, a tenant-wide catch-up) lock them in id order. With that one rule no
 * two transactions can wait on each other in a cycle, and the purchase locks taken
 * after it (also in id order, by the snapshot read) only guard against writers
 * that skip it (the tenant-wide expiry). Returns the ids that exist.
 */
export async function lockClients(ctx: CreditContext, clientIds: string[]): Promise<Set<string>> {
  const list = [...new Set(clientIds)].sort();
  if (list.length === 0) return new Set();
  const rows = await query(
    ctx,
    `select id from clients where tenant_id = $1 and id = ${anyOf(2)} order by id for update`,
    [ctx.tenantId, JSON.stringify(list)],
  );
  return new Set(rows.map((r) => String(r.id)));
}
