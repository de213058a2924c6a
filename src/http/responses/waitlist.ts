import Type from 'typebox';
import { component } from '../openapi.ts';
import { at, closed, count, nullable } from './common.ts';

export const WaitlistEntry = component(
  'WaitlistEntry',
  Type.Object(
    {
      id: Type.String(),
      clientId: Type.String(),
      position: Type.Integer({ minimum: 1, description: '1 is next in line' }),
      joinedAt: at,
      purchaseId: nullable(Type.String({ description: 'The purchase holding credits for the entry' })),
      heldUnits: count,
    },
    closed,
  ),
);

export const Waitlist = component(
  'Waitlist',
  Type.Object(
    {
      sessionId: Type.String(),
      capacity: nullable(Type.Integer({ minimum: 1, description: 'Null: unlimited, never full' })),
      taken: count,
      waiting: Type.Array(WaitlistEntry),
    },
    closed,
  ),
);

export const WaitlistLeft = component(
  'WaitlistLeft',
  Type.Object(
    { id: Type.String(), clientId: Type.String(), sessionId: Type.String(), status: Type.Literal('left') },
    closed,
  ),
);
