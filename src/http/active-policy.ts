import { Hono } from 'hono';
import Type from 'typebox';
import { activePolicy } from '../tenants/policy-versions.ts';
import { requireRole } from './auth.ts';
import { type AppEnv, tenantOf } from './env.ts';
import { component, describeOperation, ok } from './openapi.ts';
import { closed, count } from './responses/common.ts';

/**
 * Which rule set is in force, without its rules: the front desk (staff) may know
 * what policy decides its bookings, while reading and changing the rules stays
 * with admins (/v1/policy). Outside /v1/policy because that whole router is
 * admin-only.
 */
export const ActivePolicySummary = component(
  'ActivePolicySummary',
  Type.Object(
    {
      version: count,
      id: Type.String({ description: "The rule set's id: a preset's id when it is one, unchanged" }),
      name: Type.String(),
      hash: Type.String({ description: 'SHA-256 of the canonical JSON' }),
    },
    closed,
  ),
);

describeOperation({
  method: 'get',
  path: '/v1/active-policy',
  operationId: 'getActivePolicySummary',
  tag: 'Policy',
  summary: "The active rule set's id, name and version (staff may read it; the rules themselves need admin)",
  access: 'staff',
  success: ok(ActivePolicySummary, 'The active version'),
});

export const activePolicyRoutes = new Hono<AppEnv>().get('/', requireRole('staff'), async (c) => {
  const active = await activePolicy(c.var.em, tenantOf(c));
  return c.json({
    version: active.version,
    id: active.ruleset.id,
    name: active.ruleset.name,
    hash: active.hash,
  });
});
