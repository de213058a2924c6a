import Type from 'typebox';
import { component } from '../http/openapi.ts';
import { at, closed, count, nullable } from '../http/responses/common.ts';
import { Purchase } from '../http/responses/purchases.ts';

const deliveryStatus = Type.Enum(['pending', 'delivered', 'failing']);

export const IntegrationSettingsView = component(
  'IntegrationSettings',
  Type.Object(
    {
      name: Type.String(),
      enabled: Type.Boolean(),
      url: nullable(Type.String()),
      events: Type.Array(Type.String()),
      availableEvents: Type.Array(Type.String()),
      apiKeySet: Type.Optional(Type.Boolean()),
      secretSet: Type.Optional(Type.Boolean()),
      previousSecretsExpireAt: Type.Optional(Type.Array(at)),
      updatedAt: nullable(at),
    },
    { ...closed, description: 'Never a secret: only whether one is set' },
  ),
);

export const Delivery = component(
  'Delivery',
  Type.Object(
    {
      eventId: Type.String(),
      event: Type.String(),
      subject: nullable(Type.String()),
      status: deliveryStatus,
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
  Type.Object({ deliveries: Type.Array(Delivery), nextBefore: nullable(count) }, closed),
);

const IntegrationStatus = Type.Object(
  {
    status: deliveryStatus,
    attempts: count,
    lastError: nullable(Type.String()),
    nextAttemptAt: nullable(at),
  },
  closed,
);

export const PurchaseWithIntegrations = component(
  'PurchaseWithIntegrations',
  Type.Object(
    { ...Purchase.properties, integrations: Type.Optional(Type.Record(Type.String(), IntegrationStatus)) },
    { ...closed, description: 'A purchase and, per integration, the delivery of its purchase.created' },
  ),
);
