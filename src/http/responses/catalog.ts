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
      itemType: nullable(Type.String({ description: 'The id of an item type (see /v1/item-types)' })),
      bucketType: enumOf(bucketTypes),
      integrations: Type.Record(Type.String(), Type.Boolean(), {
        description: 'Per-item integration flags, e.g. `{ "clubOs": true }`',
      }),
    },
    closed,
  ),
);

export const ItemType = component(
  'ItemType',
  Type.Object(
    {
      id: Type.String(),
      name: Type.String(),
      schedulerBucket: Type.Boolean({
        description: 'B7: a session-bucket plan of this type grants its sessions',
      }),
    },
    closed,
  ),
);

export const ItemTypes = component('ItemTypes', Type.Object({ itemTypes: Type.Array(ItemType) }, closed));

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
      cap: nullable(
        Type.Object(
          {
            count,
            period: enumOf(['day', 'week', 'month']),
            anchor: enumOf(['calendar', 'purchase']),
            mode: enumOf(['refuse', 'no_credit']),
            rollover: Type.Optional(Type.Object({ max: count }, closed)),
          },
          { ...closed, description: 'Visits allowed per period (null: uncapped)' },
        ),
      ),
      maxFreezeDays: nullable(count),
      lowBalanceAt: nullable(count),
      expiringNoticeDays: nullable(count),
    },
    closed,
  ),
);

export const PlanList = component(
  'PlanList',
  Type.Object({ plans: Type.Array(Plan, { description: 'By name, then id' }) }, closed),
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
      staffId: nullable(Type.String({ description: 'Who runs the session' })),
      canceledAt: nullable(at),
      capacity: nullable(
        Type.Integer({ minimum: 1, description: 'Seats; a full session keeps a waitlist. Null: unlimited' }),
      ),
    },
    closed,
  ),
);
