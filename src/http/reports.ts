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
import { text } from './responses/common.ts';
import { CreditReport } from './responses/reports.ts';
import { instant, instantOf, refId } from './schemas.ts';
import { check } from './validate.ts';

export const ReportQuery = Type.Object(
  {
    clientId: Type.Optional(Type.String({ ...refId, description: 'Only this client' })),
    from: Type.Optional(Type.String({ ...instant, description: 'Entries at or after this instant' })),
    to: Type.Optional(Type.String({ ...instant, description: 'Entries before this instant' })),
  },
  { additionalProperties: false },
);
describeOperation({
  method: 'get',
  path: '/v1/reports/credits',
  operationId: 'getCreditReport',
  tag: 'Reports',
  summary: 'Credit uses and balances per client and purchase (JSON, or CSV with Accept: text/csv)',
  access: 'staff',
  query: ReportQuery,
  success: {
    status: 200,
    description: 'One row per ledger entry, with the balance after it',
    content: { 'application/json': CreditReport, 'text/csv': text },
  },
});

export const reportRoutes = new Hono<AppEnv>().get('/credits', requireRole('staff'), async (c) => {
  const query = check(ReportQuery, c.req.query(), 'query');
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
