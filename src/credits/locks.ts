import { anyOf, query } from '../db/sql.ts';
import type { CreditContext } from './context.ts';

/**
 * The first lock of an operation on several clients (the sweep, a tenant-wide
 * catch-up, a sale): their rows in id order, as a client's own operation takes its
 * row first in its one read (read.ts). With that one rule no
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
