import { anyOf, query } from '../db/sql.ts';
import type { CreditContext } from './context.ts';
import { type ReservedView, reservationView } from './present.ts';
import { currentPolicy } from './read.ts';
import { readPurchases, readReservations } from './snapshot.ts';

/**
 * Reservations as the roster shows them: status, credit and label (B20) through the
 * one presenter. Reads only: no lock, nothing committed, no time trigger applied (the
 * sweep and the reservation's own reads do that); the explanation is left out.
 */
export async function rosterViews(ctx: CreditContext, ids: string[]): Promise<Map<string, ReservedView>> {
  const snaps = await readReservations(ctx, { ids });
  const out = new Map<string, ReservedView>();
  if (snaps.size === 0) return out;
  const purchaseIds = [...snaps.values()].flatMap((r) => (r.purchaseId ? [r.purchaseId] : []));
  const purchases = await readPurchases(ctx, { purchaseIds }, false);
  // The X of `USED (#X/ UNLIMITED)`: credits used through each used reservation's latest use.
  const used = await query(
    ctx,
    `select r.id, (select coalesce(sum(e.used), 0) from ledger_entries e
                    where e.tenant_id = $1 and e.purchase_id = r.purchase_id
                      and e.seq <= (select max(u.seq) from ledger_entries u where u.tenant_id = $1
                                       and u.purchase_id = r.purchase_id and u.kind = 'use' and u.reservation_id = r.id))
                   as used_through
       from reservations r where r.tenant_id = $1 and r.id = ${anyOf(2)} and r.credit_state = 'used'`,
    [ctx.tenantId, JSON.stringify([...snaps.keys()])],
  );
  const usedThrough = new Map(used.map((u) => [String(u.id), Number(u.used_through)]));
  const threshold = (await currentPolicy(ctx)).policy.settings.unlimitedLabelThreshold;
  for (const id of ids) {
    const reservation = snaps.get(id);
    if (reservation)
      out.set(
        id,
        reservationView({
          reservation,
          purchases,
          explain: null,
          usedThrough: usedThrough.get(id) ?? 0,
          threshold,
        }),
      );
  }
  return out;
}
