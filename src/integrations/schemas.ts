import Type from 'typebox';
import type { EventName } from '../events.ts';
import { component } from '../http/openapi.ts';
import { at, closed, count, enumOf, nullable } from '../http/responses/common.ts';

/** The answer schemas of the integration routes, and a purchase's delivery status. */

const eventNames = [
  'purchase.created',
  'purchase.changed',
  'credit.changed',
  'reservation.changed',
  'ticket.changed',
  'policy.changed',
] as const satisfies readonly EventName[];

const deliveryStatuses = ['pending', 'delivered', 'failing'] as const;

export const IntegrationStatus = component(
  'IntegrationStatus',
  Type.Object(
    {
      status: enumOf(deliveryStatuses),
      attempts: count,
      lastError: nullable(Type.String()),
      nextAttemptAt: nullable(at),
    },
    { ...closed, description: "A purchase's delivery to one integration (B23)" },
  ),
);

export const PurchaseIntegrations = Type.Record(Type.String(), IntegrationStatus, {
  description: 'Delivery status per integration that takes this purchase, e.g. `clubos`',
});

export const IntegrationView = component(
  'Integration',
  Type.Object(
    {
      name: Type.String(),
      enabled: Type.Boolean(),
      url: nullable(Type.String()),
      events: Type.Array(enumOf(eventNames)),
      availableEvents: Type.Array(enumOf(eventNames)),
      apiKeySet: Type.Optional(Type.Boolean({ description: 'An API key is stored (never shown)' })),
      secretSet: Type.Optional(Type.Boolean({ description: 'A signing secret is stored (never shown)' })),
      previousSecretsExpireAt: Type.Optional(
        Type.Array(at, { description: 'Replaced secrets that still sign, until these instants' }),
      ),
      updatedAt: nullable(at),
    },
    { ...closed, description: "A tenant's settings for one integration; secrets are write-only" },
  ),
);

export const Delivery = component(
  'Delivery',
  Type.Object(
    {
      eventId: Type.String(),
      event: enumOf(eventNames),
      subject: nullable(Type.String()),
      status: enumOf(deliveryStatuses),
      attempts: count,
      lastError: nullable(Type.String()),
      nextAttemptAt: nullable(at),
      deliveredAt: nullable(at),
    },
    closed,
  ),
);

export const DeliveryPage = component(
  'DeliveryPage',
  Type.Object(
    {
      deliveries: Type.Array(Delivery),
      nextBefore: nullable(Type.Integer({ description: 'Pass as `before` for the next page' })),
    },
    closed,
  ),
);

export const DeliveryQuery = Type.Object(
  {
    status: Type.Optional(enumOf(deliveryStatuses)),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1 to 500 (default 50)' })),
    before: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,16}$', description: 'A page cursor (nextBefore)' }),
    ),
  },
  { additionalProperties: false },
);
