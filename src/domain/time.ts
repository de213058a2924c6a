import { DateTime, IANAZone } from 'luxon';

/** True when the name is an IANA zone this runtime knows (`America/New_York`). */
export function isKnownTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export interface Validity {
  daysToExpire: number;
  oneDay: boolean;
}

/**
 * When a purchase stops being valid (B6): 23:59:59.999 local time, in the zone of the
 * location where it was bought, on the purchase's local date + daysToExpire.
 * A one-day package expires at the end of its purchase date (B8); 0 days never expires.
 * Calendar arithmetic is done on local dates so a DST change inside the window
 * moves nothing.
 */
export function expiresAt(
  purchasedAt: Date,
  timeZone: string,
  validity: Validity,
  frozenDays = 0,
): Date | null {
  if (!validity.oneDay && validity.daysToExpire === 0) return null;
  // Days frozen (issue 20) move the expiry date by whole local days, like the validity itself.
  const days = (validity.oneDay ? 0 : validity.daysToExpire) + frozenDays;
  return DateTime.fromJSDate(purchasedAt, { zone: timeZone }).plus({ days }).endOf('day').toJSDate();
}

/** The instants a stretch of local dates (both ends included) covers in a zone. */
export function localDays(from: string, to: string, timeZone: string): { startsAt: Date; endsAt: Date } {
  return {
    startsAt: DateTime.fromISO(from, { zone: timeZone }).startOf('day').toJSDate(),
    endsAt: DateTime.fromISO(to, { zone: timeZone }).endOf('day').toJSDate(),
  };
}

/** Calendar days from one local date to another (yyyy-mm-dd), whatever DST does between. */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days,
  );
}

/** A local date moved by whole days. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? date;
}

/** The local calendar date (yyyy-mm-dd) of an instant in a zone. */
export function localDate(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toISODate() ?? '';
}

export interface Window {
  purchasedAt: Date;
  expiresAt: Date | null;
}

/**
 * B6: a purchase can pay for a session when it was bought no later than the session's
 * end and expires no earlier than the session's start.
 */
export function coversSessionTime(window: Window, session: { startsAt: Date; endsAt: Date }): boolean {
  if (window.purchasedAt.getTime() > session.endsAt.getTime()) return false;
  return window.expiresAt === null || window.expiresAt.getTime() >= session.startsAt.getTime();
}

/** B8: a one-day package is judged at booking time instead of the session's time. */
export function validAt(window: Window, at: Date): boolean {
  if (window.purchasedAt.getTime() > at.getTime()) return false;
  return window.expiresAt === null || window.expiresAt.getTime() >= at.getTime();
}
