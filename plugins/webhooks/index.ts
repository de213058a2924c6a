import type { EventName, IntegrationPlugin } from '../../src/index.ts';
import { checkSecret, signatureHeader } from './signature.ts';

const allEvents: EventName[] = [
  'purchase.created',
  'purchase.changed',
  'credit.changed',
  'reservation.changed',
  'reservation.penalty',
  'ticket.changed',
  'policy.changed',
  'purchase.members_changed',
  'purchase.transferred',
  'purchase.frozen',
  'purchase.unfrozen',
  'credits.low',
  'credits.expiring',
  'waitlist.joined',
  'waitlist.promoted',
  'waitlist.skipped',
  'waitlist.left',
];

/**
 * Signed webhooks (Standard Webhooks): each event type the tenant chose is POSTed to
 * its endpoint as `{type, timestamp, data}`, with `webhook-id` (the event id, the same
 * on every retry, for deduplication), `webhook-timestamp` (Unix seconds, for replay
 * protection) and `webhook-signature`. A non-2xx answer (a redirect included) or a
 * timeout is retried.
 */
export default function webhooks(): IntegrationPlugin {
  return {
    name: 'webhooks',
    events: allEvents,
    credential: 'secret',
    checkCredential: checkSecret,
    async handle(event, ctx) {
      const body = JSON.stringify({
        type: event.name,
        timestamp: ctx.delivery.occurredAt,
        data: event.payload,
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const secrets = [ctx.config.credential, ...ctx.config.previousCredentials];
      await ctx.send({
        headers: {
          'content-type': 'application/json',
          'webhook-id': ctx.delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(secrets, ctx.delivery.id, timestamp, body),
        },
        body,
      });
    },
  };
}
