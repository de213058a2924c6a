import type { Channel } from '../domain/enums.ts';
import { coversSessionTime, validAt } from '../domain/time.ts';
import { frozenAt } from './freeze-window.ts';
import { memberRefusal } from './pool.ts';
import type { ItemSnap, PurchaseSnap, ReservationSnap, SessionSnap } from './types.ts';

/** One thing to pay for: a reservation's session, or a product line on a ticket. */
export interface Payable {
  clientId: string;
  item: ItemSnap;
  session: SessionSnap | null;
  reservation: ReservationSnap | null;
  channel: Channel;
  /** The unit price that counts (B11). */
  price: number;
  units: number;
  /** When the decision is made: booking time for one-day packages (B8). */
  at: Date;
}

/** Auto-assignment picks; staff assigning by hand may pick held or expired purchases (B5). */
export type AssignMode = 'auto' | 'manual';

/**
 * The fixed checks that no rule set can switch off (SPEC §3), plus B4 and B6/B8
 * for automatic assignment. Returns why the purchase cannot pay, or null.
 */
export function fixedRefusal(purchase: PurchaseSnap, line: Payable, mode: AssignMode): string | null {
  const plan = purchase.plan;
  const member = memberRefusal(purchase, line.clientId);
  if (member) return member;
  if (purchase.status === 'voided') return 'voided';
  if (!plan.itemIds.includes(line.item.id)) return `plan does not cover ${line.item.id}`;
  if (!purchase.unlimited && purchase.remaining < 1) return 'no credits left';
  // Issue 20: a frozen purchase pays for nothing that starts inside the freeze, whoever assigns.
  const frozen = frozenAt(purchase, plan.oneDay || !line.session ? line.at : line.session.startsAt);
  if (frozen) return `frozen until ${frozen.to}`;
  if (mode === 'manual') return null;
  if (purchase.status === 'on_hold') return 'on hold';
  if (purchase.status === 'expired') return 'expired';
  const window = { purchasedAt: purchase.purchasedAt, expiresAt: purchase.expiresAt };
  if (plan.oneDay || !line.session) {
    // B8: one-day packages (and products, which have no session) are judged when booked.
    if (!validAt(window, line.at)) return plan.oneDay ? 'one-day package not valid today' : 'not valid now';
    return null;
  }
  if (!coversSessionTime(window, line.session)) {
    return purchase.purchasedAt.getTime() > line.session.endsAt.getTime()
      ? 'bought after the session ended'
      : 'expires before the session starts';
  }
  return null;
}
