import { type Context, Hono } from 'hono';
import Type from 'typebox';
import { book } from '../credits/book.ts';
import { reassign } from '../credits/reassign.ts';
import { changeStatus, showReservation } from '../credits/reservation-status.ts';
import { channels } from '../domain/enums.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { created, describeOperation, ok } from './openapi.ts';
import { Reservation as ReservationSchema } from './responses/reservations.ts';
import { callerId, refId, stringEnum } from './schemas.ts';
import { readBody } from './validate.ts';

export const CreateReservation = Type.Object(
  {
    id: Type.Optional(callerId),
    clientId: refId,
    sessionId: refId,
    channel: stringEnum(channels),
    purchaseId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'Pay with this purchase; 422 at /purchaseId, with the reason, when the policy would not let it pay',
      }),
    ),
  },
  { additionalProperties: false },
);
export const AssignPurchase = Type.Object({ purchaseId: refId }, { additionalProperties: false });

describeOperation({
  method: 'post',
  path: '/v1/reservations',
  operationId: 'createReservation',
  tag: 'Reservations',
  summary: 'Book a client into a session',
  access: 'staff',
  body: CreateReservation,
  success: created(ReservationSchema, 'The reservation, its credit and why'),
  errors: [409],
});
describeOperation({
  method: 'get',
  path: '/v1/reservations/{id}',
  operationId: 'getReservation',
  tag: 'Reservations',
  summary: 'A reservation, its credit and why (explain)',
  access: 'staff',
  success: ok(ReservationSchema),
});
describeOperation({
  method: 'put',
  path: '/v1/reservations/{id}/purchase',
  operationId: 'assignReservationPurchase',
  tag: 'Reservations',
  summary: 'Assign a purchase by hand (B5)',
  access: 'staff',
  body: AssignPurchase,
  success: ok(ReservationSchema),
  errors: [409],
});
const statusActions = {
  'check-in': ['checkInReservation', 'Check the client in'],
  'no-show': ['markReservationNoShow', 'Mark the client a no-show'],
  cancel: ['cancelReservation', 'Cancel the reservation'],
} as const;
for (const [action, [operationId, summary]] of Object.entries(statusActions)) {
  describeOperation({
    method: 'post',
    path: `/v1/reservations/{id}/${action}`,
    operationId,
    tag: 'Reservations',
    summary,
    access: 'staff',
    success: ok(ReservationSchema),
    errors: [409],
  });
}

const statusRoute = (to: 'checked_in' | 'no_show' | 'canceled') => async (c: Context<AppEnv>) => {
  const ctx = await creditContext(c);
  return c.json(await changeStatus(ctx, c.req.param('id') ?? '', to));
};

export const reservationRoutes = new Hono<AppEnv>()
  .use(requireRole('staff'))
  .post('/', async (c) => {
    const body = await readBody(c, CreateReservation);
    const ctx = await creditContext(c);
    return c.json(await book(ctx, body), 201);
  })
  .get('/:id', async (c) => {
    const ctx = await creditContext(c);
    return c.json(await showReservation(ctx, c.req.param('id')));
  })
  .put('/:id/purchase', async (c) => {
    const body = await readBody(c, AssignPurchase);
    const ctx = await creditContext(c);
    return c.json(await reassign(ctx, c.req.param('id'), body.purchaseId));
  })
  .post('/:id/check-in', statusRoute('checked_in'))
  .post('/:id/no-show', statusRoute('no_show'))
  .post('/:id/cancel', statusRoute('canceled'));
