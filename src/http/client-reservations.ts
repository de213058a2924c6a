import { Hono } from 'hono';
import Type from 'typebox';
import { showClientReservations } from '../credits/reservation-status.ts';
import { Client } from '../domain/client.ts';
import { Item } from '../domain/item.ts';
import { Reservation } from '../domain/reservation.ts';
import { Session } from '../domain/session.ts';
import { notFound } from '../errors.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { component, describeOperation, ok } from './openapi.ts';
import { amount, at, closed } from './responses/common.ts';
import { Reservation as ReservationAnswer } from './responses/reservations.ts';

/** The most a front-desk read lists: the newest sessions first. */
const newest = 100;

/** A reservation as GET /v1/reservations/{id} answers it, with the session and item it is for. */
export const ClientReservations = component(
  'ClientReservations',
  Type.Object(
    {
      clientId: Type.String(),
      reservations: Type.Array(
        Type.Object(
          {
            ...ReservationAnswer.properties,
            session: Type.Object(
              {
                id: Type.String(),
                startsAt: at,
                endsAt: at,
                item: Type.Object({ id: Type.String(), name: Type.String(), price: amount }, closed),
              },
              closed,
            ),
          },
          closed,
        ),
      ),
    },
    closed,
  ),
);

describeOperation({
  method: 'get',
  path: '/v1/clients/{id}/reservations',
  operationId: 'listClientReservations',
  tag: 'Clients',
  summary:
    "A client's reservations (newest session first, at most 100), each with its session, item and explanation",
  access: 'staff',
  success: ok(ClientReservations),
});

/** The front desk's view of one client's bookings: what each one is and why its credit is where it is. */
export const clientReservationRoutes = new Hono<AppEnv>().get(
  '/:id/reservations',
  requireRole('staff'),
  async (c) => {
    const em = c.var.em;
    const id = c.req.param('id');
    if (!(await em.findOne(Client, { id }))) throw notFound('client', id);
    const reservations = await em.find(Reservation, { clientId: id });
    const sessions = await em.find(Session, {
      id: { $in: [...new Set(reservations.map((r) => r.sessionId))] },
    });
    const items = await em.find(Item, { id: { $in: [...new Set(sessions.map((s) => s.itemId))] } });
    const sessionOf = new Map(sessions.map((s) => [s.id, s]));
    const itemOf = new Map(items.map((i) => [i.id, i]));
    const listed = reservations
      .map((r) => ({ r, session: sessionOf.get(r.sessionId) as Session }))
      .sort(
        (a, b) => b.session.startsAt.getTime() - a.session.startsAt.getTime() || (a.r.id < b.r.id ? -1 : 1),
      )
      .slice(0, newest);
    // Time triggers that came due show on every read (B12): decided in memory for
    // the answer, written by the client's next write or the sweep, never by a GET.
    const views = await showClientReservations(
      creditContext(c),
      id,
      listed.map(({ r }) => r.id),
    );
    const out = [];
    for (const { r, session } of listed) {
      const item = itemOf.get(session.itemId);
      out.push({
        ...(views.get(r.id) as NonNullable<ReturnType<typeof views.get>>),
        session: {
          id: session.id,
          startsAt: session.startsAt.toISOString(),
          endsAt: session.endsAt.toISOString(),
          item: {
            id: session.itemId,
            name: item?.name ?? session.itemId,
            price: session.price ?? item?.price ?? 0,
          },
        },
      });
    }
    return c.json({ clientId: id, reservations: out });
  },
);
