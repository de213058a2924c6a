import Type from 'typebox';
import { ledgerKinds, planKinds, purchaseSources, purchaseStatuses } from '../../domain/enums.ts';
import { component } from '../openapi.ts';
import { at, closed, count, enumOf, nullable } from './common.ts';
import { IntegrationStatus } from './integrations.ts';

export const PoolMember = component(
  'PoolMember',
  Type.Object(
    {
      clientId: Type.String(),
      cap: nullable(
        Type.Integer({ minimum: 1, description: 'Most credits the member may hold or have used at once' }),
      ),
      used: Type.Integer({ description: 'Credits of the purchase the member holds or used now' }),
    },
    closed,
  ),
);

export const Purchase = component(
  'Purchase',
  Type.Object(
    {
      id: Type.String(),
      clientId: Type.String(),
      planId: Type.String(),
      planName: Type.String(),
      kind: enumOf(planKinds),
      locationId: Type.String(),
      source: enumOf(purchaseSources),
      purchasedAt: at,
      expiresAt: nullable(at),
      status: enumOf(purchaseStatuses),
      unlimited: Type.Boolean(),
      total: count,
      used: count,
      held: count,
      deducted: count,
      expired: count,
      remaining: Type.Integer({ description: 'total − held − used − deducted − expired' }),
      label: nullable(Type.String({ description: 'What the POS shows for a new line (B20)' })),
      members: Type.Optional(
        Type.Array(PoolMember, {
          description:
            'The household it is shared with (absent when it is not shared): any member may be paid from it',
        }),
      ),
      sharedBy: Type.Optional(
        Type.Object(
          {
            ownerId: Type.String(),
            cap: nullable(count),
            used: count,
          },
          {
            ...closed,
            description:
              "In a member's balances: the purchase is the owner's, shared with this client, who holds or used `used` credits of it under `cap`",
          },
        ),
      ),
    },
    closed,
  ),
);

export const PurchaseDetail = component(
  'PurchaseDetail',
  Type.Object(
    {
      ...Purchase.properties,
      integrations: Type.Record(Type.String(), IntegrationStatus, {
        description: "Each integration's delivery of the sale, by integration name",
      }),
    },
    closed,
  ),
);

export const LedgerEntry = component(
  'LedgerEntry',
  Type.Object(
    {
      id: Type.String(),
      kind: enumOf(ledgerKinds),
      delta: Type.Object(
        { total: count, held: count, used: count, deducted: count, expired: count },
        { ...closed, description: "The entry's change to each counter" },
      ),
      clientId: nullable(
        Type.String({
          description: 'Whom the credits moved for: the pool member who used them, else the owner',
        }),
      ),
      reservationId: nullable(Type.String()),
      ticketId: nullable(Type.String()),
      actor: Type.String(),
      reason: nullable(Type.String()),
      policyVersion: nullable(count),
      occurredAt: at,
    },
    closed,
  ),
);

export const Ledger = component(
  'Ledger',
  Type.Object({ purchase: Purchase, entries: Type.Array(LedgerEntry) }, closed),
);

export const Balances = component(
  'Balances',
  Type.Object({ clientId: Type.String(), purchases: Type.Array(Purchase) }, closed),
);
