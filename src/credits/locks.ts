import { anyOf, query } from '../db/sql.ts';
import type { CreditContext } from './context.ts';
import { purchaseColumns, purchaseOf } from './snapshot.ts';
import type { PurchaseSnap } from './types.ts';

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
 * Locks one client, then its purchases in id order (the global order), and says
 * whether any of its reservations has a time trigger due by `upTo` — all in one
 * round trip: the client row is locked by the CTE before the lateral read locks
 * the purchases. Most operations find nothing due and skip reading reservations.
 * Null when the client does not exist.
 */
export async function lockClient(
  ctx: CreditContext,
  clientId: string,
  upTo: Date,
): Promise<{ due: boolean; purchases: Map<string, PurchaseSnap> } | null> {
  const rows = await query(
    ctx,
    `with c as (
       select c.id, exists (select 1 from reservations r join sessions s on s.tenant_id = r.tenant_id and s.id = r.session_id
                             where r.tenant_id = c.tenant_id and r.client_id = c.id and not r.ended_applied
                               and ((not r.started_applied and s.starts_at <= $3) or s.ends_at <= $3)) as due
         from clients c where c.tenant_id = $1 and c.id = $2 for update of c
     )
     select c.due, p.* from c left join lateral (
       select ${purchaseColumns}
         from purchases p join plans pl on pl.tenant_id = p.tenant_id and pl.id = p.plan_id
        where p.tenant_id = $1 and p.client_id = c.id
        order by p.id for update of p
     ) p on true`,
    [ctx.tenantId, clientId, upTo],
  );
  if (rows.length === 0) return null;
  const purchases = new Map<string, PurchaseSnap>();
  for (const row of rows) if (row.id !== null) purchases.set(String(row.id), purchaseOf(row));
  return { due: Boolean(rows[0].due), purchases };
}
