import type { Item } from '../domain/item.ts';
import type { Plan } from '../domain/plan.ts';
import type { Purchase } from '../domain/purchase.ts';
import type { Reservation } from '../domain/reservation.ts';
import type { Session } from '../domain/session.ts';
import type { Ticket } from '../domain/ticket.ts';
import type { RulesetSettings, Trigger } from '../policy/index.ts';

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

/** Everything a usage decision looks at, for one claim at one trigger. */
export interface UsageScene {
  trigger: Trigger;
  /** The instant judged: a time trigger's own, else now. */
  at: Date;
  settings: RulesetSettings;
  item: Item;
  session: Session | null;
  plan: Plan | null;
  purchase: Purchase | null;
  /** Counters that differ from the purchase row (the sweep's running balance). */
  balance?: { held: number; used: number; remaining: number };
  reservation: Reservation | null;
  checkedOutManually?: boolean;
  ticket?: { ticket: Ticket; lineCount: number } | null;
  clientId: string;
  channel: string;
  price: number;
}

/** The usage facts (SPEC §3) for a scene: one builder for every caller. */
export function usageFacts(s: UsageScene) {
  return {
    trigger: s.trigger,
    item: itemFact(s.item),
    plan: s.plan ? planFact(s.plan) : null,
    purchase: s.purchase && s.plan ? { ...purchaseFact(s.purchase, s.plan), ...s.balance } : null,
    session: s.session ? sessionFact(s.session) : null,
    reservation: s.reservation ? reservationFact(s.reservation, s.checkedOutManually ?? false) : null,
    ticket: s.ticket ? ticketFact(s.ticket.ticket, s.ticket.lineCount) : null,
    client: { id: s.clientId },
    channel: s.channel,
    settings: settingsFact(s.settings),
    price: s.price,
    ...timeFacts(s.session, s.at),
  };
}
