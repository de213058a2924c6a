import { Hono } from 'hono';
import { cancelSession } from '../credits/cancel-session.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { describeOperation, ok } from './openapi.ts';
import { SessionCancel } from './responses/reservations.ts';

describeOperation({
  method: 'post',
  path: '/v1/sessions/{id}/cancel',
  operationId: 'cancelSession',
  tag: 'Sessions',
  summary: 'The studio cancels a class: every reservation canceled, credits decided by session_canceled',
  access: 'staff',
  success: ok(SessionCancel, 'The session and its reservations; a second cancel answers the same'),
  errors: [409],
});

export const sessionCancelRoutes = new Hono<AppEnv>()
  .use(requireRole('staff'))
  .post('/:id/cancel', async (c) => c.json(await cancelSession(creditContext(c), c.req.param('id'))));
