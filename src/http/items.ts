import { Hono } from 'hono';
import Type from 'typebox';
import { bucketTypes, itemKinds } from '../domain/enums.ts';
import { Item } from '../domain/item.ts';
import { conflict } from '../errors.ts';
import { newId } from '../ids.ts';
import { requireRole } from './auth.ts';
import { type AppEnv, tenantOf } from './env.ts';
import { created, describeOperation } from './openapi.ts';
import { presentItem } from './present.ts';
import { Item as ItemSchema } from './responses/catalog.ts';
import { callerId, money, name, stringEnum } from './schemas.ts';
import { readBody } from './validate.ts';

export const CreateItem = Type.Object(
  {
    id: Type.Optional(callerId),
    name,
    kind: stringEnum(itemKinds),
    price: money,
    itemType: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    bucketType: Type.Optional(stringEnum(bucketTypes)),
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

export const itemRoutes = new Hono<AppEnv>().post('/', requireRole('admin'), async (c) => {
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
  });
  await em.flush();
  return c.json(presentItem(item), 201);
});
