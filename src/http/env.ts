import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { Context } from 'hono';
import type { Role } from '../domain/enums.ts';
import type { EventBus, PunchcardEvent } from '../events.ts';

/** Who is calling: a tenant's admin or staff, or the platform (creates tenants). */
export type Caller = { tenantId: string; role: Role } | { tenantId: null; role: 'platform' };

/** Replaces bearer keys when a host plugs in its own authentication. */
export type AuthResolver = (
  c: Context,
) => Promise<{ tenantId: string; role: Role } | null> | { tenantId: string; role: Role } | null;

export interface AppDeps {
  orm: MikroORM;
  clock: () => Date;
  platformKey: string | undefined;
  auth: AuthResolver | undefined;
  events: EventBus;
  /** Largest request body in bytes (default 1 MB); larger answers 413. */
  bodyLimitBytes?: number;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    caller: Caller;
    /** The request's transaction: every read and write of the request goes through it. */
    em: EntityManager;
    /** Emitted only after the request's transaction commits. */
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
