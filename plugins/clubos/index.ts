import type { EventMap, IntegrationPlugin, PunchcardEvent } from '../../src/index.ts';
import { calendarEvent, calendarIdempotencyKey } from './calendar.ts';

/** What Club OS receives for one purchase (B23). */
export type ClubOsPurchase = Omit<EventMap['purchase.created'], 'integrations'> & { items: string[] };

/**
 * Club OS forwarding (B23): every purchase of a plan flagged `integrations.clubOs`,
 * sold at the point of sale or by a recurring add-on, is POSTed as JSON to the
 * tenant's Club OS endpoint; so are the bookings, check-ins, no-shows and
 * cancellations of items flagged `integrations.clubOs` (calendar events, see
 * calendar.ts). The Idempotency-Key is the same on every retry, so Club
 * OS keeps one copy however many times a timeout makes us send it again.
 */
export default function clubos(): IntegrationPlugin {
  return {
    name: 'clubos',
    events: ['purchase.created', 'reservation.changed'],
    credential: 'apiKey',
    checkCredential: checkApiKey,
    accepts: (event) => isPurchaseForClubOs(event) || calendarEvent(event) !== null,
    async handle(event, ctx) {
      let body: unknown;
      let key: string;
      if (event.name === 'purchase.created') {
        const { integrations: _flags, ...purchase } = event.payload;
        body = { ...purchase, items: purchase.itemIds } satisfies ClubOsPurchase;
        key = idempotencyKey(ctx.tenantId, purchase.purchaseId);
      } else {
        const calendar = calendarEvent(event);
        if (!calendar) return;
        body = calendar;
        key = calendarIdempotencyKey(ctx.tenantId, ctx.delivery.id);
      }
      await ctx.send({
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${ctx.config.credential}`,
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      });
    },
  };
}

const isPurchaseForClubOs = (event: PunchcardEvent) =>
  event.name === 'purchase.created' && event.payload.integrations?.clubOs === true;

/** One key per purchase: stable across retries and restarts, unique across tenants. */
export const idempotencyKey = (tenantId: string, purchaseId: string) =>
  `punchcard:${tenantId}:purchase:${purchaseId}`;

/**
 * The key goes into an Authorization header: a control character (CR/LF would split
 * the header) or anything outside printable ASCII cannot be sent. The message never
 * repeats the key.
 */
export function checkApiKey(apiKey: string): string | null {
  return /^[\x21-\x7e]+$/.test(apiKey)
    ? null
    : 'must be printable ASCII without spaces or control characters (CR, LF, …)';
}
