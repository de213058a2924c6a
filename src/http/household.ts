import { Hono } from 'hono';
import Type from 'typebox';
import { setPoolMembers, transferPurchase } from '../credits/household.ts';
import { Plan } from '../domain/plan.ts';
import { Purchase } from '../domain/purchase.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { component, created, describeOperation, ok } from './openapi.ts';
import { presentPurchase } from './present.ts';
import { closed, nullable } from './responses/common.ts';
import { Purchase as PurchaseSchema } from './responses/purchases.ts';
import { refId } from './schemas.ts';
import { readBody } from './validate.ts';

/** Most members one purchase may be shared with: a household, not a gym. */
export const maxMembers = 20;

export const PoolMembers = Type.Object(
  {
    clientIds: Type.Array(refId, {
      maxItems: maxMembers,
      description:
        'The clients who may be paid from the purchase besides its owner; replaces the previous members',
    }),
    caps: Type.Optional(
      Type.Record(refId, Type.Integer({ minimum: 1, maximum: 1_000_000 }), {
        maxProperties: maxMembers,
        description: 'Per member, the most credits it may hold or have used at once (absent: no cap)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const TransferRequest = Type.Object(
  {
    toClientId: refId,
    credits: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000,
        description:
          'Credits to move; absent moves the whole unheld remaining (or a whole unlimited purchase)',
      }),
    ),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const Transfer = component(
  'Transfer',
  Type.Object(
    {
      from: PurchaseSchema,
      to: PurchaseSchema,
      credits: nullable(Type.Integer({ description: 'Credits moved; null for a whole unlimited purchase' })),
    },
    closed,
  ),
);

describeOperation({
  method: 'put',
  path: '/v1/purchases/{id}/members',
  operationId: 'setPurchaseMembers',
  tag: 'Purchases',
  summary: 'Share a purchase with a household: any member may be paid from it, under an optional cap each',
  access: 'staff',
  body: PoolMembers,
  success: ok(PurchaseSchema, 'The purchase with its members'),
  errors: [409],
});
describeOperation({
  method: 'post',
  path: '/v1/purchases/{id}/transfer',
  operationId: 'transferPurchase',
  tag: 'Purchases',
  summary: "Move unused credits (or the whole purchase) to another client's new purchase (admin)",
  access: 'admin',
  body: TransferRequest,
  success: created(Transfer, 'Both purchases after the move'),
  errors: [403, 409],
});

const show = async (c: { var: AppEnv['Variables'] }, id: string) => {
  const purchase = await c.var.em.findOneOrFail(Purchase, { id }, { refresh: true });
  const plan = await c.var.em.findOneOrFail(Plan, { id: purchase.planId });
  return presentPurchase(purchase, plan);
};

export const householdRoutes = new Hono<AppEnv>()
  .put('/:id/members', requireRole('staff'), async (c) => {
    const body = await readBody(c, PoolMembers);
    const id = c.req.param('id');
    await setPoolMembers(await creditContext(c), id, body);
    return c.json(await show(c, id));
  })
  .post('/:id/transfer', requireRole('admin'), async (c) => {
    const body = await readBody(c, TransferRequest);
    const id = c.req.param('id');
    const moved = await transferPurchase(await creditContext(c), id, body);
    return c.json(
      { from: await show(c, id), to: await show(c, moved.toPurchaseId), credits: moved.credits },
      201,
    );
  });
