import type { CreditContext } from './context.ts';
import { type ReservedView, reservationView } from './present.ts';
import { type PurchaseSnap, readReservations } from './snapshot.ts';

/**
 * Reservations as the roster shows them: status, credit and label (B20) through the
 * one presenter. Reads only: no lock, nothing committed, no time trigger applied (the
 * sweep and the reservation's own reads do that); the explanation is left out.
 */
export async function rosterViews(ctx: CreditContext, ids: string[]): Promise<Map<string, ReservedView>> {
  const snaps = await readReservations(ctx, { ids });
  const known = new Map<string, PurchaseSnap>();
  const out = new Map<string, ReservedView>();
  for (const id of ids) {
    const snap = snaps.get(id);
    if (snap) out.set(id, await reservationView(ctx, snap, known, null));
  }
  return out;
}
