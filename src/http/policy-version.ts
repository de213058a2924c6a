import { Hono } from 'hono';
import Type from 'typebox';
import { RulesetVersion } from '../domain/ruleset-version.ts';
import { notFound } from '../errors.ts';
import { requireRole } from './auth.ts';
import type { AppEnv } from './env.ts';
import { component, describeOperation, ok } from './openapi.ts';
import { at, closed, count, nullable } from './responses/common.ts';
import { Ruleset } from './responses/policy.ts';

export const PolicyVersionDetail = component(
  'PolicyVersionDetail',
  Type.Object(
    {
      version: count,
      hash: Type.String({ description: 'SHA-256 of the canonical JSON' }),
      actor: Type.String(),
      note: nullable(Type.String()),
      createdAt: at,
      ruleset: Ruleset,
    },
    closed,
  ),
);

describeOperation({
  method: 'get',
  path: '/v1/policy/versions/{version}',
  operationId: 'getPolicyVersion',
  tag: 'Policy',
  summary: 'One version of the rule set, with who saved it, when, its hash and the rule set itself',
  access: 'admin',
  success: ok(PolicyVersionDetail),
});

/** One stored version in full, so a console can diff any two and show what a rollback brings back. */
export const policyVersionRoutes = new Hono<AppEnv>().get(
  '/versions/:version',
  requireRole('admin'),
  async (c) => {
    const param = c.req.param('version');
    const version = /^[1-9]\d{0,8}$/.test(param) ? Number(param) : null;
    const found = version ? await c.var.em.findOne(RulesetVersion, { version }) : null;
    if (!found) throw notFound('version', param);
    return c.json({
      version: found.version,
      hash: found.hash,
      actor: found.actor,
      note: found.note ?? null,
      createdAt: found.createdAt.toISOString(),
      ruleset: found.ruleset,
    });
  },
);
