import { Hono } from 'hono';
import Type from 'typebox';
import { catchUp } from '../credits/catch-up.ts';
import { query } from '../db/sql.ts';
import { Client } from '../domain/client.ts';
import { Plan } from '../domain/plan.ts';
import { Purchase } from '../domain/purchase.ts';
import { conflict, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { requireRole } from './auth.ts';
import { ClientPage, ClientSearchQuery, searchClients } from './client-search.ts';
import { creditContext } from './credit-context.ts';
import { type AppEnv, tenantOf } from './env.ts';
import { created, describeOperation, ok } from './openapi.ts';
import { presentClient, presentPurchase, presentSharedPurchase } from './present.ts';
import { Client as ClientSchema } from './responses/catalog.ts';
import { Balances } from './responses/purchases.ts';
import { callerId, name } from './schemas.ts';
import { check, readBody } from './validate.ts';

/** Enough to tell an email from a name; the studio's own system checks deliverability. */
const email = Type.String({
  maxLength: 254,
  pattern: '^[^\\s@]+@[^\\s@]+$',
  description: "The client's email, so the front desk can find them by it",
});

export const CreateClient = Type.Object(
  { id: Type.Optional(callerId), name, email: Type.Optional(email) },
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
  path: '/v1/clients',
  operationId: 'searchClients',
  tag: 'Clients',
  summary: 'Find clients by the start of their name or email, a page at a time',
  access: 'staff',
  query: ClientSearchQuery,
  success: ok(
    ClientPage,
    'The matching clients in the order of the name (or, when the name does not match, the email) that matched, then id; and the next page',
  ),
});
describeOperation({
  method: 'get',
  path: '/v1/clients/{id}',
  operationId: 'getClient',
  tag: 'Clients',
  summary: 'One client: id, name, email',
  access: 'staff',
  success: ok(ClientSchema),
});
describeOperation({
  method: 'get',
  path: '/v1/clients/{id}/balances',
  operationId: 'getClientBalances',
  tag: 'Clients',
  summary: "A client's purchases and balances",
  access: 'staff',
  success: ok(
    Balances,
    'Every purchase of the client, and those shared with it (marked `sharedBy`), oldest first',
  ),
});

export const clientRoutes = new Hono<AppEnv>()
  .post('/', requireRole('staff'), async (c) => {
    const body = await readBody(c, CreateClient);
    const em = c.var.em;
    if (body.id && (await em.findOne(Client, { id: body.id })))
      throw conflict(`client '${body.id}' already exists`);
    const client = em.create(Client, {
      tenantId: tenantOf(c),
      id: body.id ?? newId('cli'),
      name: body.name,
      email: body.email ?? null,
    });
    await em.flush();
    return c.json(presentClient(client), 201);
  })
  .get('/', requireRole('staff'), async (c) => {
    const search = check(ClientSearchQuery, c.req.query(), 'query');
    return c.json(await searchClients(c.var.em, tenantOf(c), search));
  })
  .get('/:id', requireRole('staff'), async (c) => {
    const id = c.req.param('id');
    const client = await c.var.em.findOne(Client, { id });
    if (!client) throw notFound('client', id);
    return c.json(presentClient(client));
  })
  .get('/:id/balances', requireRole('staff'), async (c) => {
    const em = c.var.em;
    const id = c.req.param('id');
    const client = await em.findOne(Client, { id });
    if (!client) throw notFound('client', id);
    await catchUp(await creditContext(c), { clientId: id });
    const own = await em.find(Purchase, { clientId: id });
    // Shared pools (issue 20): the purchases of other clients this one is a member of now.
    const sharedIds = await query(
      { tx: em },
      `select id from purchases where tenant_id = $1 and pool is not null and (pool -> 'used') ? $2
          and (pool -> 'members') @> jsonb_build_array($2::text)`,
      [tenantOf(c), id],
    );
    const shared = await em.find(Purchase, { id: { $in: sharedIds.map((r) => String(r.id)) } });
    const purchases = [...own, ...shared].sort(
      (a, b) => a.purchasedAt.getTime() - b.purchasedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const plans = await em.find(Plan, { id: { $in: [...new Set(purchases.map((p) => p.planId))] } });
    const planOf = new Map(plans.map((p) => [p.id, p]));
    return c.json({
      clientId: id,
      purchases: purchases.map((p) => {
        const plan = planOf.get(p.planId) ?? { kind: 'package' as const, name: '' };
        return p.clientId === id ? presentPurchase(p, plan) : presentSharedPurchase(p, plan, id);
      }),
    });
  });
