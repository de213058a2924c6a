import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { Context } from 'hono';
import type { Role } from '../domain/enums.ts';
import type { PunchcardEvent } from '../events.ts';
import type { Integrations } from '../integrations/registry.ts';

/** Who is calling: a tenant's admin or staff, or the platform (creates tenants). */
export type Caller = { tenantId: string; role: Role } | { tenantId: null; role: 'platform' };

/**
 * Replaces bearer keys when a host plugs in its own authentication: a tenant's admin
 * or staff, or `{ tenantId: null, role: 'platform' }` for whoever may create tenants.
 */
export type AuthResolver = (c: Context) => Promise<Caller | null> | Caller | null;

export interface AppDeps {
  orm: MikroORM;
  clock: () => Date;
  platformKey: string | undefined;
  auth: AuthResolver | undefined;
  /** Committed events are waiting: deliver them now rather than at the next poll. */
  outbox: { poke(): void };
  /** The integration plugins this service runs, configured per tenant over the API. */
  integrations: Integrations;
  /** Largest request body in bytes (default 1 MB); larger answers 413. */
  bodyLimitBytes?: number;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    caller: Caller;
    /** The request's transaction: every read and write of the request goes through it. */
    em: EntityManager;
    /** Written to the outbox at the end of the request's transaction. */
    pending: PunchcardEvent[];
    /** Settles once the request's transaction has committed (or rolled back): streams wait for it. */
    committed: Promise<void>;
    /** A write's body, parsed and checked once by the `jsonBody` middleware. */
    body: Record<string, unknown>;
    /** Whether the handler took the body (`readJson`); an untaken body must be empty. */
    bodyRead: boolean;
  };
};

/** The tenant of a tenant-scoped route (the auth middleware guarantees one). */
export function tenantOf(c: Context<AppEnv>): string {
  const caller = c.var.caller;
  if (caller.tenantId === null) throw new Error('tenant route reached without a tenant caller');
  return caller.tenantId;
}
