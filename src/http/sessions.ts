import { Hono } from 'hono';
import Type, { type Static } from 'typebox';
import { Item } from '../domain/item.ts';
import { Location } from '../domain/location.ts';
import { Session } from '../domain/session.ts';
import { conflict, invalid, notFound, unknownReference } from '../errors.ts';
import { newId } from '../ids.ts';
import { requireRole } from './auth.ts';
import { type AppEnv, tenantOf } from './env.ts';
import { created, describeOperation, ok } from './openapi.ts';
import { Session as SessionSchema } from './responses/catalog.ts';
import { callerId, instant, instantOf, money, refId } from './schemas.ts';
import { readBody } from './validate.ts';

export const CreateSession = Type.Object(
  {
    id: Type.Optional(callerId),
    itemId: refId,
    locationId: refId,
    startsAt: instant,
    endsAt: instant,
    price: Type.Optional(money),
    units: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 366, description: 'Nights of a multi-day appointment' }),
    ),
    staffId: Type.Optional(
      Type.String({ ...refId, description: 'Who runs the session, as the host names staff' }),
    ),
    capacity: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 100_000,
        description: 'Seats: a full session refuses bookings (409) and keeps a waitlist. Absent: unlimited',
      }),
    ),
  },
  { additionalProperties: false },
);
describeOperation({
  method: 'post',
  path: '/v1/sessions',
  operationId: 'createSession',
  tag: 'Sessions',
  summary: 'Schedule a session of an item',
  access: 'staff',
  body: CreateSession,
  success: created(SessionSchema),
  errors: [409],
});
describeOperation({
  method: 'get',
  path: '/v1/sessions/{id}',
  operationId: 'getSession',
  tag: 'Sessions',
  summary: 'One session',
  access: 'staff',
  success: ok(SessionSchema),
});

export const presentSession = (s: Session): Static<typeof SessionSchema> => ({
  id: s.id,
  itemId: s.itemId,
  locationId: s.locationId,
  startsAt: s.startsAt.toISOString(),
  endsAt: s.endsAt.toISOString(),
  price: s.price ?? null,
  units: s.units,
  sweptAt: s.sweptAt ? s.sweptAt.toISOString() : null,
  staffId: s.staffId ?? null,
  canceledAt: s.canceledAt ? s.canceledAt.toISOString() : null,
  capacity: s.capacity ?? null,
});

export const sessionRoutes = new Hono<AppEnv>()
  .use(requireRole('staff'))
  .post('/', async (c) => {
    const body = await readBody(c, CreateSession);
    const em = c.var.em;
    const startsAt = instantOf(body.startsAt);
    const endsAt = instantOf(body.endsAt);
    if (endsAt <= startsAt) throw invalid('/endsAt', 'must be after startsAt');
    if (!(await em.findOne(Item, { id: body.itemId })))
      throw unknownReference('/itemId', 'item', body.itemId);
    if (!(await em.findOne(Location, { id: body.locationId })))
      throw unknownReference('/locationId', 'location', body.locationId);
    if (body.id && (await em.findOne(Session, { id: body.id })))
      throw conflict(`session '${body.id}' already exists`);
    const session = em.create(Session, {
      tenantId: tenantOf(c),
      id: body.id ?? newId('ses'),
      itemId: body.itemId,
      locationId: body.locationId,
      startsAt,
      endsAt,
      price: body.price ?? null,
      units: body.units ?? 1,
      sweptAt: null,
      staffId: body.staffId ?? null,
      canceledAt: null,
      capacity: body.capacity ?? null,
    });
    await em.flush();
    return c.json(presentSession(session), 201);
  })
  .get('/:id', async (c) => {
    const session = await c.var.em.findOne(Session, { id: c.req.param('id') });
    if (!session) throw notFound('session', c.req.param('id'));
    return c.json(presentSession(session));
  });
