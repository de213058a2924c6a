import type { MikroORM } from '@mikro-orm/core';
import { sweepAllTenants } from './credits/sweep-runner.ts';
import { migrations } from './db/migrations/index.ts';
import { migrate, openOrm } from './db/orm.ts';
import { entities } from './domain/index.ts';
import { createEventBus, type EventHandler, type EventName } from './events.ts';
import { createApp } from './http/app.ts';
import type { AuthResolver } from './http/env.ts';

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
  const events = createEventBus();
  const clock = options.clock ?? (() => new Date());
  const app = createApp({
    orm,
    clock,
    platformKey: options.platformKey,
    auth: options.auth,
    events,
    bodyLimitBytes: options.bodyLimitBytes,
  });
  return {
    app,
    orm,
    entities,
    migrations,
    migrate: () => migrate(orm),
    /** Runs the after-session sweep for every tenant now; the standalone server calls it on a schedule. */
    sweep: (options: { tenantIds?: string[] } = {}) => sweepAllTenants(orm, clock, events, options.tenantIds),
    on: <K extends EventName>(name: K, handler: EventHandler<K>) => events.on(name, handler),
    close: async () => {
      if (ownsOrm) await orm.close();
    },
  };
}

export type CreditsPlugin = Awaited<ReturnType<typeof createCreditsPlugin>>;
