import { Hono } from 'hono';
import Type, { type Static } from 'typebox';
import { rosterViews } from '../credits/roster.ts';
import { query } from '../db/sql.ts';
import { channels, creditStates, reservationStatuses } from '../domain/enums.ts';
import { Item } from '../domain/item.ts';
import { Session } from '../domain/session.ts';
import { notFound } from '../errors.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import { cursorParam, decodePosition, encodePosition, limitOf, limitParam } from './cursor.ts';
import { type AppEnv, tenantOf } from './env.ts';
import { component, describeOperation, ok } from './openapi.ts';
import { Session as SessionSchema } from './responses/catalog.ts';
import { closed, count, enumOf, nullable } from './responses/common.ts';
import { instant, instantOf, refId } from './schemas.ts';
import { presentSession } from './sessions.ts';
import { check } from './validate.ts';

/** A schedule page: 50 sessions unless `limit` says otherwise, at most 200. */
const pageSize = 50;
const maxPage = 200;

export const ScheduleQuery = Type.Object(
  {
    locationId: Type.Optional(Type.String({ ...refId, description: 'Only sessions at this location' })),
    staffId: Type.Optional(Type.String({ ...refId, description: 'Only sessions this staff member runs' })),
    from: Type.Optional(
      Type.String({ ...instant, description: 'Sessions starting at or after this instant' }),
    ),
    to: Type.Optional(Type.String({ ...instant, description: 'Sessions starting before this instant' })),
    cursor: Type.Optional(cursorParam),
    limit: Type.Optional(limitParam(pageSize, maxPage)),
  },
  { additionalProperties: false },
);

/** A schedule row: the session and its item's name, so a person picks a class by what it is called. */
export const ScheduledSession = component(
  'ScheduledSession',
  Type.Object(
    { ...SessionSchema.properties, itemName: Type.String({ description: "The session's item, by name" }) },
    closed,
  ),
);

export const SchedulePage = component(
  'SchedulePage',
  Type.Object(
    {
      sessions: Type.Array(ScheduledSession),
      next: nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last' })),
    },
    closed,
  ),
);

export const Attendee = component(
  'Attendee',
  Type.Object(
    {
      reservationId: Type.String(),
      clientId: Type.String(),
      clientName: Type.String(),
      channel: enumOf(channels),
      status: enumOf(reservationStatuses),
      credit: Type.Object({ state: enumOf(creditStates), units: count }, closed),
      purchaseId: nullable(Type.String({ description: 'The purchase paying, when a credit is assigned' })),
      label: nullable(Type.String({ description: 'The roster\'s "Payment" column (B20)' })),
    },
    closed,
  ),
);

export const Roster = component(
  'Roster',
  Type.Object({ sessionId: Type.String(), attendees: Type.Array(Attendee) }, closed),
);

describeOperation({
  method: 'get',
  path: '/v1/sessions',
  operationId: 'listSessions',
  tag: 'Sessions',
  summary:
    'The schedule: sessions by start time, filtered by location, dates and staff (keyset pages of 50, at most 200)',
  access: 'staff',
  query: ScheduleQuery,
  success: ok(SchedulePage),
});
describeOperation({
  method: 'get',
  path: '/v1/sessions/{id}/attendees',
  operationId: 'listSessionAttendees',
  tag: 'Sessions',
  summary: "A session's roster: each attendee's status, credit, paying purchase and label, in booking order",
  access: 'staff',
  success: ok(Roster),
});

/** Seed 001's front desk: "Go to the Schedule · Filter by location, date and staff · View Attendees". Reads only. */
export const scheduleRoutes = new Hono<AppEnv>()
  .use(requireRole('staff'))
  .get('/', async (c) => {
    const q = check(ScheduleQuery, c.req.query(), 'query');
    const after = decodePosition(q.cursor);
    const limit = limitOf(q.limit, pageSize, maxPage);
    const startsAt = {
      ...(q.from ? { $gte: instantOf(q.from) } : {}),
      ...(q.to ? { $lt: instantOf(q.to) } : {}),
    };
    const found = await c.var.em.find(
      Session,
      {
        ...(q.locationId ? { locationId: q.locationId } : {}),
        ...(q.staffId ? { staffId: q.staffId } : {}),
        ...(Object.keys(startsAt).length ? { startsAt } : {}),
        ...(after
          ? { $or: [{ startsAt: { $gt: after.at } }, { startsAt: after.at, id: { $gt: after.id } }] }
          : {}),
      },
      { orderBy: [{ startsAt: 'asc' }, { id: 'asc' }], limit: limit + 1 },
    );
    const page = found.slice(0, limit);
    const last = page.at(-1);
    const items = await c.var.em.find(Item, { id: { $in: [...new Set(page.map((s) => s.itemId))] } });
    const nameOf = new Map(items.map((i) => [i.id, i.name]));
    const body: Static<typeof SchedulePage> = {
      sessions: page.map((s) => ({ ...presentSession(s), itemName: nameOf.get(s.itemId) ?? s.itemId })),
      next: found.length > limit && last ? encodePosition({ at: last.startsAt, id: last.id }) : null,
    };
    return c.json(body);
  })
  .get('/:id/attendees', async (c) => {
    const id = c.req.param('id');
    const em = c.var.em;
    if (!(await em.findOne(Session, { id }))) throw notFound('session', id);
    const rows = await query(
      { tx: em },
      `select r.id, r.client_id, c.name as client_name
         from reservations r join clients c on c.tenant_id = r.tenant_id and c.id = r.client_id
        where r.tenant_id = $1 and r.session_id = $2
        order by r.created_at, r.id`,
      [tenantOf(c), id],
    );
    const views = await rosterViews(
      await creditContext(c),
      rows.map((r) => String(r.id)),
    );
    const attendees: Static<typeof Attendee>[] = [];
    for (const row of rows) {
      const v = views.get(String(row.id));
      if (!v) continue;
      attendees.push({
        reservationId: v.id,
        clientId: v.clientId,
        clientName: String(row.client_name),
        channel: v.channel,
        status: v.status,
        credit: v.credit,
        purchaseId: v.purchaseId,
        label: v.label,
      });
    }
    return c.json({ sessionId: id, attendees });
  });
