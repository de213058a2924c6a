import type { FreezeWindow, PurchaseSnap } from './types.ts';

/**
 * The freeze a purchase is under at an instant, or null (issue 20 item 3). Pure, on
 * the snapshot's freezes: the fixed eligibility check asks it at the session's start
 * (B6's rule: judged against the session, not the booking), the `purchase.frozen`
 * fact at the decision's instant.
 */
export function frozenAt(purchase: Pick<PurchaseSnap, 'freezes'>, at: Date): FreezeWindow | null {
  const t = at.getTime();
  for (const f of purchase.freezes ?? []) if (f.startsAt.getTime() <= t && t <= f.endsAt.getTime()) return f;
  return null;
}
