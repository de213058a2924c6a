import type { Context } from 'hono';
import type { CreditContext } from '../credits/context.ts';
import { type AppEnv, tenantOf } from './env.ts';

/** The request's credit context: its transaction, tenant and clock. Reads nothing. */
export function creditContext(c: Context<AppEnv>): CreditContext {
  return {
    tx: c.var.em,
    tenantId: tenantOf(c),
    now: c.var.deps.clock(),
    actor: c.var.caller.role,
    events: c.var.pending,
  };
}
