import { Hono } from 'hono';
import Type from 'typebox';
import { createTenant } from '../tenants/create-tenant.ts';
import { requireRole } from './auth.ts';
import type { AppEnv } from './env.ts';
import { replayInstead } from './idempotency.ts';
import { created, describeOperation } from './openapi.ts';
import { CreatedTenant } from './responses/policy.ts';
import { callerId, name } from './schemas.ts';
import { readBody } from './validate.ts';

export const CreateTenant = Type.Object(
  { id: Type.Optional(callerId), name, preset: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
describeOperation({
  method: 'post',
  path: '/v1/tenants',
  operationId: 'createTenant',
  tag: 'Tenants',
  summary:
    'Create a tenant (platform key); answers its keys once (a retry with its Idempotency-Key is a 409)',
  access: 'platform',
  body: CreateTenant,
  success: created(CreatedTenant, 'The tenant and its admin and staff keys (shown once)'),
  errors: [409],
});

export const tenantRoutes = new Hono<AppEnv>().post('/', requireRole('platform'), async (c) => {
  const body = await readBody(c, CreateTenant);
  const created = await createTenant(c.var.em, body, c.var.deps.clock());
  // The keys are shown once: a retry with the same Idempotency-Key gets a 409 saying
  // so, and the stored record never holds them.
  replayInstead(c, 409, {
    type: 'about:blank',
    title: 'Conflict',
    status: 409,
    detail: `tenant '${created.id}' was created by the first request with this Idempotency-Key; its keys were shown once, in that answer`,
  });
  return c.json(created, 201);
});
