import type { EventMap, PunchcardEvent } from '../../src/index.ts';

/** What Club OS learns of one booking, check-in, no-show or cancellation of a flagged item (seed 000). */
export interface ClubOsCalendarEvent {
  type: 'calendar_event';
  event: 'booked' | 'checked_in' | 'no_show' | 'canceled';
  reservationId: string;
  clientId: string;
  sessionId: string;
  itemId: string;
  locationId: string;
  startsAt: string;
  endsAt: string;
  /** The item is a personal-training session: Club OS qualifies PT follow-up statuses on it. */
  personalTraining: boolean;
}

const calendarChanges = new Set(['booked', 'checked_in', 'no_show', 'canceled']);

/**
 * The calendar event to send for a `reservation.changed`, or null: only items flagged
 * `integrations.clubOs`, and only the four changes Club OS's calendar knows (staff
 * moving a credit to another purchase is not one). Each change is one outbox event,
 * so each is sent once (its retries carry the event's own idempotency key).
 */
export function calendarEvent(event: PunchcardEvent): ClubOsCalendarEvent | null {
  if (event.name !== 'reservation.changed') return null;
  const p: EventMap['reservation.changed'] = event.payload;
  if (p.itemIntegrations?.clubOs !== true || !calendarChanges.has(p.change)) return null;
  return {
    type: 'calendar_event',
    event: p.change as ClubOsCalendarEvent['event'],
    reservationId: p.reservationId,
    clientId: p.clientId,
    sessionId: p.sessionId,
    itemId: p.itemId,
    locationId: p.locationId,
    startsAt: p.startsAt,
    endsAt: p.endsAt,
    personalTraining: p.bucketType === 'personal_training',
  };
}

/** One key per outbox event: the same on every retry, unique across tenants and changes. */
export const calendarIdempotencyKey = (tenantId: string, eventId: string) =>
  `punchcard:${tenantId}:event:${eventId}`;
