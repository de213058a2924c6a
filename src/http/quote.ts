import { Hono } from 'hono';
import { quote } from '../credits/quote.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { describeOperation, ok } from './openapi.ts';
import { CreateReservation } from './reservations.ts';
import { Quote } from './responses/reservations.ts';
import { readBody } from './validate.ts';

describeOperation({
  method: 'post',
  path: '/v1/reservations/quote',
  operationId: 'quoteReservation',
  tag: 'Reservations',
  summary: 'Which purchase a booking would use, its label and counts, and why — nothing written',
  access: 'staff',
  body: CreateReservation,
  success: ok(Quote, 'The decision a booking made now would take'),
  errors: [409],
});

/** The booking's read and decision without the commit (credits/quote.ts). */
export const quoteRoutes = new Hono<AppEnv>().use(requireRole('staff')).post('/quote', async (c) => {
  const body = await readBody(c, CreateReservation);
  return c.json(await quote(creditContext(c), body));
});
