import Type from 'typebox';
import { component } from '../openapi.ts';
import { at, closed, count, enumOf, nullable } from './common.ts';

const deliveryStatuses = ['pending', 'delivered', 'failing', 'skipped'] as const;

export const IntegrationStatus = component(
  'IntegrationStatus',
  Type.Object(
    {
      status: enumOf(deliveryStatuses),
      attempts: count,
      lastError: nullable(Type.String()),
      nextAttemptAt: nullable(at),
    },
    { ...closed, description: "An integration's delivery of the purchase" },
  ),
);

export const IntegrationConfig = component(
  'IntegrationConfig',
  Type.Object(
    {
      name: Type.String(),
      enabled: Type.Boolean(),
      url: nullable(Type.String()),
      events: Type.Array(Type.String()),
      availableEvents: Type.Array(Type.String()),
      apiKeySet: Type.Optional(Type.Boolean({ description: 'An API key is stored (never shown)' })),
      secretSet: Type.Optional(Type.Boolean({ description: 'A signing secret is stored (never shown)' })),
      previousSecretsExpireAt: Type.Optional(
        Type.Array(at, { description: 'Rotated secrets still accepted' }),
      ),
      updatedAt: nullable(at),
    },
    { ...closed, description: "A tenant's settings for one integration; secrets are never shown" },
  ),
);

export const Delivery = component(
  'Delivery',
  Type.Object(
    {
      eventId: Type.String(),
      event: Type.String(),
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
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Page size (50)' })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'The `nextBefore` of the previous page' })),
  },
  { additionalProperties: false },
);
