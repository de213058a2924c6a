import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import { type Context, Hono } from 'hono';
import Type from 'typebox';
import { catchUp } from '../credits/catch-up.ts';
import {
  adjustPurchase,
  changePurchaseStatus,
  type StatusChange,
  sellPurchase,
} from '../credits/purchases.ts';
import { purchaseSources } from '../domain/enums.ts';
import { LedgerEntry } from '../domain/ledger-entry.ts';
import { Purchase } from '../domain/purchase.ts';
import { invalid, notFound } from '../errors.ts';
import { purchaseIntegrations } from '../integrations/deliveries.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import { type AppEnv, tenantOf } from './env.ts';
import { freezeRoutes } from './freezes.ts';
import { created, describeOperation, ok } from './openapi.ts';
import { presentLedgerEntry } from './present.ts';
import { showPurchase } from './purchase-view.ts';
import { Ledger, PurchaseDetail, Purchase as PurchaseSchema } from './responses/purchases.ts';
import { callerId, instant, refId, stringEnum } from './schemas.ts';
import { readBody } from './validate.ts';

export const CreatePurchase = Type.Object(
  {
    id: Type.Optional(callerId),
    clientId: refId,
    planId: refId,
    locationId: refId,
    purchasedAt: Type.Optional(instant),
    source: Type.Optional(stringEnum(purchaseSources)),
  },
  { additionalProperties: false },
);
export const Adjustment = Type.Object(
  {
    delta: Type.Integer({
      minimum: -1_000_000,
      maximum: 1_000_000,
      description: 'Positive adds (grows total), negative deducts',
    }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export const StatusReason = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);

describeOperation({
  method: 'post',
  path: '/v1/purchases',
  operationId: 'createPurchase',
  tag: 'Purchases',
  summary: 'Sell a plan to a client',
  access: 'staff',
  body: CreatePurchase,
  success: created(PurchaseSchema, 'The purchase with its credits granted'),
  errors: [409],
});
describeOperation({
  method: 'get',
  path: '/v1/purchases/{id}',
  operationId: 'getPurchase',
  tag: 'Purchases',
  summary: "One purchase, with each integration's delivery of the sale",
  access: 'staff',
  success: ok(PurchaseDetail),
});
describeOperation({
  method: 'get',
  path: '/v1/purchases/{id}/ledger',
  operationId: 'getPurchaseLedger',
  tag: 'Purchases',
  summary: "A purchase's ledger",
  access: 'staff',
  success: ok(Ledger, 'The purchase and its entries in commit order'),
});
describeOperation({
  method: 'post',
  path: '/v1/purchases/{id}/adjustments',
  operationId: 'adjustPurchase',
  tag: 'Purchases',
  summary: 'Add or deduct credits',
  access: 'staff',
  body: Adjustment,
  success: created(PurchaseSchema, 'The purchase after the adjustment'),
  errors: [409],
});
const statusChanges = {
  hold: ['holdPurchase', 'Put a purchase on hold (its credits are not offered)'],
  resume: ['resumePurchase', 'Take a purchase off hold'],
  expire: ['expirePurchase', 'Expire a purchase now (its unheld credits become expired)'],
  void: ['voidPurchase', 'Void a purchase (its unheld credits are forfeited)'],
} as const;
for (const [change, [operationId, summary]] of Object.entries(statusChanges)) {
  describeOperation({
    method: 'post',
    path: `/v1/purchases/{id}/${change}`,
    operationId,
    tag: 'Purchases',
    summary,
    access: 'staff',
    body: StatusReason,
    bodyOptional: true,
    success: ok(PurchaseSchema, 'The purchase after the change'),
    errors: [409],
  });
}

/** The request's idempotency scope: repeats of one operation post once. */
const operationKey = (c: Context<AppEnv>) => c.req.header('idempotency-key') ?? randomUUID();

const show = showPurchase;

/** A purchase's entries in the order they were committed (the identity column `seq`). */
async function ledgerInCommitOrder(em: EntityManager, purchaseId: string): Promise<LedgerEntry[]> {
  const order = await em.execute<{ id: string }[]>(
    'select id from ledger_entries where tenant_id = ? and purchase_id = ? order by seq',
    [em.getFilterParams<{ tenantId: string }>('tenant').tenantId, purchaseId],
  );
  const entries = await em.find(LedgerEntry, { purchaseId });
  const byId = new Map(entries.map((e) => [e.id, e]));
  return order.map((o) => byId.get(o.id)).filter((e): e is LedgerEntry => e !== undefined);
}

/** The purchase in the path after its client's time-driven changes are applied. */
async function caughtUpPurchase(c: Context<AppEnv>): Promise<Purchase> {
  const id = c.req.param('id') ?? '';
  const found = await c.var.em.findOne(Purchase, { id });
  if (!found) throw notFound('purchase', id);
  await catchUp(await creditContext(c), { clientId: found.clientId });
  return c.var.em.findOneOrFail(Purchase, { id }, { refresh: true });
}

const statusRoute = (change: StatusChange) => async (c: Context<AppEnv>) => {
  const body = await readBody(c, StatusReason);
  const id = c.req.param('id') ?? '';
  await changePurchaseStatus(await creditContext(c), id, change, body.reason);
  return c.json(await show(c.var.em, id));
};

export const purchaseRoutes = new Hono<AppEnv>()
  .use(requireRole('staff'))
  .post('/', async (c) => {
    const body = await readBody(c, CreatePurchase);
    const id = await sellPurchase(await creditContext(c), body);
    return c.json(await show(c.var.em, id), 201);
  })
  .get('/:id', async (c) => {
    const purchase = await caughtUpPurchase(c);
    const { em, deps } = c.var;
    const integrations = await purchaseIntegrations(em, deps.integrations, tenantOf(c), purchase.id);
    return c.json({ ...(await show(em, purchase.id)), integrations });
  })
  .get('/:id/ledger', async (c) => {
    const purchase = await caughtUpPurchase(c);
    const id = purchase.id;
    const entries = await ledgerInCommitOrder(c.var.em, id);
    return c.json({ purchase: await show(c.var.em, id), entries: entries.map(presentLedgerEntry) });
  })
  .post('/:id/adjustments', async (c) => {
    const body = await readBody(c, Adjustment);
    if (body.delta === 0) throw invalid('/delta', 'must not be 0');
    const id = c.req.param('id');
    await adjustPurchase(await creditContext(c), id, body, operationKey(c));
    return c.json(await show(c.var.em, id), 201);
  })
  .post('/:id/hold', statusRoute('hold'))
  .post('/:id/resume', statusRoute('resume'))
  .post('/:id/expire', statusRoute('expire'))
  .post('/:id/void', statusRoute('void'))
  .route('/', freezeRoutes);
