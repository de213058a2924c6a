import type { Item } from '../domain/item.ts';
import type { Plan } from '../domain/plan.ts';
import type { Purchase } from '../domain/purchase.ts';
import type { Reservation } from '../domain/reservation.ts';
import type { Session } from '../domain/session.ts';
import type { Ticket } from '../domain/ticket.ts';
import type { RulesetSettings } from '../policy/index.ts';

/**
 * Entities turned into the plain facts the policy reads (the catalogue in
 * src/policy/facts.ts): times as epoch milliseconds, absent values as null.
 */
const ms = (d: Date | null | undefined) => (d ? d.getTime() : null);

export const itemFact = (i: Item) => ({
  id: i.id,
  kind: i.kind,
  price: i.price,
  itemType: i.itemType ?? null,
  bucketType: i.bucketType,
});

export const planFact = (p: Plan) => ({
  id: p.id,
  kind: p.kind,
  credits: p.credits ?? null,
  unlimited: p.unlimited,
  price: p.price,
  daysToExpire: p.daysToExpire,
  oneDay: p.oneDay,
  bucketType: p.bucketType ?? null,
  itemType: p.itemType ?? null,
  priority: p.priority,
});

export const purchaseFact = (p: Purchase, plan: Plan) => ({
  id: p.id,
  status: p.status,
  total: p.total,
  remaining: p.remaining,
  held: p.held,
  used: p.used,
  purchasedAt: p.purchasedAt.getTime(),
  expiresAt: ms(p.expiresAt),
  locationId: p.locationId,
  source: p.source,
  priority: plan.priority,
});

export const sessionFact = (s: Session) => ({
  id: s.id,
  startsAt: s.startsAt.getTime(),
  endsAt: s.endsAt.getTime(),
  price: s.price ?? null,
  units: s.units,
  locationId: s.locationId,
});

export const reservationFact = (r: Reservation, checkedOutManually: boolean) => ({
  id: r.id,
  status: r.status,
  channel: r.channel,
  creditState: r.creditState,
  units: r.coveredUnits,
  manualPurchase: r.manualPurchase,
  checkedOutManually,
});

export const ticketFact = (t: Ticket, lineCount: number) => ({
  id: t.id,
  status: t.status,
  manual: t.manual,
  lineCount,
});

/** Derived facts about time, judged at `at` (the trigger's own instant for time triggers). */
export function timeFacts(session: Session | null, at: Date) {
  if (!session) return { sessionStarted: false, sessionEnded: false, hoursUntilStart: 0 };
  return {
    sessionStarted: at.getTime() >= session.startsAt.getTime(),
    sessionEnded: at.getTime() >= session.endsAt.getTime(),
    hoursUntilStart: (session.startsAt.getTime() - at.getTime()) / 3_600_000,
  };
}

export const purchaseExpiredAtSession = (p: Purchase, session: Session | null) =>
  session !== null &&
  p.expiresAt !== null &&
  p.expiresAt !== undefined &&
  p.expiresAt.getTime() < session.startsAt.getTime();

export const settingsFact = (s: RulesetSettings) => ({
  zeroPriceUsesCredits: s.zeroPriceUsesCredits,
  unlimitedLabelThreshold: s.unlimitedLabelThreshold,
});
