import { Hono } from 'hono';
import Type from 'typebox';
import { catchUp } from '../credits/catch-up.ts';
import { Client } from '../domain/client.ts';
import { Plan } from '../domain/plan.ts';
import { Purchase } from '../domain/purchase.ts';
import { conflict, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import { type AppEnv, tenantOf } from './env.ts';
import { created, describeOperation, ok } from './openapi.ts';
import { presentClient, presentPurchase } from './present.ts';
import { Client as ClientSchema } from './responses/catalog.ts';
import { Balances } from './responses/purchases.ts';
import { callerId, name } from './schemas.ts';
import { readBody } from './validate.ts';

export const CreateClient = Type.Object(
  { id: Type.Optional(callerId), name },
  { additionalProperties: false },
);
describeOperation({
  method: 'post',
  path: '/v1/clients',
  operationId: 'createClient',
  tag: 'Clients',
  summary: 'Create a client',
  access: 'staff',
  body: CreateClient,
  success: created(ClientSchema),
  errors: [409],
});
describeOperation({
  method: 'get',
  path: '/v1/clients/{id}/balances',
  operationId: 'getClientBalances',
  tag: 'Clients',
  summary: "A client's purchases and balances",
  access: 'staff',
  success: ok(Balances, 'Every purchase of the client, oldest first'),
});

export const clientRoutes = new Hono<AppEnv>()
  .post('/', requireRole('staff'), async (c) => {
    const body = await readBody(c, CreateClient);
    const em = c.var.em;
    if (body.id && (await em.findOne(Client, { id: body.id })))
      throw conflict(`client '${body.id}' already exists`);
    const client = em.create(Client, { tenantId: tenantOf(c), id: body.id ?? newId('cli'), name: body.name });
    await em.flush();
    return c.json(presentClient(client), 201);
  })
  .get('/:id/balances', requireRole('staff'), async (c) => {
    const em = c.var.em;
    const id = c.req.param('id');
    const client = await em.findOne(Client, { id });
    if (!client) throw notFound('client', id);
    await catchUp(await creditContext(c), { clientId: id });
    const purchases = await em.find(
      Purchase,
      { clientId: id },
      { orderBy: { purchasedAt: 'asc', id: 'asc' } },
    );
    const plans = await em.find(Plan, { id: { $in: [...new Set(purchases.map((p) => p.planId))] } });
    const planOf = new Map(plans.map((p) => [p.id, p]));
    return c.json({
      clientId: id,
      purchases: purchases.map((p) =>
        presentPurchase(p, planOf.get(p.planId) ?? { kind: 'package', name: '' }),
      ),
    });
  });
