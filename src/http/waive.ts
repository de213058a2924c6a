import { Hono } from 'hono';
import Type from 'typebox';
import { waive } from '../credits/waive.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { describeOperation, ok } from './openapi.ts';
import { Reservation } from './responses/reservations.ts';
import { readBody } from './validate.ts';

export const WaiveNoShow = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'Why the no-show or late cancel is not charged',
    }),
  },
  { additionalProperties: false },
);

describeOperation({
  method: 'post',
  path: '/v1/reservations/{id}/waive',
  operationId: 'waiveReservationNoShow',
  tag: 'Reservations',
  summary:
    'Give back the credit a counted no-show used, or a forfeited late cancel or no-show (clearing its fee); staff, unless the settings say staffMayWaive: false; then admin',
  access: 'staff',
  body: WaiveNoShow,
  success: ok(Reservation, 'The no-show, its credit released by a waive entry, and why'),
  errors: [403, 409],
});

export const waiveRoutes = new Hono<AppEnv>().use(requireRole('staff')).post('/:id/waive', async (c) => {
  const body = await readBody(c, WaiveNoShow);
  return c.json(await waive(creditContext(c), c.req.param('id'), body.reason));
});
