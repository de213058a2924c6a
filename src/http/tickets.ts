import { type Context, Hono } from 'hono';
import Type from 'typebox';
import { moveTicket, openTicket, showTicket } from '../credits/tickets.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { describeOperation } from './openapi.ts';
import { callerId, money, refId } from './schemas.ts';
import { readBody } from './validate.ts';

export const CreateTicket = Type.Object(
  {
    id: Type.Optional(callerId),
    clientId: refId,
    locationId: refId,
    manual: Type.Optional(Type.Boolean({ description: 'Processed by hand by staff (B15)' })),
    lines: Type.Array(
      Type.Object(
        {
          itemId: refId,
          reservationId: Type.Optional(refId),
          price: Type.Optional(money),
          units: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
describeOperation({
  method: 'post',
  path: '/v1/tickets',
  summary: 'Ring up a ticket; credits are allocated to its lines',
  access: 'staff',
  body: CreateTicket,
  success: 201,
});
describeOperation({
  method: 'get',
  path: '/v1/tickets/{id}',
  summary: 'A ticket and its lines',
  access: 'staff',
});
for (const action of ['save', 'close', 'void', 'refund']) {
  describeOperation({
    method: 'post',
    path: `/v1/tickets/{id}/${action}`,
    summary: `Ticket lifecycle: ${action}`,
    access: 'staff',
  });
}

const moveRoute = (action: 'save' | 'close' | 'void' | 'refund') => async (c: Context<AppEnv>) => {
  const ctx = await creditContext(c);
  return c.json(await moveTicket(ctx, c.req.param('id') ?? '', action));
};

export const ticketRoutes = new Hono<AppEnv>()
  .use(requireRole('staff'))
  .post('/', async (c) => {
    const body = await readBody(c, CreateTicket);
    const ctx = await creditContext(c);
    return c.json(await openTicket(ctx, body), 201);
  })
  .get('/:id', async (c) => {
    const ctx = await creditContext(c);
    return c.json(await showTicket(ctx, c.req.param('id')));
  })
  .post('/:id/save', moveRoute('save'))
  .post('/:id/close', moveRoute('close'))
  .post('/:id/void', moveRoute('void'))
  .post('/:id/refund', moveRoute('refund'));
