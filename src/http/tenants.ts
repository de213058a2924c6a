import { Hono } from 'hono';
import Type from 'typebox';
import { createTenant } from '../tenants/create-tenant.ts';
import { requireRole } from './auth.ts';
import type { AppEnv } from './env.ts';
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
  summary: 'Create a tenant (platform key); answers its keys once',
  access: 'platform',
  body: CreateTenant,
  success: created(CreatedTenant, 'The tenant and its admin and staff keys (shown once)'),
  errors: [409],
});

export const tenantRoutes = new Hono<AppEnv>().post('/', requireRole('platform'), async (c) => {
  const body = await readBody(c, CreateTenant);
  const created = await createTenant(c.var.em, body, c.var.deps.clock());
  return c.json(created, 201);
});
