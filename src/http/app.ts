import { Hono } from 'hono';
import { PunchcardError } from '../errors.ts';
import { integrationRoutes } from '../integrations/routes.ts';
import { activePolicyRoutes } from './active-policy.ts';
import { adminConsole, toAdminConsole } from './admin.ts';
import { authenticate, isPublicPath, requireRole } from './auth.ts';
import { clientReservationRoutes } from './client-reservations.ts';
import { clientRoutes } from './clients.ts';
import { docsRoutes } from './docs.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { householdRoutes } from './household.ts';
import { itemTypeRoutes } from './item-types.ts';
import { itemRoutes } from './items.ts';
import { locationRoutes } from './locations.ts';
import { describeOperation, ok, openApiDocument } from './openapi.ts';
import { planRoutes } from './plans.ts';
import { policyRoutes } from './policy.ts';
import { policyTestRoutes } from './policy-test.ts';
import { policyVersionRoutes } from './policy-version.ts';
import { presetRoutes } from './presets.ts';
import { problemResponse } from './problem.ts';
import { purchaseRoutes } from './purchases.ts';
import { quoteRoutes } from './quote.ts';
import { reportRoutes } from './reports.ts';
import {
  defaultBodyLimitBytes,
  jsonBody,
  limitBodies,
  refuseNulInUrl,
  securityHeaders,
} from './request-guards.ts';
import { reservationRoutes } from './reservations.ts';
import { Health, OpenApiDocument } from './responses/common.ts';
import { scheduleRoutes } from './schedule.ts';
import { sessionCancelRoutes } from './session-cancel.ts';
import { sessionRoutes } from './sessions.ts';
import { sweepRoutes } from './sweeps.ts';
import { tenantRoutes } from './tenants.ts';
import { ticketRoutes } from './tickets.ts';
import { transactionPerRequest } from './transaction.ts';
import { waitlistRoutes } from './waitlist.ts';
import { waiveRoutes } from './waive.ts';

describeOperation({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tag: 'Service',
  summary: 'Liveness and database reachability',
  access: 'public',
  success: ok(Health, 'The service and its database answer'),
});
describeOperation({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  tag: 'Service',
  summary: 'This document',
  access: 'public',
  success: ok(OpenApiDocument, 'The OpenAPI 3.1 document'),
});

/** Tenant-scoped resources; every one of them needs at least the staff role. */
const tenantApi = new Hono<AppEnv>()
  .use(requireRole('staff'))
  .route('/locations', locationRoutes)
  .route('/items', itemRoutes)
  .route('/item-types', itemTypeRoutes)
  .route('/plans', planRoutes)
  .route('/clients', clientRoutes)
  .route('/clients', clientReservationRoutes)
  .route('/purchases', purchaseRoutes)
  .route('/purchases', householdRoutes)
  .route('/sessions', sessionRoutes)
  .route('/sessions', scheduleRoutes)
  .route('/sessions', sessionCancelRoutes)
  .route('/sessions', waitlistRoutes)
  .route('/reservations', quoteRoutes)
  .route('/reservations', reservationRoutes)
  .route('/reservations', waiveRoutes)
  .route('/tickets', ticketRoutes)
  .route('/sweeps', sweepRoutes)
  .route('/reports', reportRoutes)
  .route('/policy', policyRoutes)
  .route('/policy', policyTestRoutes)
  .route('/policy', policyVersionRoutes)
  .route('/active-policy', activePolicyRoutes)
  .route('/integrations', integrationRoutes);

/** The whole HTTP API as one Hono app, for a host to mount with `app.route()`. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError((error, c) => problemResponse(c, error));
  app.notFound((c) =>
    problemResponse(c, new PunchcardError('not_found', `no route ${c.req.method} ${c.req.path}`)),
  );
  app.use(
    async (c, next) => {
      c.set('deps', deps);
      await next();
    },
    securityHeaders(isPublicPath),
    limitBodies(deps.bodyLimitBytes ?? defaultBodyLimitBytes),
    refuseNulInUrl(),
  );
  app.get('/healthz', async (c) => {
    await deps.orm.em.fork().getConnection().execute('select 1');
    return c.json({ status: 'ok' });
  });
  // The mount prefix is what precedes this route in the request path (e.g. `/credits`).
  app.get('/openapi.json', (c) => c.json(openApiDocument(c.req.path.slice(0, -'/openapi.json'.length))));
  app.route('/docs', docsRoutes);
  app.route('/v1/presets', presetRoutes);
  app.use('/', toAdminConsole('root'));
  app.use('/admin/', toAdminConsole('admin/'));
  app.route('/admin', adminConsole);
  app.use('/v1/*', authenticate(), jsonBody(), transactionPerRequest());
  app.route('/v1/tenants', tenantRoutes);
  app.route('/v1', tenantApi);
  return app;
}
