import Type from 'typebox';
import { bucketTypes, commissionBases, itemKinds, planKinds } from '../../domain/enums.ts';
import { component } from '../openapi.ts';
import { amount, at, closed, count, enumOf, nullable } from './common.ts';

export const Location = component(
  'Location',
  Type.Object({ id: Type.String(), name: Type.String(), timeZone: Type.String() }, closed),
);

export const Item = component(
  'Item',
  Type.Object(
    {
      id: Type.String(),
      name: Type.String(),
      kind: enumOf(itemKinds),
      price: amount,
      itemType: nullable(Type.String()),
      bucketType: enumOf(bucketTypes),
    },
    closed,
  ),
);

export const Plan = component(
  'Plan',
  Type.Object(
    {
      id: Type.String(),
      name: Type.String(),
      kind: enumOf(planKinds),
      credits: nullable(count),
      unlimited: Type.Boolean(),
      price: amount,
      daysToExpire: count,
      oneDay: Type.Boolean(),
      bucketType: nullable(enumOf(bucketTypes)),
      itemType: nullable(Type.String()),
      priority: count,
      itemIds: Type.Array(Type.String()),
      commission: Type.Object(
        { basis: enumOf(commissionBases), internalPrice: Type.Optional(amount) },
        closed,
      ),
      integrations: Type.Record(Type.String(), Type.Boolean()),
    },
    closed,
  ),
);

export const Client = component(
  'Client',
  Type.Object({ id: Type.String(), name: Type.String(), email: nullable(Type.String()) }, closed),
);

export const Session = component(
  'Session',
  Type.Object(
    {
      id: Type.String(),
      itemId: Type.String(),
      locationId: Type.String(),
      startsAt: at,
      endsAt: at,
      price: nullable(amount),
      units: count,
      sweptAt: nullable(at),
      canceledAt: nullable(at),
    },
    closed,
  ),
);
