import type { RulesetSettings, Trigger } from '../policy/index.ts';
import { frozenAt } from './freeze-window.ts';
import { type ForgivenCancel, penaltyFact } from './penalty.ts';
import type { ItemSnap, PlanSnap, PurchaseSnap, ReservationSnap, SessionSnap, TicketSnap } from './types.ts';
import { capFacts, capStatus } from './visit-cap.ts';

/**
 * Snapshot data turned into the plain facts the policy reads (the catalogue in
 * src/policy/facts.ts): times as epoch milliseconds, absent values as null.
 */
const ms = (d: Date | null | undefined) => (d ? d.getTime() : null);

export const itemFact = (i: ItemSnap) => ({
  id: i.id,
  kind: i.kind,
  price: i.price,
  itemType: i.itemType ?? null,
  bucketType: i.bucketType,
});

export const planFact = (p: PlanSnap) => ({
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

/** `at`: the decision's instant, at which `frozen` is judged (issue 20). */
export const purchaseFact = (p: PurchaseSnap, at: Date | null = null) => ({
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
  priority: p.plan.priority,
  frozen: at !== null && frozenAt(p, at) !== null,
  frozenDays: p.frozenDays ?? 0,
});

export const sessionFact = (s: SessionSnap) => ({
  id: s.id,
  startsAt: s.startsAt.getTime(),
  endsAt: s.endsAt.getTime(),
  price: s.price ?? null,
  units: s.units,
  locationId: s.locationId,
});

export const reservationFact = (r: ReservationSnap) => ({
  id: r.id,
  status: r.status,
  channel: r.channel,
  creditState: r.creditState,
  units: r.coveredUnits,
  manualPurchase: r.manualPurchase,
  checkedOutManually: r.checkedOutManually,
});

export const ticketFact = (t: TicketSnap) => ({
  id: t.id,
  status: t.status,
  manual: t.manual,
  lineCount: t.lineCount,
});

/** Derived facts about time, judged at `at` (the trigger's own instant for time triggers). */
export function timeFacts(session: SessionSnap | null, at: Date) {
  if (!session) return { sessionStarted: false, sessionEnded: false, hoursUntilStart: 0 };
  return {
    sessionStarted: at.getTime() >= session.startsAt.getTime(),
    sessionEnded: at.getTime() >= session.endsAt.getTime(),
    hoursUntilStart: (session.startsAt.getTime() - at.getTime()) / 3_600_000,
  };
}

export const purchaseExpiredAtSession = (p: PurchaseSnap, session: SessionSnap | null) =>
  session !== null && p.expiresAt !== null && p.expiresAt.getTime() < session.startsAt.getTime();

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
  item: ItemSnap;
  session: SessionSnap | null;
  purchase: PurchaseSnap | null;
  reservation: ReservationSnap | null;
  ticket: TicketSnap | null;
  clientId: string;
  channel: string;
  price: number;
  /** The client's forgiven late cancels (issue 20); none when not read. */
  forgiven?: readonly ForgivenCancel[];
}

/** The usage facts (SPEC §3) for a scene: one builder for every caller. */
export function usageFacts(s: UsageScene) {
  return {
    trigger: s.trigger,
    item: itemFact(s.item),
    plan: s.purchase ? planFact(s.purchase.plan) : null,
    purchase: s.purchase
      ? {
          ...purchaseFact(s.purchase, s.at),
          ...capFacts(capStatus(s.purchase, s.session, s.reservation?.id ?? null)),
        }
      : null,
    session: s.session ? sessionFact(s.session) : null,
    reservation: s.reservation ? reservationFact(s.reservation) : null,
    ticket: s.ticket ? ticketFact(s.ticket) : null,
    client: { id: s.clientId },
    channel: s.channel,
    settings: settingsFact(s.settings),
    price: s.price,
    ...timeFacts(s.session, s.at),
    penalty: penaltyFact(s),
  };
}
