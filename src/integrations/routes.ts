import { type Context, Hono } from 'hono';
import { invalid, notFound, PunchcardError } from '../errors.ts';
import { requireRole } from '../http/auth.ts';
import { type AppEnv, tenantOf } from '../http/env.ts';
import { describeOperation, ok } from '../http/openapi.ts';
import { Delivery, DeliveryPage, DeliveryQuery, IntegrationConfig } from '../http/responses/integrations.ts';
import { readBody } from '../http/validate.ts';
import { IntegrationSettings, presentConfig, readConfig, writeConfig } from './config.ts';
import { type DeliveryStatus, listDeliveries, retryNow, skipFailing } from './deliveries.ts';

describeOperation({
  method: 'get',
  path: '/v1/integrations/{name}',
  operationId: 'getIntegration',
  tag: 'Integrations',
  summary: "A tenant's settings for one integration (secrets never shown)",
  access: 'admin',
  success: ok(IntegrationConfig),
});
describeOperation({
  method: 'put',
  path: '/v1/integrations/{name}',
  operationId: 'putIntegration',
  tag: 'Integrations',
  summary: 'Enable, configure or disable an integration; a new secret rotates with an overlap',
  access: 'admin',
  body: IntegrationSettings,
  success: ok(IntegrationConfig, 'The settings as saved'),
});
describeOperation({
  method: 'get',
  path: '/v1/integrations/{name}/deliveries',
  operationId: 'listIntegrationDeliveries',
  tag: 'Integrations',
  summary: "An integration's deliveries, newest first",
  access: 'staff',
  query: DeliveryQuery,
  success: ok(DeliveryPage),
});
describeOperation({
  method: 'post',
  path: '/v1/integrations/{name}/deliveries/{eventId}/retry',
  operationId: 'retryIntegrationDelivery',
  tag: 'Integrations',
  summary: 'Retry a failing delivery now instead of at its next scheduled attempt',
  access: 'staff',
  success: { status: 202, description: 'The delivery, due now', content: { 'application/json': Delivery } },
  errors: [409],
});

describeOperation({
  method: 'post',
  path: '/v1/integrations/{name}/deliveries/{eventId}/skip',
  operationId: 'skipIntegrationDelivery',
  tag: 'Integrations',
  summary: "Give up on a failing delivery: mark it skipped and release the tenant's later events behind it",
  access: 'admin',
  success: ok(Delivery, 'The delivery, skipped'),
  errors: [409],
});

function pluginOf(c: Context<AppEnv>) {
  const name = c.req.param('name') ?? '';
  const plugin = c.var.deps.integrations.get(name);
  if (!plugin) throw notFound('integration', name);
  return plugin;
}

function positiveInt(c: Context<AppEnv>, key: string, fallback: number | undefined, max: number) {
  const raw = c.req.query(key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw invalid(`/${key}`, `must be a whole number from 1 to ${max}`);
  return value;
}

const statuses: readonly DeliveryStatus[] = ['pending', 'delivered', 'failing', 'skipped'];

export const integrationRoutes = new Hono<AppEnv>()
  .use(requireRole('staff'))
  .get('/:name/deliveries', async (c) => {
    const plugin = pluginOf(c);
    const status = c.req.query('status');
    if (status !== undefined && !statuses.includes(status as DeliveryStatus))
      throw invalid('/status', `must be one of ${statuses.join(', ')}`);
    const page = await listDeliveries(c.var.em, tenantOf(c), plugin.name, {
      status: status as DeliveryStatus | undefined,
      before: positiveInt(c, 'before', undefined, Number.MAX_SAFE_INTEGER),
      limit: positiveInt(c, 'limit', 50, 500) ?? 50,
    });
    return c.json(page);
  })
  .post('/:name/deliveries/:eventId/retry', async (c) => {
    const plugin = pluginOf(c);
    const eventId = c.req.param('eventId');
    const delivery = await retryNow(c.var.em, tenantOf(c), plugin.name, eventId);
    if (!delivery) throw notFound('delivery', eventId);
    if (delivery.status !== 'failing')
      throw new PunchcardError('conflict', `delivery of '${eventId}' is ${delivery.status}, not failing`);
    // Retried once the change is committed, not at the next poll.
    const { deps } = c.var;
    void c.var.committed.then(() => deps.outbox.poke());
    return c.json(delivery, 202);
  })
  .post('/:name/deliveries/:eventId/skip', requireRole('admin'), async (c) => {
    const plugin = pluginOf(c);
    const eventId = c.req.param('eventId');
    const outcome = await skipFailing(c.var.em, tenantOf(c), plugin.name, eventId);
    if (!outcome) throw notFound('delivery', eventId);
    const { delivery, skipped } = outcome;
    if (!skipped)
      throw new PunchcardError('conflict', `delivery of '${eventId}' is ${delivery.status}, not failing`);
    // The events behind it go out once the change is committed.
    const { deps } = c.var;
    void c.var.committed.then(() => deps.outbox.poke());
    return c.json(delivery);
  })
  .use('/:name', requireRole('admin'))
  .get('/:name', async (c) => {
    const plugin = pluginOf(c);
    return c.json(presentConfig(plugin, await readConfig(c.var.em, tenantOf(c), plugin.name), new Date()));
  })
  .put('/:name', async (c) => {
    const plugin = pluginOf(c);
    const body = await readBody(c, IntegrationSettings);
    // Rotation windows run on the wall clock, the one receivers check signatures against.
    const { integrations } = c.var.deps;
    const saved = await writeConfig(
      c.var.em,
      tenantOf(c),
      plugin,
      body,
      new Date(),
      integrations.allowPrivateTargets,
    );
    return c.json(presentConfig(plugin, saved, new Date()));
  });
