/** The public face of punchcard. */

export { migrations } from './db/migrations/index.ts';
export { entities } from './domain/index.ts';
export type { EventMap, EventName } from './events.ts';
export type { AuthResolver } from './http/env.ts';
export { type CreditsPlugin, type CreditsPluginOptions, createCreditsPlugin } from './plugin.ts';
