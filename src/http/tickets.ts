import { type Context, Hono } from 'hono';
import Type, { type Static } from 'typebox';
import { claimLabel } from '../credits/claim-label.ts';
import { commissionBase } from '../credits/commission.ts';
import type { CreditContext } from '../credits/context.ts';
import { lineKey } from '../credits/line-credit.ts';
import { lockedTicket, moveTicket, openTicket } from '../credits/tickets.ts';
import { Plan } from '../domain/plan.ts';
import { Purchase } from '../domain/purchase.ts';
import { Reservation } from '../domain/reservation.ts';
import type { Ticket } from '../domain/ticket.ts';
import { TicketLine } from '../domain/ticket-line.ts';
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

const covering = new Set(['assigned', 'held', 'used']);

/** The ticket as the POS shows it: each line's credit, amount due, commission base and label. */
export async function presentTicket(
  ctx: CreditContext,
  ticket: Ticket,
): Promise<Static<typeof TicketSchema>> {
  const lines = await ctx.tx.find(TicketLine, { ticketId: ticket.id }, { orderBy: { lineNo: 'asc' } });
  const shown = [];
  for (const line of lines) {
    const r = line.reservationId ? await ctx.tx.findOneOrFail(Reservation, { id: line.reservationId }) : null;
    const claim = r ?? line;
    const covered = covering.has(claim.creditState) ? claim.coveredUnits : 0;
    const purchase =
      covered > 0 && claim.purchaseId ? await ctx.tx.findOne(Purchase, { id: claim.purchaseId }) : null;
    const plan = purchase ? await ctx.tx.findOne(Plan, { id: purchase.planId }) : null;
    const label = await claimLabel(
      ctx.tx,
      ctx.tenantId,
      {
        purchaseId: claim.purchaseId ?? null,
        creditState: claim.creditState,
        noShow: r?.status === 'no_show',
        keyPrefix: r ? `r:${r.id}` : lineKey(line),
      },
      ctx.active.policy.settings.unlimitedLabelThreshold,
    );
    shown.push({
      lineNo: line.lineNo,
      itemId: line.itemId,
      reservationId: line.reservationId ?? null,
      unitPrice: line.unitPrice,
      units: line.units,
      coveredUnits: covered,
      purchaseId: covered > 0 ? (claim.purchaseId ?? null) : null,
      credit: { state: claim.creditState },
      amountDue: (line.units - covered) * line.unitPrice,
      retail: line.units * line.unitPrice,
      commissionBase: commissionBase({
        unitPrice: line.unitPrice,
        units: line.units,
        covered,
        plan: plan ? { price: plan.price, credits: plan.credits ?? null, commission: plan.commission } : null,
      }),
      label,
    });
  }
  return {
    id: ticket.id,
    clientId: ticket.clientId,
    locationId: ticket.locationId,
    manual: ticket.manual,
    status: ticket.status,
    voidReason: ticket.voidReason ?? null,
    lines: shown,
    total: shown.reduce((sum, l) => sum + l.amountDue, 0),
    retailTotal: shown.reduce((sum, l) => sum + l.retail, 0),
    policyVersion: ticket.policyVersion ?? null,
  };
}

const moveRoute = (action: 'save' | 'close' | 'void' | 'refund') => async (c: Context<AppEnv>) => {
  const ctx = await creditContext(c);
  const ticket = await moveTicket(ctx, c.req.param('id') ?? '', action);
  return c.json(await presentTicket(ctx, ticket));
};

export const ticketRoutes = new Hono<AppEnv>()
  .use(requireRole('staff'))
  .post('/', async (c) => {
    const body = await readBody(c, CreateTicket);
    const ctx = await creditContext(c);
    const ticket = await openTicket(ctx, body);
    return c.json(await presentTicket(ctx, ticket), 201);
  })
  .get('/:id', async (c) => {
    const ctx = await creditContext(c);
    return c.json(await presentTicket(ctx, await lockedTicket(ctx, c.req.param('id'))));
  })
  .post('/:id/save', moveRoute('save'))
  .post('/:id/close', moveRoute('close'))
  .post('/:id/void', moveRoute('void'))
  .post('/:id/refund', moveRoute('refund'));
