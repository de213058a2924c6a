import { Hono } from 'hono';
import Type from 'typebox';
import { sweepInTransaction } from '../credits/sweep-runner.ts';
import { invalid } from '../errors.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { describeOperation, ok } from './openapi.ts';
import { SweepTotals } from './responses/reports.ts';
import { instant, instantOf } from './schemas.ts';
import { readBody } from './validate.ts';

export const RunSweep = Type.Object({ asOf: Type.Optional(instant) }, { additionalProperties: false });
describeOperation({
  method: 'post',
  path: '/v1/sweeps',
  operationId: 'runSweep',
  tag: 'Sweeps',
  summary: 'Run the after-session sweep now (B15, B16)',
  access: 'admin',
  body: RunSweep,
  bodyOptional: true,
  success: ok(SweepTotals, 'What the sweep did'),
});

export const sweepRoutes = new Hono<AppEnv>().post('/', requireRole('admin'), async (c) => {
  const body = await readBody(c, RunSweep);
  const ctx = await creditContext(c);
  const asOf = body.asOf ? instantOf(body.asOf) : ctx.now;
  if (asOf.getTime() > ctx.now.getTime()) throw invalid('/asOf', 'must not be later than now');
  return c.json(await sweepInTransaction(ctx, asOf));
});
