import { Hono } from 'hono';
import Type from 'typebox';
import { ItemType } from '../domain/item-type.ts';
import { conflict } from '../errors.ts';
import { newId } from '../ids.ts';
import { requireRole } from './auth.ts';
import { type AppEnv, tenantOf } from './env.ts';
import { created, describeOperation, ok } from './openapi.ts';
import { presentItemType } from './present.ts';
import { ItemType as ItemTypeSchema, ItemTypes } from './responses/catalog.ts';
import { callerId, name } from './schemas.ts';
import { readBody } from './validate.ts';

export const CreateItemType = Type.Object(
  {
    id: Type.Optional(callerId),
    name,
    schedulerBucket: Type.Boolean({
      description: 'B7: session-bucket plans of this type grant their sessions (seed 000: Scheduler_Bucket)',
    }),
  },
  { additionalProperties: false },
);
describeOperation({
  method: 'post',
  path: '/v1/item-types',
  operationId: 'createItemType',
  tag: 'Items',
  summary: 'Create an item type (items and plans name it in itemType)',
  access: 'admin',
  body: CreateItemType,
  success: created(ItemTypeSchema),
  errors: [409],
});
describeOperation({
  method: 'get',
  path: '/v1/item-types',
  operationId: 'listItemTypes',
  tag: 'Items',
  summary: "The tenant's item types, by id",
  access: 'staff',
  success: ok(ItemTypes),
});

/**
 * Item types are records (seed 000: "an Item Type that is set up as
 * Scheduler_Bucket"). A tenant has few, so the list is not paged. The types in use
 * before records existed were created by migration 0008.
 */
export const itemTypeRoutes = new Hono<AppEnv>()
  .post('/', requireRole('admin'), async (c) => {
    const body = await readBody(c, CreateItemType);
    const em = c.var.em;
    if (body.id && (await em.findOne(ItemType, { id: body.id })))
      throw conflict(`item type '${body.id}' already exists`);
    const itemType = em.create(ItemType, {
      tenantId: tenantOf(c),
      id: body.id ?? newId('ityp'),
      name: body.name,
      schedulerBucket: body.schedulerBucket,
    });
    await em.flush();
    return c.json(presentItemType(itemType), 201);
  })
  .get('/', async (c) => {
    const found = await c.var.em.find(ItemType, {}, { orderBy: { id: 'asc' } });
    return c.json({ itemTypes: found.map(presentItemType) });
  });
