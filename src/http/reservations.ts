import { type Context, Hono } from 'hono';
import Type, { type Static } from 'typebox';
import { claimLabel } from '../credits/claim-label.ts';
import type { CreditContext } from '../credits/context.ts';
import { bookQuickly } from '../credits/fast-booking.ts';
import type { ReservationExplain } from '../credits/reservation-credit.ts';
import { book, changeStatus, lockedReservation, reassign } from '../credits/reservations.ts';
import { channels } from '../domain/enums.ts';
import type { Reservation } from '../domain/reservation.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { created, describeOperation, ok } from './openapi.ts';
import { Reservation as ReservationSchema } from './responses/reservations.ts';
import { callerId, refId, stringEnum } from './schemas.ts';
import { readBody } from './validate.ts';

export const CreateReservation = Type.Object(
  { id: Type.Optional(callerId), clientId: refId, sessionId: refId, channel: stringEnum(channels) },
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

export async function presentReservation(
  ctx: CreditContext,
  r: Reservation,
): Promise<Static<typeof ReservationSchema>> {
  const label = await claimLabel(
    ctx.tx,
    ctx.tenantId,
    {
      purchaseId: r.purchaseId ?? null,
      creditState: r.creditState,
      noShow: r.status === 'no_show',
      keyPrefix: `r:${r.id}`,
    },
    ctx.active.policy.settings.unlimitedLabelThreshold,
  );
  return {
    id: r.id,
    clientId: r.clientId,
    sessionId: r.sessionId,
    channel: r.channel,
    status: r.status,
    purchaseId: r.creditState === 'none' ? null : (r.purchaseId ?? null),
    manualPurchase: r.manualPurchase,
    credit: { state: r.creditState, units: r.coveredUnits },
    label,
    // A JSON column: the engine writes a ReservationExplain (engine-fit.ts checks it fits the schema).
    explain: (r.explain ?? null) as ReservationExplain | null,
  };
}

const statusRoute = (to: 'checked_in' | 'no_show' | 'canceled') => async (c: Context<AppEnv>) => {
  const ctx = await creditContext(c);
  const r = await changeStatus(ctx, c.req.param('id') ?? '', to);
  return c.json(await presentReservation(ctx, r));
};

export const reservationRoutes = new Hono<AppEnv>()
  .use(requireRole('staff'))
  .post('/', async (c) => {
    const body = await readBody(c, CreateReservation);
    const ctx = await creditContext(c);
    const quick = await bookQuickly(ctx, body);
    if (quick) return c.json(quick, 201);
    const r = await book(ctx, body);
    return c.json(await presentReservation(ctx, r), 201);
  })
  .get('/:id', async (c) => {
    const ctx = await creditContext(c);
    const r = await lockedReservation(ctx, c.req.param('id'));
    return c.json(await presentReservation(ctx, r));
  })
  .put('/:id/purchase', async (c) => {
    const body = await readBody(c, AssignPurchase);
    const ctx = await creditContext(c);
    const r = await reassign(ctx, c.req.param('id'), body.purchaseId);
    return c.json(await presentReservation(ctx, r));
  })
  .post('/:id/check-in', statusRoute('checked_in'))
  .post('/:id/no-show', statusRoute('no_show'))
  .post('/:id/cancel', statusRoute('canceled'));
