import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { PunchcardEvent } from '../events.ts';
import type { Dispatcher } from '../outbox/dispatcher.ts';
import { activeConfig, readConfig } from './config.ts';
import { DeliveryFailure, sendOutbound } from './outbound.ts';
import type { IntegrationConfig, IntegrationPlugin } from './types.ts';

/**
 * The integration plugins this service runs. Each becomes an outbox subscriber named
 * after itself; per event it reads the tenant's settings and delivers only when the
 * tenant has it enabled, chose that event type, and the plugin accepts the event.
 */
export function createIntegrations(
  plugins: readonly IntegrationPlugin[],
  orm: MikroORM,
  dispatcher: Dispatcher,
  timeoutMs: number,
  /** The development switch (see `targets.ts`): http and private addresses allowed. */
  allowPrivate: boolean,
) {
  const byName = new Map<string, IntegrationPlugin>();
  for (const plugin of plugins) {
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(plugin.name))
      throw new Error(`integration name '${plugin.name}' must be lower-case letters, digits and dashes`);
    if (byName.has(plugin.name)) throw new Error(`two integrations are named '${plugin.name}'`);
    byName.set(plugin.name, plugin);
    dispatcher.subscribe({
      name: plugin.name,
      events: new Set(plugin.events),
      // A tenant that never saved settings for it is not routed to it at all.
      configuredOnly: true,
      async deliver(event, attempt, turn) {
        const published = { name: event.name, payload: event.payload } as PunchcardEvent;
        if (plugin.accepts && !plugin.accepts(published)) return false;
        // Read once per run of the tenant's events, not once per event.
        if (!turn.has('config')) {
          const em = orm.em.fork() as unknown as EntityManager;
          turn.set('config', activeConfig(await readConfig(em, event.tenantId, plugin.name), new Date()));
        }
        const config = turn.get('config') as IntegrationConfig | null;
        if (!config?.events.includes(event.name)) return false;
        // A little before the dispatcher gives up, so the plugin sees its own timeout.
        const signal = AbortSignal.timeout(Math.max(1, timeoutMs - 50));
        try {
          await plugin.handle(published, {
            tenantId: event.tenantId,
            config,
            delivery: { id: event.id, occurredAt: event.occurredAt, attempt },
            signal,
            send: ({ method = 'POST', headers, body }) =>
              sendOutbound({ url: config.url, method, headers, body, signal }, { allowPrivate }),
          });
        } catch (error) {
          throw error instanceof DeliveryFailure ? error : new DeliveryFailure('the plugin failed');
        }
        return true;
      },
    });
  }
  return {
    get: (name: string) => byName.get(name),
    all: () => [...byName.values()],
    allowPrivateTargets: allowPrivate,
  };
}

export type Integrations = ReturnType<typeof createIntegrations>;
