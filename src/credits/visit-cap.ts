import { DateTime } from 'luxon';
import type { VisitCap } from '../domain/plan.ts';
import type { PurchaseSnap, ReservationSnap, SessionSnap, Work } from './types.ts';

/**
 * Visit caps (issue 20 item 1): pure arithmetic on local calendar dates. A visit
 * is a live reservation a capped purchase pays for (or shares), dated by its
 * session's local date in the session location's zone — never the booking date,
 * so booking weeks ahead is not blocked by this week's visits.
 */

/** One visit a capped purchase pays for, as the locking read returns it. */
export interface CapVisit {
  reservationId: string;
  /** The session's local date (yyyy-mm-dd) in its location's zone. */
  date: string;
}

/** A period as local dates, both ends included. */
export interface CapPeriod {
  start: string;
  end: string;
}

export interface CapStatus {
  cap: VisitCap;
  period: CapPeriod;
  /** Visits counted in the period (the claim being decided excluded). */
  used: number;
  /** Unused visits of the previous period carried over (0 without rollover). */
  carried: number;
  /** count + carried. */
  allowed: number;
  remaining: number;
}

const day = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' });
const iso = (d: DateTime) => d.toISODate() as string;

/** The period of `cap` holding the local date `date`, for a purchase that started on local date `start`. */
export function periodOf(cap: Pick<VisitCap, 'period' | 'anchor'>, date: string, start: string): CapPeriod {
  const d = day(date);
  if (cap.period === 'day') return { start: date, end: date };
  if (cap.anchor === 'calendar') {
    const unit = cap.period === 'week' ? 'week' : 'month'; // luxon's weeks are ISO: Monday first
    return { start: iso(d.startOf(unit)), end: iso(d.endOf(unit)) };
  }
  const from = day(start);
  if (cap.period === 'week') {
    const n = Math.floor(d.diff(from, 'days').days / 7);
    const first = from.plus({ days: 7 * n });
    return { start: iso(first), end: iso(first.plus({ days: 6 })) };
  }
  // Months from the start date: luxon clamps (Jan 31 + 1 month = Feb 28), so step back when past.
  let n = (d.year - from.year) * 12 + (d.month - from.month);
  if (from.plus({ months: n }) > d) n -= 1;
  return { start: iso(from.plus({ months: n })), end: iso(from.plus({ months: n + 1 }).minus({ days: 1 })) };
}

const previousOf = (cap: VisitCap, period: CapPeriod, start: string): CapPeriod =>
  periodOf(cap, iso(day(period.start).minus({ days: 1 })), start);

const inPeriod = (date: string, p: CapPeriod) => date >= p.start && date <= p.end;

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The local calendar date (yyyy-mm-dd) of an instant in an IANA zone: what
 * domain/time.ts `localDate` answers, through one cached Intl format per zone (the
 * engine luxon itself uses), as a booking dates every visit it counts.
 */
export function localDay(at: Date, zone: string): string {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formats.set(zone, format);
  }
  return format.format(at);
}

/** The local date the purchase started on, in its location's zone (as its expiry, B6). */
const startDate = (p: PurchaseSnap) => localDay(p.purchasedAt, p.capZone ?? 'UTC');

/** The session's local date in its location's zone. */
export const sessionDate = (s: SessionSnap) => localDay(s.startsAt, s.timeZone ?? 'UTC');

/**
 * Where the purchase stands against its cap for a session: null when the plan is
 * uncapped or there is no session (a product line is no visit). `exclude` is the
 * claim being decided: it never counts against itself.
 */
export function capStatus(
  p: PurchaseSnap,
  session: SessionSnap | null,
  exclude: string | null = null,
): CapStatus | null {
  const cap = p.plan.cap;
  if (!cap || !session) return null;
  const start = startDate(p);
  const period = periodOf(cap, sessionDate(session), start);
  // Not read for this operation (a plan not covering the booked item): nothing left, to be safe.
  if (!p.capVisits) return { cap, period, used: cap.count, carried: 0, allowed: cap.count, remaining: 0 };
  const visits = p.capVisits.filter((v) => v.reservationId !== exclude);
  const used = visits.filter((v) => inPeriod(v.date, period)).length;
  let carried = 0;
  if (cap.rollover && period.start > start) {
    const previous = previousOf(cap, period, start);
    const usedBefore = visits.filter((v) => inPeriod(v.date, previous)).length;
    carried = Math.min(cap.rollover.max, Math.max(0, cap.count - usedBefore));
  }
  const allowed = cap.count + carried;
  return { cap, period, used, carried, allowed, remaining: Math.max(0, allowed - used) };
}

const periodWords = (s: CapStatus) =>
  s.cap.period === 'day'
    ? `on ${s.period.start}`
    : `in the ${s.cap.period} ${s.period.start} to ${s.period.end}`;

/** Every cap refusal starts with this: decideBooking tells them from other refusals by it. */
export const capRefusalPrefix = 'visit cap reached';

/** Why a capped purchase cannot pay (its status for the session), or null while it has visits left. */
export function capRefusal(s: CapStatus | null): string | null {
  if (!s || s.remaining > 0) return null;
  const carried = s.carried > 0 ? ` (${s.cap.count} + ${s.carried} carried over)` : '';
  return `${capRefusalPrefix}: ${s.used} of ${s.allowed} visits${carried} ${periodWords(s)}`;
}

/** The facts `purchase.capUsed` and `purchase.capRemaining` of a cap status: null when uncapped. */
export function capFacts(s: CapStatus | null) {
  return { capUsed: s ? s.used : null, capRemaining: s ? s.remaining : null };
}

/**
 * A reservation just assigned counts as a visit of each capped purchase paying it,
 * on the working copies: the next decision of the same operation sees it.
 */
export function countVisit(work: Work, r: ReservationSnap): void {
  const payers = r.shares ? r.shares.map((s) => s.purchaseId) : r.purchaseId ? [r.purchaseId] : [];
  for (const id of payers) {
    const p = work.purchases.get(id);
    if (!p?.plan.cap || !p.capVisits || p.capVisits.some((v) => v.reservationId === r.id)) continue;
    p.capVisits = [...p.capVisits, { reservationId: r.id, date: sessionDate(r.session) }];
  }
}

/** The plan caps of the purchases the booking's cap refusals name, when one of them refuses outright. */
export function refusingCap(
  considered: { purchaseId: string; reason: string }[],
  purchases: Map<string, PurchaseSnap>,
): { purchase: PurchaseSnap; reason: string } | null {
  for (const v of considered) {
    if (!v.reason.startsWith(capRefusalPrefix)) continue;
    const purchase = purchases.get(v.purchaseId);
    if (purchase?.plan.cap?.mode === 'refuse') return { purchase, reason: v.reason };
  }
  return null;
}
