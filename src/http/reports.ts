import type { EntityManager } from '@mikro-orm/sql';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import Type from 'typebox';
import { catchUp } from '../credits/catch-up.ts';
import { creditReport, csvLine, type ReportRow, reportColumns } from '../credits/report.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import type { AppEnv } from './env.ts';
import { describeOperation } from './openapi.ts';
import { instant, instantOf, refId } from './schemas.ts';
import { check } from './validate.ts';

export const ReportQuery = Type.Object(
  { clientId: Type.Optional(refId), from: Type.Optional(instant), to: Type.Optional(instant) },
  { additionalProperties: false },
);
describeOperation({
  method: 'get',
  path: '/v1/reports/credits',
  summary: 'Credit uses and balances per client and purchase (JSON, or CSV with Accept: text/csv)',
  access: 'staff',
});

export const reportRoutes = new Hono<AppEnv>().get('/credits', requireRole('staff'), async (c) => {
  const query = check(ReportQuery, c.req.query());
  const ctx = await creditContext(c);
  await catchUp(ctx, { clientId: query.clientId });
  const filter = {
    clientId: query.clientId,
    from: query.from ? instantOf(query.from) : undefined,
    to: query.to ? instantOf(query.to) : undefined,
  };
  if ((c.req.header('accept') ?? '').includes('text/csv')) {
    // The body outlives the request's transaction: it pages on its own connection,
    // starting once the catch-up above has committed.
    const reader = c.var.deps.orm.em.fork() as unknown as EntityManager;
    reader.setFilterParams('tenant', { tenantId: ctx.tenantId });
    c.header('content-type', 'text/csv; charset=utf-8');
    return stream(c, async (out) => {
      await c.var.committed;
      await out.write(`${reportColumns.join(',')}\r\n`);
      for await (const page of creditReport(reader, ctx.tenantId, filter))
        await out.write(page.map(csvLine).join(''));
    });
  }
  const rows: ReportRow[] = [];
  for await (const page of creditReport(ctx.tx, ctx.tenantId, filter)) rows.push(...page);
  return c.json({ rows });
});
