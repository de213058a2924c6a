import { type Context, Hono } from 'hono';
import Type from 'typebox';
import { moveTicket, openTicket, showTicket } from '../credits/tickets.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { created, describeOperation, ok } from './openapi.ts';
import { Ticket as TicketSchema } from './responses/tickets.ts';
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
  operationId: 'createTicket',
  tag: 'Tickets',
  summary: 'Ring up a ticket; credits are allocated to its lines',
  access: 'staff',
  body: CreateTicket,
  success: created(TicketSchema),
  errors: [409],
});
describeOperation({
  method: 'get',
  path: '/v1/tickets/{id}',
  operationId: 'getTicket',
  tag: 'Tickets',
  summary: 'A ticket and its lines',
  access: 'staff',
  success: ok(TicketSchema),
});
const ticketActions = {
  save: ['saveTicket', 'Save the ticket'],
  close: ['closeTicket', 'Close (pay) the ticket'],
  void: ['voidTicket', 'Void the ticket (its credits are given back)'],
  refund: ['refundTicket', 'Refund the closed ticket (its credits are given back)'],
} as const;
for (const [action, [operationId, summary]] of Object.entries(ticketActions)) {
  describeOperation({
    method: 'post',
    path: `/v1/tickets/{id}/${action}`,
    operationId,
    tag: 'Tickets',
    summary,
    access: 'staff',
    success: ok(TicketSchema),
    errors: [409],
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
