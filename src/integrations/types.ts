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
  /** Aborted when this attempt runs out of time (`send` already obeys it). */
  signal: AbortSignal;
  /**
   * Sends one request to the tenant's URL under the outbound rules (public addresses
   * only, https, no redirects, a bounded answer, the attempt's deadline; see
   * `integrations/outbound.ts`). Resolves with the 2xx status; anything else throws,
   * and the delivery log keeps only a fixed reason. Plugins open no connections of
   * their own: this is the only way out.
   */
  send: (request: {
    method?: 'POST' | 'PUT';
    headers: Record<string, string>;
    body: string;
  }) => Promise<number>;
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
  /**
   * Delivers one event; throwing makes the outbox retry it later with back-off. The
   * delivery log keeps the reason of a `send` failure, and a fixed 'the plugin failed'
   * for anything else the plugin throws (its message could hold a credential).
   */
  handle: (event: PunchcardEvent, ctx: IntegrationContext) => Promise<void>;
}
