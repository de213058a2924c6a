import { Hono } from 'hono';
import Type from 'typebox';
import { bucketTypes, itemKinds } from '../domain/enums.ts';
import { Item } from '../domain/item.ts';
import { conflict, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { requireRole } from './auth.ts';
import { type AppEnv, tenantOf } from './env.ts';
import { created, describeOperation, ok } from './openapi.ts';
import { presentItem } from './present.ts';
import { Item as ItemSchema } from './responses/catalog.ts';
import { callerId, integrationFlags, money, name, stringEnum } from './schemas.ts';
import { readBody } from './validate.ts';

export const CreateItem = Type.Object(
  {
    id: Type.Optional(callerId),
    name,
    kind: stringEnum(itemKinds),
    price: money,
    itemType: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    bucketType: Type.Optional(stringEnum(bucketTypes)),
    integrations: Type.Optional(integrationFlags),
  },
  { additionalProperties: false },
);
describeOperation({
  method: 'post',
  path: '/v1/items',
  operationId: 'createItem',
  tag: 'Items',
  summary: 'Create an item',
  access: 'admin',
  body: CreateItem,
  success: created(ItemSchema),
  errors: [409],
});

/**
 * What an item may change: its name, retail price, item type, bucket type and
 * integration flags. They act from now on: a session's price is read when a line is
 * priced, and a bucket type when a credit is chosen; credits already assigned or used
 * stay where they are. Its kind (class, appointment, event, product) does not change:
 * the policy's rules and existing tickets were decided for it.
 */
export const PatchItem = Type.Object(
  {
    name: Type.Optional(name),
    price: Type.Optional(money),
    itemType: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()], {
        description: 'An item type id; null clears it',
      }),
    ),
    bucketType: Type.Optional(stringEnum(bucketTypes)),
    integrations: Type.Optional(integrationFlags),
  },
  { additionalProperties: false, minProperties: 1 },
);
describeOperation({
  method: 'patch',
  path: '/v1/items/{id}',
  operationId: 'updateItem',
  tag: 'Items',
  summary: 'Change an item: name, price, item type, bucket type, integrations (from now on)',
  access: 'admin',
  body: PatchItem,
  success: ok(ItemSchema),
});

export const itemRoutes = new Hono<AppEnv>()
  .patch('/:id', requireRole('admin'), async (c) => {
    const body = await readBody(c, PatchItem);
    const item = await c.var.em.findOne(Item, { id: c.req.param('id') });
    if (!item) throw notFound('item', c.req.param('id'));
    if (body.name !== undefined) item.name = body.name;
    if (body.price !== undefined) item.price = body.price;
    if (body.itemType !== undefined) item.itemType = body.itemType;
    if (body.bucketType !== undefined) item.bucketType = body.bucketType;
    if (body.integrations !== undefined) item.integrations = body.integrations;
    await c.var.em.flush();
    return c.json(presentItem(item));
  })
  .post('/', requireRole('admin'), async (c) => {
    const body = await readBody(c, CreateItem);
    const em = c.var.em;
    if (body.id && (await em.findOne(Item, { id: body.id })))
      throw conflict(`item '${body.id}' already exists`);
    const item = em.create(Item, {
      tenantId: tenantOf(c),
      id: body.id ?? newId('item'),
      name: body.name,
      kind: body.kind,
      price: body.price,
      itemType: body.itemType ?? null,
      bucketType: body.bucketType ?? 'standard',
      integrations: body.integrations ?? {},
    });
    await em.flush();
    return c.json(presentItem(item), 201);
  });
