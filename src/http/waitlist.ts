import { Hono } from 'hono';
import Type from 'typebox';
import { joinWaitlist, leaveWaitlist, showWaitlist } from '../credits/waitlist/service.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { created, describeOperation, ok } from './openapi.ts';
import { Waitlist, WaitlistEntry, WaitlistLeft } from './responses/waitlist.ts';
import { refId } from './schemas.ts';
import { readBody } from './validate.ts';

export const JoinWaitlist = Type.Object({ clientId: refId }, { additionalProperties: false });

describeOperation({
  method: 'post',
  path: '/v1/sessions/{id}/waitlist',
  operationId: 'joinWaitlist',
  tag: 'Sessions',
  summary: "Join a full session's waitlist (holding a credit when waitlistHoldsCredit is on)",
  access: 'staff',
  body: JoinWaitlist,
  success: created(WaitlistEntry, 'The entry and its place in line'),
  errors: [409],
});
describeOperation({
  method: 'get',
  path: '/v1/sessions/{id}/waitlist',
  operationId: 'getWaitlist',
  tag: 'Sessions',
  summary: "A session's seats and its waitlist, first in line first",
  access: 'staff',
  success: ok(Waitlist),
});
describeOperation({
  method: 'delete',
  path: '/v1/sessions/{id}/waitlist/{clientId}',
  operationId: 'leaveWaitlist',
  tag: 'Sessions',
  summary: 'Leave the waitlist: a held credit comes back',
  access: 'staff',
  success: ok(WaitlistLeft),
});

export const waitlistRoutes = new Hono<AppEnv>()
  .use(requireRole('staff'))
  .post('/:id/waitlist', async (c) => {
    const body = await readBody(c, JoinWaitlist);
    return c.json(await joinWaitlist(creditContext(c), c.req.param('id'), body.clientId), 201);
  })
  .get('/:id/waitlist', async (c) => c.json(await showWaitlist(creditContext(c), c.req.param('id'))))
  .delete('/:id/waitlist/:clientId', async (c) =>
    c.json(await leaveWaitlist(creditContext(c), c.req.param('id'), c.req.param('clientId'))),
  );
