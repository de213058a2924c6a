import Type from 'typebox';
import { component } from '../openapi.ts';
import { at, closed, count, nullable } from './common.ts';
import { Purchase } from './purchases.ts';

const localDate = Type.String({ description: 'Local date at the purchase location (yyyy-mm-dd)' });

export const Freeze = component(
  'Freeze',
  Type.Object(
    {
      id: Type.String(),
      purchaseId: Type.String(),
      from: localDate,
      to: Type.String({ description: 'Last frozen local date (an early unfreeze moves it back)' }),
      days: Type.Integer({
        minimum: 0,
        description: 'Days it adds to the expiry (0 once undone before it began)',
      }),
      reason: Type.String(),
      actor: Type.String(),
      createdAt: at,
      unfrozenAt: nullable(at),
      unfreezeReason: nullable(Type.String()),
    },
    closed,
  ),
);

export const FreezeResult = component(
  'FreezeResult',
  Type.Object({ freeze: Freeze, purchase: Purchase }, closed),
);

export const FreezeList = component(
  'FreezeList',
  Type.Object(
    {
      purchase: Purchase,
      frozenDays: { ...count, description: 'Days all its freezes added to the expiry' },
      freezes: Type.Array(Freeze),
    },
    closed,
  ),
);
