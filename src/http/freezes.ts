import { Hono } from 'hono';
import Type from 'typebox';
import type { FreezeRecord } from '../credits/decide-freeze.ts';
import { freezePurchase, readFreezes, unfreezePurchase } from '../credits/freeze.ts';
import { Purchase } from '../domain/purchase.ts';
import { notFound } from '../errors.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { created, describeOperation, ok } from './openapi.ts';
import { showPurchase } from './purchase-view.ts';
import { FreezeList, FreezeResult } from './responses/freezes.ts';
import { readBody } from './validate.ts';

const localDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Local date (yyyy-mm-dd)' });
const reason = Type.String({ minLength: 1, maxLength: 500 });

export const FreezeRequest = Type.Object(
  {
    from: { ...localDate, description: 'First frozen local date at the purchase location' },
    to: { ...localDate, description: 'Last frozen local date (at most 366 days in one freeze)' },
    reason,
  },
  { additionalProperties: false },
);
export const UnfreezeRequest = Type.Object(
  {
    freezeId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'Default: the freeze in force, else the next',
      }),
    ),
    reason: Type.Optional(reason),
  },
  { additionalProperties: false },
);

describeOperation({
  method: 'post',
  path: '/v1/purchases/{id}/freeze',
  operationId: 'freezePurchase',
  tag: 'Purchases',
  summary:
    'Freeze a purchase for local dates: it pays for nothing then, and its expiry moves by the days frozen',
  access: 'staff',
  body: FreezeRequest,
  success: created(FreezeResult, 'The freeze and the purchase with its new expiry'),
  errors: [409],
});
describeOperation({
  method: 'post',
  path: '/v1/purchases/{id}/unfreeze',
  operationId: 'unfreezePurchase',
  tag: 'Purchases',
  summary: 'End a freeze early (or undo one not begun): the expiry keeps only the days actually frozen',
  access: 'staff',
  body: UnfreezeRequest,
  bodyOptional: true,
  success: ok(FreezeResult, 'The freeze as ended and the purchase with its new expiry'),
  errors: [409],
});
describeOperation({
  method: 'get',
  path: '/v1/purchases/{id}/freezes',
  operationId: 'listPurchaseFreezes',
  tag: 'Purchases',
  summary: "A purchase's freezes, in date order",
  access: 'staff',
  success: ok(FreezeList),
});

export const presentFreeze = (f: FreezeRecord) => ({
  id: f.id,
  purchaseId: f.purchaseId,
  from: f.from,
  to: f.to,
  days: f.days,
  reason: f.reason,
  actor: f.actor,
  createdAt: f.createdAt.toISOString(),
  unfrozenAt: f.unfrozenAt?.toISOString() ?? null,
  unfreezeReason: f.unfreezeReason,
});

/** Issue 20 item 3: freezes of a purchase (mounted under /v1/purchases). */
export const freezeRoutes = new Hono<AppEnv>()
  .use(requireRole('staff'))
  .post('/:id/freeze', async (c) => {
    const body = await readBody(c, FreezeRequest);
    const id = c.req.param('id');
    const freeze = await freezePurchase(await creditContext(c), id, body);
    return c.json({ freeze: presentFreeze(freeze), purchase: await showPurchase(c.var.em, id) }, 201);
  })
  .post('/:id/unfreeze', async (c) => {
    const body = await readBody(c, UnfreezeRequest);
    const id = c.req.param('id');
    const freeze = await unfreezePurchase(await creditContext(c), id, body);
    return c.json({ freeze: presentFreeze(freeze), purchase: await showPurchase(c.var.em, id) });
  })
  .get('/:id/freezes', async (c) => {
    const id = c.req.param('id');
    if (!(await c.var.em.findOne(Purchase, { id }))) throw notFound('purchase', id);
    const freezes = await readFreezes(await creditContext(c), id);
    return c.json({
      purchase: await showPurchase(c.var.em, id),
      frozenDays: freezes.reduce((sum, f) => sum + f.days, 0),
      freezes: freezes.map(presentFreeze),
    });
  });
