import { Hono } from 'hono';
import Type from 'typebox';
import { Location } from '../domain/location.ts';
import { isKnownTimeZone } from '../domain/time.ts';
import { conflict, invalid } from '../errors.ts';
import { newId } from '../ids.ts';
import { requireRole } from './auth.ts';
import { type AppEnv, tenantOf } from './env.ts';
import { created, describeOperation } from './openapi.ts';
import { presentLocation } from './present.ts';
import { Location as LocationSchema } from './responses/catalog.ts';
import { callerId, name } from './schemas.ts';
import { readBody } from './validate.ts';

export const CreateLocation = Type.Object(
  {
    id: Type.Optional(callerId),
    name,
    timeZone: Type.String({ minLength: 1, description: 'IANA time zone' }),
  },
  { additionalProperties: false },
);
describeOperation({
  method: 'post',
  path: '/v1/locations',
  operationId: 'createLocation',
  tag: 'Locations',
  summary: 'Create a location',
  access: 'admin',
  body: CreateLocation,
  success: created(LocationSchema),
  errors: [409],
});

export const locationRoutes = new Hono<AppEnv>().post('/', requireRole('admin'), async (c) => {
  const body = await readBody(c, CreateLocation);
  if (!isKnownTimeZone(body.timeZone))
    throw invalid('/timeZone', `'${body.timeZone}' is not an IANA time zone`);
  const em = c.var.em;
  if (body.id && (await em.findOne(Location, { id: body.id })))
    throw conflict(`location '${body.id}' already exists`);
  const location = em.create(Location, {
    tenantId: tenantOf(c),
    id: body.id ?? newId('loc'),
    name: body.name,
    timeZone: body.timeZone,
  });
  await em.flush();
  return c.json(presentLocation(location), 201);
});
