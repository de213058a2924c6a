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

/**
 * Locks one client and says, in the same round trip, whether any of its
 * reservations has a time trigger due by `upTo`: most operations find nothing due
 * and skip reading them. Null when the client does not exist.
 */
export async function lockClient(
  ctx: CreditContext,
  clientId: string,
  upTo: Date,
): Promise<{ due: boolean } | null> {
  const [row] = await query(
    ctx,
    `select c.id, exists (select 1 from reservations r join sessions s on s.tenant_id = r.tenant_id and s.id = r.session_id
                           where r.tenant_id = c.tenant_id and r.client_id = c.id and not r.ended_applied
                             and ((not r.started_applied and s.starts_at <= $3) or s.ends_at <= $3)) as due
       from clients c where c.tenant_id = $1 and c.id = $2 for update of c`,
    [ctx.tenantId, clientId, upTo],
  );
  return row ? { due: Boolean(row.due) } : null;
}
