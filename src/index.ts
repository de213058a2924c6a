/** The public face of punchcard. */

export { migrations } from './db/migrations/index.ts';
export { entities } from './domain/index.ts';
export type { EventHandler, EventMap, EventMeta, EventName, PunchcardEvent } from './events.ts';
export type { AuthResolver, Caller } from './http/env.ts';
export type { IntegrationConfig, IntegrationContext, IntegrationPlugin } from './integrations/types.ts';
export type { OnOptions } from './outbox/handlers.ts';
export { type CreditsPlugin, type CreditsPluginOptions, createCreditsPlugin } from './plugin.ts';
