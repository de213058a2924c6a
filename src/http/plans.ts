import type { EntityManager } from '@mikro-orm/sql';
import { Hono } from 'hono';
import Type from 'typebox';
import { bucketTypes, commissionBases, planKinds } from '../domain/enums.ts';
import { Item } from '../domain/item.ts';
import { Plan } from '../domain/plan.ts';
import { conflict, type FieldError, notFound, PunchcardError } from '../errors.ts';
import { newId } from '../ids.ts';
import { requireRole } from './auth.ts';
import { type AppEnv, tenantOf } from './env.ts';
import { created, describeOperation, ok } from './openapi.ts';
import { capFaults, PlanCapInput, storedCap } from './plan-cap.ts';
import { presentPlan } from './present.ts';
import { PlanList, Plan as PlanSchema } from './responses/catalog.ts';
import { callerId, integrationFlags, money, name, refId, stringEnum } from './schemas.ts';
import { readBody } from './validate.ts';

export const CreatePlan = Type.Object(
  {
    id: Type.Optional(callerId),
    name,
    kind: stringEnum(planKinds),
    credits: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    unlimited: Type.Optional(Type.Boolean()),
    price: money,
    daysToExpire: Type.Optional(Type.Integer({ minimum: 0, maximum: 36_500 })),
    oneDay: Type.Optional(Type.Boolean()),
    bucketType: Type.Optional(stringEnum(bucketTypes)),
    itemType: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    priority: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1000,
        description: 'Lower is used first where the policy orders by priority',
      }),
    ),
    itemIds: Type.Array(refId, { maxItems: 1000, uniqueItems: true }),
    commission: Type.Optional(
      Type.Object(
        { basis: stringEnum(commissionBases), internalPrice: Type.Optional(money) },
        { additionalProperties: false },
      ),
    ),
    integrations: Type.Optional(integrationFlags),
    cap: Type.Optional(PlanCapInput),
    maxFreezeDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3660, description: 'Most days a purchase may be frozen in all' }),
    ),
    lowBalanceAt: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1_000_000,
        description: 'credits.low when remaining falls to this',
      }),
    ),
    expiringNoticeDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 365,
        description: 'credits.expiring this many days before expiry',
      }),
    ),
  },
  { additionalProperties: false },
);
describeOperation({
  method: 'post',
  path: '/v1/plans',
  operationId: 'createPlan',
  tag: 'Plans',
  summary: 'Create a plan',
  access: 'admin',
  body: CreatePlan,
  success: created(PlanSchema),
  errors: [409],
});

type PlanBody = Type.Static<typeof CreatePlan>;

/** Rules across fields that a JSON Schema says poorly; each fault keeps its pointer. */
function crossFieldFaults(body: PlanBody): FieldError[] {
  const faults: FieldError[] = [];
  const unlimited = body.unlimited === true;
  if (unlimited && body.credits !== undefined)
    faults.push({ path: '/credits', message: 'give credits or unlimited, not both' });
  if (!unlimited && body.credits === undefined)
    faults.push({ path: '/credits', message: 'is required unless unlimited is true' });
  if (body.oneDay && (body.daysToExpire ?? 0) > 0) {
    faults.push({ path: '/oneDay', message: 'a one-day plan cannot also have daysToExpire' });
  }
  if (body.commission?.basis === 'internal_price' && body.commission.internalPrice === undefined) {
    faults.push({ path: '/commission/internalPrice', message: 'is required when basis is internal_price' });
  }
  faults.push(...capFaults(body.cap));
  return faults;
}

/**
 * What a plan may change once sold. Coverage, name, priority and integration flags
 * act on decisions from now on: a booking already assigned keeps its credit, a use
 * already counted stays counted. What a purchase was sold under (kind, credits,
 * unlimited, price, validity, bucket and item type, commission) does not change:
 * existing purchases and their commission bases are computed from it.
 */
export const PatchPlan = Type.Object(
  {
    name: Type.Optional(name),
    priority: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1000,
        description: 'Lower is used first where the policy orders by priority',
      }),
    ),
    addItemIds: Type.Optional(
      Type.Array(refId, {
        maxItems: 1000,
        uniqueItems: true,
        description: 'Items the plan covers from now on (already covered: no change)',
      }),
    ),
    removeItemIds: Type.Optional(
      Type.Array(refId, {
        maxItems: 1000,
        uniqueItems: true,
        description: 'Items the plan no longer covers for new bookings (not covered: no change)',
      }),
    ),
    integrations: Type.Optional(integrationFlags),
    cap: Type.Optional(
      Type.Union([PlanCapInput, Type.Null()], {
        description: 'The visit cap from now on (purchases already sold included); null removes it',
      }),
    ),
    maxFreezeDays: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 3660 }), Type.Null()], {
        description: 'Most days a purchase may be frozen in all (null: no limit)',
      }),
    ),
    lowBalanceAt: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()], {
        description: 'credits.low when remaining falls to this (null: off)',
      }),
    ),
    expiringNoticeDays: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 365 }), Type.Null()], {
        description: 'credits.expiring this many days before expiry (null: off)',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
describeOperation({
  method: 'patch',
  path: '/v1/plans/{id}',
  operationId: 'updatePlan',
  tag: 'Plans',
  summary:
    'Change a plan: items covered, name, priority, integrations, visit cap, freeze and alert settings (for bookings from now on)',
  access: 'admin',
  body: PatchPlan,
  success: ok(PlanSchema),
});

/** Most plans one answer lists: a studio sells tens of plans, not thousands. */
export const maxPlansListed = 1000;

describeOperation({
  method: 'get',
  path: '/v1/plans',
  operationId: 'listPlans',
  tag: 'Plans',
  summary: `The tenant's plans with their visit cap, freeze and alert settings, by name (at most ${maxPlansListed})`,
  access: 'staff',
  success: ok(PlanList),
});

async function patchFaults(em: EntityManager, body: Type.Static<typeof PatchPlan>) {
  const faults: FieldError[] = capFaults(body.cap);
  const added = body.addItemIds ?? [];
  const known = new Set((await em.find(Item, { id: { $in: added } })).map((i) => i.id));
  added.forEach((id, index) => {
    if (!known.has(id)) faults.push({ path: `/addItemIds/${index}`, message: `no item with id '${id}'` });
  });
  const removing = new Set(body.removeItemIds ?? []);
  added.forEach((id, index) => {
    if (removing.has(id))
      faults.push({ path: `/addItemIds/${index}`, message: `'${id}' is also in removeItemIds` });
  });
  return faults;
}

export const planRoutes = new Hono<AppEnv>()
  .get('/', requireRole('staff'), async (c) => {
    const plans = await c.var.em.find(
      Plan,
      {},
      { orderBy: [{ name: 'asc' }, { id: 'asc' }], limit: maxPlansListed },
    );
    return c.json({ plans: plans.map(presentPlan) });
  })
  .patch('/:id', requireRole('admin'), async (c) => {
    const body = await readBody(c, PatchPlan);
    const em = c.var.em;
    const plan = await em.findOne(Plan, { id: c.req.param('id') });
    if (!plan) throw notFound('plan', c.req.param('id'));
    const faults = await patchFaults(em, body);
    if (faults.length > 0) throw new PunchcardError('invalid', 'the change is not valid', faults);
    const removing = new Set(body.removeItemIds ?? []);
    const kept = plan.itemIds.filter((id) => !removing.has(id));
    plan.itemIds = [...kept, ...(body.addItemIds ?? []).filter((id) => !kept.includes(id))];
    if (body.name !== undefined) plan.name = body.name;
    if (body.priority !== undefined) plan.priority = body.priority;
    if (body.integrations !== undefined) plan.integrations = body.integrations;
    if (body.cap !== undefined) plan.cap = body.cap === null ? null : storedCap(body.cap);
    if (body.maxFreezeDays !== undefined) plan.maxFreezeDays = body.maxFreezeDays;
    if (body.lowBalanceAt !== undefined) plan.lowBalanceAt = body.lowBalanceAt;
    if (body.expiringNoticeDays !== undefined) plan.expiringNoticeDays = body.expiringNoticeDays;
    await em.flush();
    return c.json(presentPlan(plan));
  })
  .post('/', requireRole('admin'), async (c) => {
    const body = await readBody(c, CreatePlan);
    const faults = crossFieldFaults(body);
    const em = c.var.em;
    const items = await em.find(Item, { id: { $in: body.itemIds } });
    const known = new Set(items.map((i) => i.id));
    body.itemIds.forEach((id, index) => {
      if (!known.has(id)) faults.push({ path: `/itemIds/${index}`, message: `no item with id '${id}'` });
    });
    if (faults.length > 0) throw new PunchcardError('invalid', 'the plan is not valid', faults);
    if (body.id && (await em.findOne(Plan, { id: body.id })))
      throw conflict(`plan '${body.id}' already exists`);
    const plan = em.create(Plan, {
      tenantId: tenantOf(c),
      id: body.id ?? newId('plan'),
      name: body.name,
      kind: body.kind,
      credits: body.unlimited ? null : (body.credits ?? null),
      unlimited: body.unlimited === true,
      price: body.price,
      daysToExpire: body.daysToExpire ?? 0,
      oneDay: body.oneDay === true,
      bucketType: body.bucketType ?? null,
      itemType: body.itemType ?? null,
      priority: body.priority ?? 100,
      itemIds: body.itemIds,
      commission: body.commission ?? { basis: 'retail' },
      integrations: body.integrations ?? {},
      cap: body.cap ? storedCap(body.cap) : null,
      maxFreezeDays: body.maxFreezeDays ?? null,
      lowBalanceAt: body.lowBalanceAt ?? null,
      expiringNoticeDays: body.expiringNoticeDays ?? null,
    });
    await em.flush();
    return c.json(presentPlan(plan), 201);
  });
