import Type from 'typebox';
import { ledgerKinds, planKinds, purchaseSources, purchaseStatuses } from '../../domain/enums.ts';
import { component } from '../openapi.ts';
import { at, closed, count, enumOf, nullable } from './common.ts';

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
