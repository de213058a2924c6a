import type { EventName, PunchcardEvent } from '../events.ts';

/** A tenant's settings for one integration, as its plugin receives them (secrets included). */
export interface IntegrationConfig {
  url: string;
  /** The event types the tenant chose (all the plugin's events unless narrowed). */
  events: EventName[];
  /** The current write-only credential (an API key or a signing secret). */
  credential: string;
  /** Earlier credentials still inside their rotation overlap, newest first. */
  previousCredentials: string[];
}

export interface IntegrationContext {
  tenantId: string;
  config: IntegrationConfig;
  /** The event's stable id (the same on every retry), when it happened, and which try this is. */
  delivery: { id: string; occurredAt: string; attempt: number };
  /** Aborted when this attempt runs out of time; pass it to fetch. */
  signal: AbortSignal;
}

/**
 * An integration: a folder in plugins/ whose index.ts exports a factory returning
 * this. It sees only events and its tenant's settings, never punchcard's tables. The
 * name is its durable identity in the outbox (keep it stable across releases).
 */
export interface IntegrationPlugin {
  name: string;
  /** The event types it can take; a tenant may narrow them with `events`. */
  events: readonly EventName[];
  /** The write-only credential its settings take: `apiKey` or (signing) `secret`. */
  credential: 'apiKey' | 'secret';
  /** A message when a credential is unusable (shown at `/apiKey` or `/secret`), else null. */
  checkCredential?: (value: string) => string | null;
  /** False when an event needs no delivery at all (nothing is sent or recorded). */
  accepts?: (event: PunchcardEvent) => boolean;
  /** Delivers one event; throwing makes the outbox retry it later with back-off. */
  handle: (event: PunchcardEvent, ctx: IntegrationContext) => Promise<void>;
}
