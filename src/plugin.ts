import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import clubos from '../plugins/clubos/index.ts';
import webhooks from '../plugins/webhooks/index.ts';
import { sweepAllTenants } from './credits/sweep-runner.ts';
import { migrations } from './db/migrations/index.ts';
import { migrate, openOrm } from './db/orm.ts';
import { entities } from './domain/index.ts';
import type { EventHandler, EventName } from './events.ts';
import { createApp } from './http/app.ts';
import type { AuthResolver } from './http/env.ts';
import { pruneIdempotencyRecords } from './http/idempotency.ts';
import { createIntegrations } from './integrations/registry.ts';
import { allowPrivateTargets } from './integrations/targets.ts';
import type { IntegrationPlugin } from './integrations/types.ts';
import { createDispatcher, type DispatcherOptions, defaultDispatcherOptions } from './outbox/dispatcher.ts';
import { type OnOptions, subscribeHandler } from './outbox/handlers.ts';

export interface CreditsPluginOptions {
  /** A PostgreSQL server; wins over dataDir. */
  databaseUrl?: string;
  /** A folder for embedded PGlite; with neither option the database lives in memory. */
  dataDir?: string;
  /** The host's own ORM, already configured with `entities` and `migrations`. */
  orm?: MikroORM;
  /** Replaces bearer keys: from the request to `{ tenantId, role }`, or null for 401. */
  auth?: AuthResolver;
  /** The key that may create tenants (bearer auth only). */
  platformKey?: string;
  /** The time source; tests pass a controllable one. */
  clock?: () => Date;
  /** Largest request body in bytes (default 1 MB); a larger one answers 413. */
  bodyLimitBytes?: number;
  /** Run migrations while creating the plugin (default true). */
  migrate?: boolean;
  /**
   * Let integrations reach http:// and private addresses (this machine, the private
   * network): a development switch, off unless PUNCHCARD_ALLOW_PRIVATE_TARGETS=1.
   */
  allowPrivateTargets?: boolean;
  /** Integrations tenants may enable (default: Club OS and webhooks, both off per tenant until configured). */
  plugins?: IntegrationPlugin[];
  /**
   * Outbox delivery: retry back-off (`baseMs` defaults to PUNCHCARD_RETRY_BASE_MS or
   * 1000, doubling up to `capMs`), poll interval, claim lease and per-attempt timeout.
   * `dispatch: false` writes events without delivering them in this process.
   */
  outbox?: Partial<Omit<DispatcherOptions, 'onError'>> & { dispatch?: boolean };
}

/**
 * punchcard as a plugin: a Hono app to mount, the entities and migrations for the
 * host's ORM, typed events, and the lifecycle. With no options it runs on an
 * in-memory embedded database with bearer-key auth.
 */
export async function createCreditsPlugin(options: CreditsPluginOptions = {}) {
  const ownsOrm = !options.orm;
  const orm = options.orm ?? (await openOrm({ databaseUrl: options.databaseUrl, dataDir: options.dataDir }));
  if (options.migrate !== false) await migrate(orm);
  const { dispatch = true, ...outboxOptions } = options.outbox ?? {};
  const dispatcherOptions = { ...defaultDispatcherOptions(), ...outboxOptions };
  const dispatcher = createDispatcher(orm, dispatcherOptions);
  const integrations = createIntegrations(
    options.plugins ?? [clubos(), webhooks()],
    orm,
    dispatcher,
    dispatcherOptions.timeoutMs,
    options.allowPrivateTargets ?? allowPrivateTargets(),
  );
  const outbox = { poke: () => dispatch && dispatcher.poke() };
  const clock = options.clock ?? (() => new Date());
  const app = createApp({
    orm,
    clock,
    platformKey: options.platformKey,
    auth: options.auth,
    outbox,
    integrations,
    bodyLimitBytes: options.bodyLimitBytes,
  });
  if (dispatch) dispatcher.start();
  return {
    app,
    orm,
    entities,
    migrations,
    migrate: () => migrate(orm),
    /**
     * Runs the after-session sweep for every tenant now (or those named), and prunes
     * their Idempotency-Keys older than 24 hours; the standalone server calls it on a
     * schedule.
     */
    sweep: async (options: { tenantIds?: string[] } = {}) => {
      const totals = await sweepAllTenants(orm, clock, outbox, options.tenantIds);
      // The same schedule forgets Idempotency-Keys past their 24-hour window.
      await pruneIdempotencyRecords(orm.em.fork() as unknown as EntityManager, clock(), options.tenantIds);
      return totals;
    },
    /**
     * Subscribes to an event, delivered after commit through the outbox: at least once
     * (`meta.id` deduplicates), in commit order per tenant, retried with back-off when
     * the handler throws. Give a stable `name` to share it across processes and resume
     * it after a restart. Returns the unsubscribe.
     */
    on: <K extends EventName>(name: K, handler: EventHandler<K>, on: OnOptions = {}) =>
      subscribeHandler(dispatcher, name, handler, on),
    /** Delivers everything due (waiting out retries) for one tenant or all; for tests and shutdown. */
    drain: (options: { tenantId?: string; timeoutMs?: number } = {}) => dispatcher.drain(options),
    close: async () => {
      await dispatcher.stop();
      if (ownsOrm) await orm.close();
    },
  };
}

export type CreditsPlugin = Awaited<ReturnType<typeof createCreditsPlugin>>;
